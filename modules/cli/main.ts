// The `lakesync` command line. Each command lives in commands/ and calls the same core as the
// Lambda handlers; this file only assembles them and maps errors to exit codes.
import { Command, CommanderError } from "commander";
import { COMMANDS, commandOf } from "./command-index.ts";
import { CliError, ExitCode } from "./exit-codes.ts";
import { escapeControls } from "./render.ts";

/**
 * The program for `argv`: the command it names is registered in full (its module imported); with
 * no command (`lakesync`, `--help`, `--version`) or an unknown one, every command is listed by its
 * summary alone, so nothing of the SDK or the config schema loads (command-index.ts).
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command("lakesync")
    .description("Keep Glue Data Catalog and Lake Formation state safe and in sync")
    .version("0.1.0")
    .option("--debug", "print the stack trace of an unexpected error (SDK, network, Node)")
    .showHelpAfterError("(lakesync --help lists the commands; lakesync <command> --help its options)")
    .exitOverride();
  const named = commandOf(argv);
  if (named) await named.register(program, runCli);
  else {
    for (const [name, { summary }] of Object.entries(COMMANDS)) program.command(name).description(summary);
  }
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  // Commands report a non-error status (e.g. 2 for differences) through process.exitCode; it is
  // reset around each run so in-process callers (tests, the demo) see only this run's status.
  process.exitCode = undefined;
  try {
    await (await buildProgram(argv)).parseAsync(argv, { from: "user" });
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
    // A bad config file (one line per problem, each naming the file) or a bad flag value. Their
    // modules are imported here, not up front: only a command that loaded them can throw these.
    if (error instanceof Error && (await isInputError(error))) {
      process.stderr.write(`lakesync: ${error.message}\n`);
      return ExitCode.error;
    }
    // Anything else (no credentials, an unreachable endpoint, a malformed region, a bug): one line
    // naming the cause; --debug adds the stack trace.
    const debug = argv.includes("--debug");
    process.stderr.write(
      `lakesync: ${escapeControls(describeError(error))}${debug ? "" : " (--debug prints the stack trace)"}\n`,
    );
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return ExitCode.error;
  }
}

async function isInputError(error: Error): Promise<boolean> {
  const [{ ConfigError }, { SettingsError }, { MassDeleteError }, { BackupFormatError }] = await Promise.all([
    import("../config/load.ts"),
    import("../config/targets.ts"),
    import("../batch/delete-guard.ts"),
    import("../backup/manifest.ts"),
  ]);
  return (
    error instanceof ConfigError ||
    error instanceof SettingsError ||
    error instanceof MassDeleteError ||
    error instanceof BackupFormatError
  );
}

/**
 * One line for an unexpected error: its name and message, its system error code (ECONNREFUSED),
 * and the messages of what it wraps (an AggregateError from a dual-stack connect has no message
 * of its own).
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current) && parts.length < 4) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    const inner =
      current instanceof AggregateError ? current.errors.map((e) => (e as Error).message ?? String(e)) : [];
    const message = current.message || inner.join("; ");
    const name = current.constructor === Error ? "" : `${current.name}: `;
    parts.push(`${name}${message}${typeof code === "string" && !message.includes(code) ? ` (${code})` : ""}`);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(": caused by ");
}

/**
 * `lakesync diff | head`: the reader closing the pipe is not an error. Ends the process quietly
 * with status 0 on EPIPE (the entry point installs it; in-process callers keep their streams).
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(ExitCode.ok);
      throw error;
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  exitQuietlyOnClosedPipe();
  const code = await runCli(process.argv.slice(2));
  process.exitCode = code;
}
