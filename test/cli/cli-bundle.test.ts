// scripts/lakesync.mjs runs the CLI from an esbuild bundle of its sources (scripts/cli-bundle.mjs):
// built once, reused while every input is unchanged, rebuilt into a new folder when one changes,
// and the same program as the sources.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { cliBundle } from "../../scripts/cli-bundle.mjs";

const root = process.cwd();

describe("the CLI bundle", () => {
  it("is built once, reused while its inputs are unchanged, rebuilt when one changes", async () => {
    const dist = mkdtempSync(join(tmpdir(), "lakesync-dist-"));
    const first = await cliBundle(root, dist);
    expect(existsSync(first)).toBe(true);
    // One folder under dist/, as modules/<area>/ is under modules/: import.meta.url paths still hold.
    expect(relative(dist, dirname(first)).split("/")).toHaveLength(1);
    expect(await cliBundle(root, dist)).toBe(first);

    const pointer = join(dist, "cli.json");
    const current = JSON.parse(readFileSync(pointer, "utf8")) as { inputs: Record<string, string> };
    expect(Object.keys(current.inputs)).toEqual(
      expect.arrayContaining([
        "modules/cli/main.ts",
        "modules/cli/command-index.ts",
        "scripts/cli-bundle.mjs",
      ]),
    );
    current.inputs["modules/cli/main.ts"] = "0:0"; // as if the source had been edited since
    writeFileSync(pointer, JSON.stringify(current));
    const second = await cliBundle(root, dist);
    expect(second).not.toBe(first);
    expect(existsSync(first)).toBe(true); // a run that started from it may still load its chunks
  });

  it("runs the same program as the sources", () => {
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ["scripts/lakesync.mjs", "config", "--help"], {
        cwd: root,
        env: { ...process.env, ...env },
        encoding: "utf8",
      });
    const bundled = run({});
    const fromSource = run({ LAKESYNC_FROM_SOURCE: "1" });
    expect(bundled.status).toBe(0);
    expect(bundled.stdout).toContain("lakesync.config.json");
    expect(bundled.stdout).toBe(fromSource.stdout);
  });
});
