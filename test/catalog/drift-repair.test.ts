// Batch restore and drift repair end to end on local AWS, through the one executor: snapshot a
// source, restore it into an empty account, drift that copy, then repair it — without deleteSync
// only additions are made (target-only objects stay, reported as kept), with deleteSync the copy
// converges to 0 differences.
import {
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  CreateTableCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-glue";
import {
  GrantPermissionsCommand,
  RemoveLFTagsFromResourceCommand,
  RevokePermissionsCommand,
  UpdateLFTagCommand,
} from "@aws-sdk/client-lakeformation";
import { beforeAll, describe, expect, it } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import { readCatalogSnapshot } from "../../modules/aws/catalog-reader.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { createOperationRunner } from "../../modules/aws/operation-runner.ts";
import { collect, type Difference, diffSnapshots, mapSnapshot } from "../../modules/catalog/diff.ts";
import { differencesToOperations } from "../../modules/catalog/diff-to-operations.ts";
import type { SnapshotRecord } from "../../modules/catalog/model.ts";
import { identityRules } from "../../modules/mapping/mapping.ts";
import { execute } from "../../modules/operations/executor.ts";
import { client, testLocation } from "../support/local-aws.ts";
import { role, seedSource, storage } from "./source-catalog.ts";

const source = testLocation("eu-west-1");
const copy = testLocation("eu-west-1");
const clients = new AwsClients(allClients, { maxAttempts: 1 });
const target = { name: "copy", ...copy };
const rules = { ...identityRules(source.account, source.region), targetAccount: copy.account };

const read = (location: typeof source) =>
  collect(readCatalogSnapshot(clients, location, { databases: "all", concurrency: 4 }));

async function differences(sourceSnapshot: SnapshotRecord[], deleteSync: boolean): Promise<Difference[]> {
  return collect(diffSnapshots(mapSnapshot(sourceSnapshot, rules), await read(copy), { deleteSync }));
}

async function repair(sourceSnapshot: SnapshotRecord[], deleteSync: boolean) {
  const operations = differencesToOperations(await differences(sourceSnapshot, deleteSync), target);
  const report = await execute(operations, {
    run: createOperationRunner(clients),
    sleep: async () => undefined,
    maxAttempts: 2,
  });
  return { operations, report };
}

async function drift(): Promise<void> {
  const glue = client("glue", copy);
  const lf = client("lakeformation", copy);
  await glue.send(
    new UpdateTableCommand({
      DatabaseName: "db_a",
      TableInput: {
        Name: "t2",
        TableType: "EXTERNAL_TABLE",
        Description: "edited in the target",
        PartitionKeys: [{ Name: "dt", Type: "string" }],
        StorageDescriptor: storage("s3://src-lake/db_a/t2"),
      },
    }),
  );
  await glue.send(
    new BatchDeletePartitionCommand({
      DatabaseName: "db_a",
      TableName: "t0",
      PartitionsToDelete: [{ Values: ["2026-01-03"] }],
    }),
  );
  await glue.send(
    new CreateTableCommand({
      DatabaseName: "db_b",
      TableInput: {
        Name: "target_only",
        PartitionKeys: [{ Name: "p", Type: "string" }],
        StorageDescriptor: storage("s3://x/y"),
      },
    }),
  );
  await glue.send(
    new BatchCreatePartitionCommand({
      DatabaseName: "db_b",
      TableName: "target_only",
      PartitionInputList: [{ Values: ["1"], StorageDescriptor: storage("s3://x/y/p=1") }],
    }),
  );
  await lf.send(new UpdateLFTagCommand({ TagKey: "tier", TagValuesToAdd: ["bronze"] }));
  await lf.send(
    new RemoveLFTagsFromResourceCommand({
      Resource: { TableWithColumns: { DatabaseName: "db_a", Name: "t1", ColumnNames: ["email"] } },
      LFTags: [{ TagKey: "pii", TagValues: ["yes"] }],
    }),
  );
  await lf.send(
    new RevokePermissionsCommand({
      Principal: { DataLakePrincipalIdentifier: role(copy.account, "analyst") },
      Resource: { Table: { DatabaseName: "db_a", Name: "t0" } },
      Permissions: ["SELECT"],
      PermissionsWithGrantOption: ["SELECT"],
    }),
  );
  await lf.send(
    new GrantPermissionsCommand({
      Principal: { DataLakePrincipalIdentifier: role(copy.account, "intruder") },
      Resource: { Database: { Name: "db_c" } },
      Permissions: ["DESCRIBE"],
    }),
  );
}

describe("restore and drift repair through the executor", () => {
  let sourceSnapshot: SnapshotRecord[];
  beforeAll(async () => {
    await seedSource(source);
    sourceSnapshot = await read(source);
  });

  it("restores a source into an empty account, then repairs drift with and without deleteSync", async () => {
    const restore = await repair(sourceSnapshot, true);
    expect(
      restore.report.summary.failed,
      JSON.stringify(restore.report.results.filter((r) => r.outcome.status === "failed")),
    ).toBe(0);
    expect(await differences(sourceSnapshot, true)).toEqual([]);

    await drift();
    const drifted = await differences(sourceSnapshot, false);
    expect(drifted.map((d) => [d.kind, d.key, d.change, d.kept]).sort()).toEqual(
      [
        ["table", "db_a/t2", "update", false],
        ["table", "db_b/target_only", "delete", true],
        ["partition", "db_a/t0/2026-01-03", "create", false],
        ["partition", "db_b/target_only/1", "delete", true],
        ["lfTag", "tier", "update", true],
        ["tagAssignment", "db_a/t1/email", "create", false],
        [
          "permission",
          `${role(copy.account, "analyst")}|{"Table":{"DatabaseName":"db_a","Name":"t0"}}`,
          "update",
          false,
        ],
        ["permission", `${role(copy.account, "intruder")}|{"Database":{"Name":"db_c"}}`, "delete", true],
      ].sort(),
    );

    // Without deleteSync: additions only; what is left is exactly the kept target-only state.
    const additive = await repair(sourceSnapshot, false);
    expect(additive.report.summary.failed).toBe(0);
    expect(additive.operations.some((o) => o.idempotency === "delete" || o.idempotency === "revoke")).toBe(
      false,
    );
    const left = await differences(sourceSnapshot, false);
    expect(left.length).toBe(4);
    expect(left.every((d) => d.kept)).toBe(true);

    // With deleteSync: the copy converges.
    const exact = await repair(sourceSnapshot, true);
    expect(
      exact.report.summary.failed,
      JSON.stringify(exact.report.results.filter((r) => r.outcome.status === "failed")),
    ).toBe(0);
    expect(await differences(sourceSnapshot, true)).toEqual([]);
  });
});
