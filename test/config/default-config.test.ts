// Every command reads its config through one loader with one default: --config, else
// ./lakesync.config.json when it exists, else no config.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DST, fixturePath, SRC } from "../replication/fixtures.ts";
import { cli } from "../support/cli.ts";

let dir: string;
let cwd: string;
beforeEach(() => {
  cwd = process.cwd();
  dir = mkdtempSync(join(tmpdir(), "lakesync-default-config-"));
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
});

const config = {
  source: { account: SRC, region: "us-east-1" },
  targets: [{ name: "dr-west", account: DST, region: "us-west-2" }],
  mapping: { buckets: { "lake-east": "lake-west" } },
  batch: { backupBucket: "lakesync-backups-east" },
};

const planned = async (...args: string[]) => {
  const run = await cli(["plan-event", "--event", fixturePath("CreateDatabase"), "--json", ...args]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout).operations[0] as { account: string; region: string; input: unknown };
};

describe("the CLI's config default", () => {
  it("reads ./lakesync.config.json when present; --config overrides it; without either there is none", async () => {
    // No file: the target is the event's own account and region.
    expect(await planned()).toMatchObject({ account: SRC, region: "us-east-1" });

    writeFileSync(join(dir, "lakesync.config.json"), JSON.stringify(config));
    expect(await planned()).toMatchObject({
      account: DST,
      region: "us-west-2",
      input: { DatabaseInput: { LocationUri: "s3://lake-west/sales/" } },
    });

    const other = join(dir, "other.json");
    writeFileSync(
      other,
      JSON.stringify({ ...config, targets: [{ name: "dr-eu", account: DST, region: "eu-west-1" }] }),
    );
    expect(await planned("--config", other)).toMatchObject({ account: DST, region: "eu-west-1" });
  });

  it("every command reports a bad default file the same way, one line naming it, exit 1", async () => {
    writeFileSync(
      join(dir, "lakesync.config.json"),
      JSON.stringify({ ...config, targets: [{ ...config.targets[0], region: "moon-1" }] }),
    );
    const expected = `lakesync: lakesync.config.json: targets[0].region: expected an AWS region name like "us-west-2", got "moon-1"\n`;
    const commands = [
      ["plan-event", "--event", fixturePath("CreateDatabase")],
      ["replicate", "--once"],
      ["events", "list"],
      ["backup"],
      ["diff"],
      ["sync", "--dry-run"],
      ["restore", "--from", "latest"],
      ["snowflake", "sync", "--region", "us-east-1"],
    ];
    for (const argv of commands) {
      const run = await cli(argv);
      expect({ argv, code: run.code, stderr: run.stderr }).toEqual({ argv, code: 1, stderr: expected });
    }
  });
});
