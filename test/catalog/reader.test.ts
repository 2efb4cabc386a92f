// readCatalogSnapshot against local AWS: a catalog written with plain SDK calls reads back as
// the expected normalised records (across several pages of every list), and a copy written
// into another account and region from the diff's own operations reads back with 0 differences.
import {
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  BatchDeleteTableCommand,
  BatchUpdatePartitionCommand,
  CreateDatabaseCommand,
  CreatePartitionIndexCommand,
  CreateTableCommand,
  DeleteDatabaseCommand,
  UpdateDatabaseCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-glue";
import {
  AddLFTagsToResourceCommand,
  BatchGrantPermissionsCommand,
  BatchRevokePermissionsCommand,
  CreateDataCellsFilterCommand,
  CreateLFTagCommand,
  PutDataLakeSettingsCommand,
  RegisterResourceCommand,
  RemoveLFTagsFromResourceCommand,
  UpdateLFTagCommand,
} from "@aws-sdk/client-lakeformation";
import { beforeAll, describe, expect, it } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import { readCatalogSnapshot } from "../../modules/aws/catalog-reader.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { collect, diffSnapshots, mapSnapshot } from "../../modules/catalog/diff.ts";
import { differencesToOperations } from "../../modules/catalog/diff-to-operations.ts";
import type { SnapshotRecord } from "../../modules/catalog/model.ts";
import type { MappingRules } from "../../modules/mapping/mapping.ts";
import type { TargetOperation } from "../../modules/operations/operation.ts";
import { commandInput } from "../../modules/operations/runner.ts";
import { client, testLocation } from "../support/local-aws.ts";
import { databases, days, role, seedSource, storage, tables } from "./source-catalog.ts";

const source = testLocation("us-east-1");
const copy = testLocation("us-west-2");
const clients = new AwsClients(allClients, { maxAttempts: 1 });
const PAGE = 2; // every list below spans 2+ pages
const read = (location: typeof source) =>
  collect(
    readCatalogSnapshot(clients, location, {
      databases: "all",
      concurrency: 3,
      partitionSegments: 3,
      pageSize: PAGE,
    }),
  );

function expectedSource(): { kind: string; key: string; value: unknown }[] {
  const analyst = role(source.account, "analyst");
  const etl = role(source.account, "etl");
  return [
    {
      kind: "dataLakeSettings",
      key: "settings",
      value: {
        DataLakeAdmins: [{ DataLakePrincipalIdentifier: role(source.account, "admin") }],
        ReadOnlyAdmins: [],
        CreateDatabaseDefaultPermissions: [],
        CreateTableDefaultPermissions: [],
        TrustedResourceOwners: [],
        ExternalDataFilteringAllowList: [],
        AuthorizedSessionTagValueList: [],
        AllowExternalDataFiltering: false,
        AllowFullTableExternalDataAccess: false,
      },
    },
    {
      kind: "registeredLocation",
      key: "arn:aws:s3:::src-lake/data",
      value: { ResourceArn: "arn:aws:s3:::src-lake/data", RoleArn: role(source.account, "lf-access") },
    },
    ...databases.map((db) => ({
      kind: "database",
      key: db,
      value: { Name: db, LocationUri: `s3://src-lake/${db}` },
    })),
    ...tables.map((table) => ({
      kind: "table",
      key: `db_a/${table}`,
      value: {
        DatabaseName: "db_a",
        TableInput: expect.objectContaining({
          Name: table,
          TableType: "EXTERNAL_TABLE",
          Parameters: { classification: "parquet" },
          PartitionKeys: [{ Name: "dt", Type: "string" }],
          StorageDescriptor: expect.objectContaining(storage(`s3://src-lake/db_a/${table}`)),
        }),
      },
    })),
    ...days.map((day) => ({
      kind: "partition",
      key: `db_a/t0/${day}`,
      value: {
        DatabaseName: "db_a",
        TableName: "t0",
        PartitionInput: expect.objectContaining({
          Values: [day],
          StorageDescriptor: expect.objectContaining(storage(`s3://src-lake/db_a/t0/dt=${day}`)),
        }),
      },
    })),
    {
      kind: "partitionIndex",
      key: "db_a/t0/by_dt",
      value: { DatabaseName: "db_a", TableName: "t0", PartitionIndex: { IndexName: "by_dt", Keys: ["dt"] } },
    },
    { kind: "lfTag", key: "domain", value: { TagKey: "domain", TagValues: ["ops", "sales"] } },
    { kind: "lfTag", key: "pii", value: { TagKey: "pii", TagValues: ["yes"] } },
    { kind: "lfTag", key: "tier", value: { TagKey: "tier", TagValues: ["gold", "silver"] } },
    {
      kind: "dataCellsFilter",
      key: "db_a/t1/eu_only",
      value: {
        TableCatalogId: source.account,
        DatabaseName: "db_a",
        TableName: "t1",
        Name: "eu_only",
        RowFilter: { FilterExpression: "region = 'eu'" },
        ColumnNames: ["id"],
      },
    },
    {
      kind: "tagAssignment",
      key: "db_a",
      value: {
        Resource: { Database: { Name: "db_a" } },
        LFTags: [{ TagKey: "domain", TagValues: ["sales"] }],
      },
    },
    {
      kind: "tagAssignment",
      key: "db_a/t1",
      value: {
        Resource: { Table: { DatabaseName: "db_a", Name: "t1" } },
        LFTags: [{ TagKey: "tier", TagValues: ["gold"] }],
      },
    },
    {
      kind: "tagAssignment",
      key: "db_a/t1/email",
      value: {
        Resource: { TableWithColumns: { DatabaseName: "db_a", Name: "t1", ColumnNames: ["email"] } },
        LFTags: [{ TagKey: "pii", TagValues: ["yes"] }],
      },
    },
    {
      kind: "permission",
      key: `${analyst}|{"DataCellsFilter":{"DatabaseName":"db_a","Name":"eu_only","TableCatalogId":"${source.account}","TableName":"t1"}}`,
      value: {
        Principal: { DataLakePrincipalIdentifier: analyst },
        Resource: {
          DataCellsFilter: {
            TableCatalogId: source.account,
            DatabaseName: "db_a",
            TableName: "t1",
            Name: "eu_only",
          },
        },
        Permissions: ["SELECT"],
        PermissionsWithGrantOption: [],
      },
    },
    {
      kind: "permission",
      key: `${analyst}|{"Table":{"DatabaseName":"db_a","Name":"t0"}}`,
      value: {
        Principal: { DataLakePrincipalIdentifier: analyst },
        Resource: { Table: { DatabaseName: "db_a", Name: "t0" } },
        Permissions: ["DESCRIBE", "SELECT"],
        PermissionsWithGrantOption: ["SELECT"],
      },
    },
    {
      kind: "permission",
      key: `${etl}|{"DataLocation":{"ResourceArn":"arn:aws:s3:::src-lake/data"}}`,
      value: {
        Principal: { DataLakePrincipalIdentifier: etl },
        Resource: { DataLocation: { ResourceArn: "arn:aws:s3:::src-lake/data" } },
        Permissions: ["DATA_LOCATION_ACCESS"],
        PermissionsWithGrantOption: [],
      },
    },
    ...databases.map((db) => ({
      kind: "permission",
      key: `${etl}|{"Database":{"Name":"${db}"}}`,
      value: {
        Principal: { DataLakePrincipalIdentifier: etl },
        Resource: { Database: { Name: db } },
        Permissions: ["CREATE_TABLE", "DESCRIBE"],
        PermissionsWithGrantOption: ["DESCRIBE"],
      },
    })),
  ];
}

// Direct SDK calls for the operations a fresh copy needs (the executor has its own tests).
const commands: Record<string, new (input: never) => unknown> = {
  CreateDatabase: CreateDatabaseCommand,
  UpdateDatabase: UpdateDatabaseCommand,
  DeleteDatabase: DeleteDatabaseCommand,
  CreateTable: CreateTableCommand,
  UpdateTable: UpdateTableCommand,
  BatchDeleteTable: BatchDeleteTableCommand,
  BatchCreatePartition: BatchCreatePartitionCommand,
  BatchUpdatePartition: BatchUpdatePartitionCommand,
  BatchDeletePartition: BatchDeletePartitionCommand,
  CreatePartitionIndex: CreatePartitionIndexCommand,
  PutDataLakeSettings: PutDataLakeSettingsCommand,
  RegisterResource: RegisterResourceCommand,
  CreateLFTag: CreateLFTagCommand,
  UpdateLFTag: UpdateLFTagCommand,
  AddLFTagsToResource: AddLFTagsToResourceCommand,
  RemoveLFTagsFromResource: RemoveLFTagsFromResourceCommand,
  BatchGrantPermissions: BatchGrantPermissionsCommand,
  CreateDataCellsFilter: CreateDataCellsFilterCommand,
  BatchRevokePermissions: BatchRevokePermissionsCommand,
};

async function apply(operations: TargetOperation[]): Promise<void> {
  const ordered = [...operations].sort((a, b) => a.phase - b.phase);
  for (const operation of ordered) {
    const Command = commands[operation.operation];
    if (!Command) throw new Error(`no command for ${operation.operation}`);
    const sdkClient = client(operation.service, copy) as unknown as {
      send(command: unknown): Promise<unknown>;
    };
    const answer = (await sdkClient.send(new Command(commandInput(operation.input) as never))) as {
      Errors?: unknown[];
      Failures?: unknown[];
    };
    // Batch APIs answer 200 with per-entry failures: a copy must not silently miss entries.
    expect([...(answer.Errors ?? []), ...(answer.Failures ?? [])], operation.description).toEqual([]);
  }
}

const rules: MappingRules = {
  sourceAccount: source.account,
  sourceRegion: source.region,
  targetAccount: copy.account,
  targetRegion: copy.region,
  buckets: { "src-lake": "dr-lake" },
  accounts: {},
  principals: {},
  filters: { include: [], exclude: [] },
  protectedAdmins: [],
};

/** Counts the calls each client sends, by command name (to see that lists were paged). */
function countCalls(
  calls: Record<string, number>,
  ...sdkClients: { middlewareStack: { add: (...args: never[]) => unknown } }[]
) {
  for (const sdkClient of sdkClients) {
    sdkClient.middlewareStack.add(
      ((next: (args: unknown) => unknown, context: { commandName?: string }) => (args: unknown) => {
        const name = context.commandName ?? "?";
        calls[name] = (calls[name] ?? 0) + 1;
        return next(args);
      }) as never,
      { step: "initialize", name: "countCalls" } as never,
    );
  }
}

describe("readCatalogSnapshot", () => {
  let snapshot: SnapshotRecord[];
  const calls: Record<string, number> = {};
  beforeAll(async () => {
    await seedSource(source, { partitionIndex: true });
    countCalls(calls, clients.get("glue", source), clients.get("lakeformation", source));
    snapshot = await read(source);
  });

  it("reads every kind, over several pages, as normalised records in canonical order", () => {
    expect(snapshot).toEqual(expectedSource());
    // 5 databases, 5 tables, 7 partitions (3 segments), 3 tags, 7 grants in pages of 2.
    expect(calls).toMatchObject({
      GetDatabasesCommand: 3,
      GetTablesCommand: 3 + databases.length - 1,
      ListLFTagsCommand: 2,
      ListPermissionsCommand: 4,
    });
    expect(calls.GetPartitionsCommand).toBeGreaterThanOrEqual(4);
  });

  it("reads a copy written from the diff's operations in another account and region as 0 differences", async () => {
    const plan = await collect(
      diffSnapshots(mapSnapshot(snapshot, rules), await read(copy), { deleteSync: true }),
    );
    const operations = differencesToOperations(plan, { name: "copy", ...copy });
    expect(operations.length).toBeGreaterThan(0);
    await apply(operations);

    const reread = await read(copy);
    expect(await collect(diffSnapshots(mapSnapshot(snapshot, rules), reread, { deleteSync: true }))).toEqual(
      [],
    );
    expect(reread.find((r) => r.kind === "partition")?.value).toMatchObject({
      PartitionInput: { StorageDescriptor: { Location: "s3://dr-lake/db_a/t0/dt=2026-01-01" } },
    });
  });

  it("reads only the requested databases", async () => {
    const some = await collect(readCatalogSnapshot(clients, source, { databases: ["db_b"], pageSize: PAGE }));
    expect(some.filter((r) => r.kind === "database").map((r) => r.key)).toEqual(["db_b"]);
    expect(some.filter((r) => r.kind === "table")).toEqual([]);
    expect(some.filter((r) => r.kind === "permission").map((r) => r.key)).toEqual([
      `${role(source.account, "etl")}|{"DataLocation":{"ResourceArn":"arn:aws:s3:::src-lake/data"}}`,
      `${role(source.account, "etl")}|{"Database":{"Name":"db_b"}}`,
    ]);
  });
});
