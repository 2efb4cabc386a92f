// `lakesync diff` and `sync` against local AWS, cross-account: a diverged target (changed
// columns, extra table, missing partition, extra grant) is repaired by sync; dry runs change
// nothing; delete-sync removes exactly what the plan showed; exit codes 0/1/2 and the last line.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BatchDeletePartitionCommand,
  CreateTableCommand,
  GetPartitionsCommand,
  GetTableCommand,
  GetTablesCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-glue";
import { GrantPermissionsCommand, ListPermissionsCommand } from "@aws-sdk/client-lakeformation";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "../support/cli.ts";
import { client, testLocation } from "../support/local-aws.ts";
import { createSampleCatalog, sampleBucket, snapshot } from "./catalog-support.ts";

const source = testLocation("us-east-1");
const target = testLocation("us-west-2");
const glue = client("glue", target);
const lakeformation = client("lakeformation", target);
const intruder = `arn:aws:iam::${target.account}:role/intruder`;

const flags = [
  "--source-region",
  source.region,
  "--source-account",
  source.account,
  "--target-region",
  target.region,
  "--target-account",
  target.account,
  "--bucket-map",
  `${sampleBucket}=${sampleBucket}-west`,
];

const columns = async (location: typeof source, name: string) =>
  (await client("glue", location).send(new GetTableCommand({ DatabaseName: "sampledb", Name: name }))).Table
    ?.StorageDescriptor?.Columns;
const tableNames = async () =>
  ((await glue.send(new GetTablesCommand({ DatabaseName: "sampledb" }))).TableList ?? [])
    .map((t) => t.Name)
    .sort();
const partitionValues = async () =>
  (
    (await glue.send(new GetPartitionsCommand({ DatabaseName: "sampledb", TableName: "elb_logs" })))
      .Partitions ?? []
  )
    .map((p) => p.Values!.join("/"))
    .sort();
const intruderGrants = async () =>
  ((await lakeformation.send(new ListPermissionsCommand({}))).PrincipalResourcePermissions ?? []).filter(
    (p) => p.Principal?.DataLakePrincipalIdentifier === intruder,
  ).length;

type DiffJson = {
  match: boolean;
  differences: number;
  targets: { differences: { kind: string; key: string; change: string; kept: boolean }[] }[];
};
const diffJson = async (extra: string[] = []) => {
  const run = await cli(["diff", ...flags, ...extra, "--json"]);
  return { code: run.code, json: JSON.parse(run.stdout) as DiffJson };
};
const summary = (json: DiffJson) =>
  json.targets
    .flatMap((t) => t.differences.map((d) => `${d.change} ${d.kind} ${d.key}${d.kept ? " kept" : ""}`))
    .sort();

beforeAll(async () => {
  await createSampleCatalog(source);
});

