// `npm start` is `lakesync demo`: it must run from its own local AWS to a clean final diff.
import { afterAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../modules/cli/main.ts";

describe("lakesync demo (npm start)", () => {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  afterAll(() => {
    process.env.AWS_ENDPOINT_URL = endpoint; // the demo points the process at its own server
  });

  it("seeds, backs up, restores, replicates every live change and ends with a clean diff", async () => {
    const out: string[] = [];
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    let code: number;
    try {
      code = await runCli(["demo"]);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    const lines = out.join("").split("\n").filter(Boolean);
    expect(code).toBe(0);
    expect(lines.at(-1)).toBe("source and target match: 0 differences");
    expect(lines).toContain("source and target match: 0 differences");
    // every live change was replicated: 28 event names among the applied outcomes
    const applied = new Set(
      lines.filter((l) => l.endsWith("-> target: applied")).map((l) => l.split(" ")[1]),
    );
    expect(applied.size).toBe(28);
    expect(lines.some((l) => / -> target: failed/.test(l))).toBe(false);
  }, 180_000);
});
