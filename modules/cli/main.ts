// The `lakesync` command line. Each command lives in commands/ and calls the same core as the
// Lambda handlers; this file only assembles them and maps errors to exit codes.
import { Command, CommanderError } from "commander";
import { ConfigError } from "../config/load.ts";
import { SettingsError } from "../config/targets.ts";
import { registerBatch } from "./commands/batch.ts";
import { registerConfig } from "./commands/config.ts";
import { registerDemo } from "./commands/demo.ts";
import { registerEvents } from "./commands/events.ts";
import { registerLocal } from "./commands/local.ts";
import { registerMesh } from "./commands/mesh.ts";
import { registerPlanEvent } from "./commands/plan-event.ts";
import { registerReplicate } from "./commands/replicate.ts";
import { registerSnowflake } from "./commands/snowflake.ts";
import { CliError, ExitCode } from "./exit-codes.ts";

export function buildProgram(): Command {
  const program = new Command("lakesync")
    .description("Keep Glue Data Catalog and Lake Formation state safe and in sync")
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride();
  registerBatch(program);
  registerConfig(program);
  registerDemo(program, runCli);
  registerEvents(program);
  registerLocal(program);
  registerMesh(program);
  registerPlanEvent(program);
  registerReplicate(program);
  registerSnowflake(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  // Commands report a non-error status (e.g. 2 for differences) through process.exitCode; it is
  // reset around each run so in-process callers (tests, the demo) see only this run's status.
  process.exitCode = undefined;
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    const status = process.exitCode;
    process.exitCode = undefined;
    return status === undefined ? ExitCode.ok : Number(status);
  } catch (error) {
    process.exitCode = undefined;
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.error; // --help / --version exit 0
    }
    if (error instanceof CliError) {
      process.stderr.write(`lakesync: ${error.message}\n`);
      return error.exitCode;
    }
    // A bad config file (one line per problem, each naming the file) or a bad flag value.
    if (error instanceof ConfigError || error instanceof SettingsError) {
      process.stderr.write(`lakesync: ${error.message}\n`);
      return ExitCode.error;
    }
    process.stderr.write(
      `lakesync: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return ExitCode.error;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const code = await runCli(process.argv.slice(2));
  process.exitCode = code;
}