describe("sync into an empty account", () => {
  it("copies the catalog across accounts; diff then exits 0 with the exact last line", async () => {
    const first = await cli(["diff", ...flags]);
    expect(first.code, first.stderr).toBe(2);
    expect(first.lastLine).toMatch(/^source and target differ: \d+ differences$/);

    const run = await cli(["sync", ...flags]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const diff = await cli(["diff", ...flags]);
    expect(diff.code, diff.stdout).toBe(0);
    expect(diff.lastLine).toBe("source and target match: 0 differences");
    // Principals of the source account became the target account's.
    expect(JSON.stringify(await snapshot(target))).not.toContain(source.account);
  });
});

describe("a diverged target", () => {
  let partitionsBefore: string[] = [];

  beforeAll(async () => {
    partitionsBefore = await partitionValues();
    const table = (await glue.send(new GetTableCommand({ DatabaseName: "sampledb", Name: "elb_logs" })))
      .Table!;
    await glue.send(
      new UpdateTableCommand({
        DatabaseName: "sampledb",
        TableInput: {
          Name: "elb_logs",
          TableType: table.TableType,
          Parameters: table.Parameters,
          PartitionKeys: table.PartitionKeys,
          StorageDescriptor: {
            ...table.StorageDescriptor,
            Columns: [{ Name: "only_column", Type: "string" }],
          },
        },
      }),
    );
    await glue.send(
      new CreateTableCommand({
        DatabaseName: "sampledb",
        TableInput: {
          Name: "scratch_extra",
          StorageDescriptor: { Columns: [{ Name: "x", Type: "int" }], Location: "s3://scratch/x/" },
        },
      }),
    );
    await glue.send(
      new BatchDeletePartitionCommand({
        DatabaseName: "sampledb",
        TableName: "elb_logs",
        PartitionsToDelete: [{ Values: partitionsBefore[0]!.split("/") }],
      }),
    );
    await lakeformation.send(
      new GrantPermissionsCommand({
        Principal: { DataLakePrincipalIdentifier: intruder },
        Resource: { Table: { DatabaseName: "sampledb", Name: "orders_parquet" } },
        Permissions: ["SELECT"],
        PermissionsWithGrantOption: ["SELECT"],
      }),
    );
  });

  it("diff names each divergence and exits 2", async () => {
    const { code, json } = await diffJson();
    expect(code).toBe(2);
    expect(summary(json)).toEqual([
      `create partition sampledb/elb_logs/${partitionsBefore[0]}`,
      expect.stringMatching(new RegExp(`^delete permission ${intruder}\\|.*orders_parquet.* kept$`)),
      "delete table sampledb/scratch_extra kept",
      "update table sampledb/elb_logs",
    ]);
    const human = await cli(["diff", ...flags]);
    expect(human.code).toBe(2);
    expect(human.lastLine).toBe("source and target differ: 4 differences");
  });

  it("sync --dry-run prints the plan, deletions included, and changes nothing", async () => {
    const run = await cli(["sync", ...flags, "--dry-run"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("update table sampledb.elb_logs");
    expect(run.stdout).toContain("- table sampledb/scratch_extra (kept: delete-sync off)");
    const withDelete = await cli(["sync", ...flags, "--dry-run", "--delete"]);
    expect(withDelete.stdout).toContain("delete 1 table(s) in sampledb: scratch_extra");
    expect(withDelete.stdout).toContain("revoke 1 permission entry");
    expect((await diffJson()).json.differences).toBe(4);
    expect(await columns(target, "elb_logs")).toEqual([{ Name: "only_column", Type: "string" }]);
  });

  it("sync repairs changed columns and the missing partition, and keeps target-only objects", async () => {
    const run = await cli(["sync", ...flags]);
    expect(run.code, run.stdout).toBe(0);
    expect(await columns(target, "elb_logs")).toEqual(await columns(source, "elb_logs"));
    expect(await partitionValues()).toEqual(partitionsBefore);
    expect(await tableNames()).toContain("scratch_extra");
    expect(await intruderGrants()).toBe(1);
    const { code, json } = await diffJson();
    expect(code).toBe(2);
    expect(summary(json).every((line) => line.endsWith(" kept"))).toBe(true);
  });

  it("sync --delete removes exactly what the plan showed", async () => {
    const plan = await cli(["sync", ...flags, "--delete", "--dry-run", "--json"]);
    const planned = (
      JSON.parse(plan.stdout) as { targets: { operations: { operation: string; description: string }[] }[] }
    ).targets[0]!.operations;
    expect(planned.map((o) => o.operation).sort()).toEqual(["BatchDeleteTable", "BatchRevokePermissions"]);

    const before = await snapshot(target);
    const run = await cli(["sync", ...flags, "--delete"]);
    expect(run.code, run.stdout).toBe(0);
    const after = await snapshot(target);
    const gone = before
      .filter((r) => !after.some((a) => a.kind === r.kind && a.key === r.key))
      .map((r) => `${r.kind} ${r.key}`);
    expect(gone).toEqual([
      "table sampledb/scratch_extra",
      expect.stringMatching(new RegExp(`^permission ${intruder}\\|`)),
    ]);
    expect(after).toHaveLength(before.length - 2);

    const diff = await cli(["diff", ...flags]);
    expect(diff.code).toBe(0);
    expect(diff.lastLine).toBe("source and target match: 0 differences");
  });
});

describe("with a config file", () => {
  it("diff --config uses the configured targets and mapping; --target picks one; an unknown one is an error", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "lakesync-batch-")), "lakesync.config.json");
    writeFileSync(
      file,
      JSON.stringify({
        source: { account: source.account, region: source.region },
        targets: [{ name: "west", account: target.account, region: target.region }],
        mapping: { buckets: { [sampleBucket]: `${sampleBucket}-west` } },
        batch: { backupBucket: "unused-backups" },
      }),
    );
    const all = await cli(["diff", "--config", file]);
    expect(all.code, all.stdout + all.stderr).toBe(0);
    expect(all.stdout).toContain(`west (${target.account}, ${target.region}): 0 differences`);
    expect((await cli(["diff", "--config", file, "--target", "west"])).lastLine).toBe(
      "source and target match: 0 differences",
    );
    const unknown = await cli(["diff", "--config", file, "--target", "east"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no target named "east"/);
  });
});
