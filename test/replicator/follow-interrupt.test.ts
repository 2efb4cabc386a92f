// Ctrl-C on `lakesync replicate --follow`: the event in hand finishes on every target, the run
// says it was interrupted and exits 130, and what was left stays pending for the next run.
import { CreateDatabaseCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import { expect, it, vi } from "vitest";
import { runCli } from "../../modules/cli/main.ts";
import { cli, glue, newLake } from "./support.ts";

it("replicate --follow stops after the current event on SIGINT, reports it and exits 130", async () => {
  const lake = await newLake();
  // Three events on one database: the two tables wait for their database's event (events on
  // different tables run side by side, and all of those in hand would finish before the stop).
  await glue(lake.source).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "first_db" } }));
  for (const name of ["first_table", "second_table"])
    await glue(lake.source).send(
      new CreateTableCommand({ DatabaseName: "first_db", TableInput: { Name: name, StorageDescriptor: {} } }),
    );

  let stdout = "";
  let stderr = "";
  let interrupted = false;
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    // The user presses Ctrl-C as the first outcome appears.
    if (!interrupted && / -> \w+: /.test(String(chunk))) {
      interrupted = true;
      process.emit("SIGINT");
    }
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  let code: number;
  try {
    code = await runCli(["replicate", "--follow", "--config", lake.configFile, "--interval-seconds", "1"]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  expect(code).toBe(130);
  const lines = stdout.split("\n").filter(Boolean);
  // One event, finished on both targets (west and backup); the other two were not started.
  expect(lines).toHaveLength(2);
  expect(new Set(lines.map((l) => l.split(" ")[2])).size).toBe(1);
  expect(stderr).toContain("lakesync: stopping after the current event");
  expect(stderr).toMatch(/lakesync: interrupted: 2 event outcome\(s\) this run/);

  const rest = await cli(["replicate", "--once", "--config", lake.configFile]);
  expect(rest.code).toBe(0);
  expect(rest.lines).toHaveLength(4);
});
