// Regression (issue 8), through the CLI a user runs: `lakesync sync --delete` removed the target's
// own data lake admins, its writer role included, so every later grant failed on AWS. The target's
// writer role (derived from the config) and the configured `targets[].protectedAdmins` now stay;
// an admin that is neither is still removed, and the plan says which admins are kept and why.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateDatabaseCommand } from "@aws-sdk/client-glue";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../modules/config/load.ts";
import { targetWriterRoleArn } from "../../modules/deploy/naming.ts";
import { cli } from "../support/cli.ts";
import { adminsOf, putAdmins } from "../support/data-lake-admins.ts";
import { client, type TestLocation, testLocation } from "../support/local-aws.ts";

const source = testLocation("us-east-1");
const target = testLocation("us-west-2");
const role = (location: TestLocation, name: string) => `arn:aws:iam::${location.account}:role/${name}`;

const configJson = {
  source: { name: "prod", account: source.account, region: source.region },
  targets: [
    {
      name: "dr",
      account: target.account,
      region: target.region,
      protectedAdmins: [role(target, "BreakGlass")],
    },
  ],
  batch: { backupBucket: "unused-backups" },
};
const config = parseConfig(configJson, "test config");
const writer = targetWriterRoleArn(config, config.targets[0]!);
const breakGlass = role(target, "BreakGlass");
const departed = role(target, "Departed");

let file = "";

beforeAll(async () => {
  file = join(mkdtempSync(join(tmpdir(), "lakesync-admins-")), "lakesync.config.json");
  writeFileSync(file, JSON.stringify(configJson));
  await client("glue", source).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "sales" } }));
  await putAdmins(source, [role(source, "LakeAdmin")]);
  await putAdmins(target, [writer, breakGlass, departed]);
});

describe("sync --delete and the target's protected admins", () => {
  it("the dry run says which admins are kept and why, and changes nothing", async () => {
    const run = await cli(["sync", "--config", file, "--delete", "--dry-run"]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `keeps protected admins ${breakGlass}, ${writer} (lakesync's own roles or configured protectedAdmins)`,
    );
    expect(await adminsOf(target)).toEqual([breakGlass, departed, writer].sort());
  });

  it("keeps the writer role and the configured break-glass admin, removes the rest, then matches", async () => {
    const run = await cli(["sync", "--config", file, "--delete"]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(await adminsOf(target)).toEqual([breakGlass, role(target, "LakeAdmin"), writer].sort());
    const diff = await cli(["diff", "--config", file]);
    expect(diff.code, diff.stdout).toBe(0);
    expect(diff.lastLine).toBe("source and target match: 0 differences");
  });
});
