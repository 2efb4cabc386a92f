// `npm start` is `lakesync demo`: it must run from its own local AWS to a clean final diff.
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../support/cli.ts";

describe("lakesync demo (npm start)", () => {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  afterAll(() => {
    process.env.AWS_ENDPOINT_URL = endpoint; // the demo points the process at its own server
  });

  it("seeds, backs up, restores, replicates every live change and ends with a clean diff", async () => {
    const { code, lines, lastLine } = await cli(["demo"]);
    expect(code).toBe(0);
    expect(lastLine).toBe("source and target match: 0 differences");
    // the restore alone already matched, before the live changes
    expect(lines.filter((l) => l === "source and target match: 0 differences")).toHaveLength(2);
    // every live change was replicated: all 28 event names among the applied outcomes
    const applied = new Set(
      lines.filter((l) => l.endsWith("-> target: applied")).map((l) => l.split(" ")[1]),
    );
    expect(applied.size).toBe(28);
    expect(lines.some((l) => / -> target: failed/.test(l))).toBe(false);
    // the mesh section: applied, the consumer's analysts may query, nothing left to do
    expect(lines.some((l) => /^mesh apply finished: \d+ operation\(s\)$/.test(l))).toBe(true);
    expect(lines).toContain("access allowed");
    expect(lines).toContain("mesh in place");
  }, 180_000);
});
