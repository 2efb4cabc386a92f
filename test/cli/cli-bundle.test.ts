// scripts/lakesync.mjs runs the CLI from an esbuild bundle of its sources (scripts/cli-bundle.mjs):
// built once, reused while every input is unchanged, rebuilt into a new folder when one changes,
// and the same program as the sources.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { cliBundle, launcherNodeFlags } from "../../scripts/cli-bundle.mjs";

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

describe("the launcher's Node flags", () => {
  it("are the bin's shebang flags, and package.json's scripts run lakesync with the same", () => {
    const flags = launcherNodeFlags(root);
    expect(flags).toEqual(["--max-semi-space-size=2"]);
    const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const launches = Object.values(scripts).filter((script) => script.includes("scripts/lakesync.mjs"));
    expect(launches.length).toBeGreaterThanOrEqual(2);
    for (const script of launches) expect(script).toContain(`node ${flags.join(" ")} scripts/lakesync.mjs`);
  });

  it("reach the process when the bin runs as an executable", () => {
    const run = spawnSync(join(root, "scripts", "lakesync.mjs"), ["--version"], { encoding: "utf8" });
    expect(run.status).toBe(0);
    // A script with the bin's first line reports the flags its Node process started with.
    const [shebang] = readFileSync(join(root, "scripts", "lakesync.mjs"), "utf8").split("\n", 1);
    const probe = join(mkdtempSync(join(tmpdir(), "lakesync-shebang-")), "probe.mjs");
    writeFileSync(probe, `${shebang}\nprocess.stdout.write(process.execArgv.join(" "));\n`, { mode: 0o755 });
    expect(spawnSync(probe, { encoding: "utf8" }).stdout).toBe(launcherNodeFlags(root).join(" "));
  });
});
