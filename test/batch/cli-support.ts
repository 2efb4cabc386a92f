// Runs the lakesync CLI in-process and captures what it prints, for the batch command tests.
import { vi } from "vitest";
import { runCli } from "../../modules/cli/main.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The last non-empty line of stdout. */
  lastLine: string;
}

export async function cli(args: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await runCli(args);
    const lines = stdout.split("\n").filter((l) => l.trim() !== "");
    return { code, stdout, stderr, lastLine: lines.at(-1) ?? "" };
  } finally {
    out.mockRestore();
    err.mockRestore();
    // runCli reports commands' exit codes through process.exitCode; reset it between runs.
    process.exitCode = undefined;
  }
}
