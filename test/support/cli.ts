// Runs the real `lakesync` CLI in-process and captures what it prints, as a user's shell would see it.
import { vi } from "vitest";
import { runCli } from "../../modules/cli/main.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Non-empty stdout lines. */
  lines: string[];
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
    const lines = stdout.split("\n").filter((line) => line.trim() !== "");
    return { code, stdout, stderr, lines, lastLine: lines.at(-1) ?? "" };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
