// The CLI loads only the module of the command a run names; the top-level help lists the others
// by the summaries in command-index.ts, which must say what the commands themselves say.
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMANDS, commandOf } from "../../modules/cli/command-index.ts";
import { buildProgram, runCli } from "../../modules/cli/main.ts";

describe("CLI command index", () => {
  it.each(Object.keys(COMMANDS))("%s: the index's summary is the command's description", async (name) => {
    const program = new Command("lakesync");
    await COMMANDS[name]?.register(program, runCli);
    const command = program.commands.find((c) => c.name() === name);
    expect(command?.description()).toBe(COMMANDS[name]?.summary);
  });

  it("finds the command a run names, after program flags and after help", () => {
    expect(commandOf(["backup", "--config", "x.json"])).toBe(COMMANDS.backup);
    expect(commandOf(["--debug", "config", "validate"])).toBe(COMMANDS.config);
    expect(commandOf(["help", "mesh"])).toBe(COMMANDS.mesh);
    expect(commandOf(["--help"])).toBeUndefined();
    expect(commandOf(["nope"])).toBeUndefined();
  });

  it("lists every command when none is named, registering none in full", async () => {
    const program = await buildProgram(["--help"]);
    expect(program.commands.map((c) => c.name())).toEqual(Object.keys(COMMANDS));
    expect(program.commands.every((c) => c.options.length === 0 && c.commands.length === 0)).toBe(true);
  });

  it("registers the named command's module in full", async () => {
    const program = await buildProgram(["events", "list"]);
    expect(program.commands.map((c) => c.name())).toEqual(["events"]);
    expect(program.commands[0]?.commands.map((c) => c.name())).toEqual(["list", "show"]);
  });
});
