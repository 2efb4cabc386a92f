// The `lakesync` command line. Each command lives in commands/ and calls the same core as the
// Lambda handlers; this file only assembles them and maps errors to exit codes.
import { Command, CommanderError } from "commander";
import { registerLocal } from "./commands/local.ts";
import { CliError, ExitCode } from "./exit-codes.ts";

export function buildProgram(): Command {
  const program = new Command("lakesync")
    .description("Keep Glue Data Catalog and Lake Formation state safe and in sync")
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride();
  registerLocal(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return process.exitCode === undefined ? ExitCode.ok : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.error; // --help / --version exit 0
    }
    if (error instanceof CliError) {
      process.stderr.write(`lakesync: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `lakesync: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return ExitCode.error;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2));
}
