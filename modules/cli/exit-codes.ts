/** Exit codes are a contract users script against; keep them stable. */
export const ExitCode = {
  ok: 0,
  error: 1,
  /** diff found differences, an event replay ended with drift, `mesh status` found drift, `mesh explain` denied access. */
  different: 2,
  /** Interrupted (Ctrl-C) after finishing the event in hand: 128 + SIGINT, as shells report it. */
  interrupted: 130,
} as const;

/** An error the CLI reports as one line (no stack) and maps to an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.error,
  ) {
    super(message);
    this.name = "CliError";
  }
}
