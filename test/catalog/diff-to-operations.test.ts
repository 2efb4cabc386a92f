import { describe, expect, it } from "vitest";
import { collect, type Difference, diffSnapshots } from "../../modules/catalog/diff.ts";
import { differencesToOperations } from "../../modules/catalog/diff-to-operations.ts";
import { compareRecords, type SnapshotRecord } from "../../modules/catalog/model.ts";
import {
  databaseRecord,
  dataCellsFilterRecord,
  dataLakeSettingsRecord,
  lfTagRecord,
  partitionIndexRecord,
  partitionRecord,
  permissionRecord,
  registeredLocationRecord,
  tableRecord,
  tagAssignmentRecords,
} from "../../modules/catalog/normalise.ts";
import { batchLimits } from "../../modules/operations/apis.ts";
import { Phase } from "../../modules/operations/operation.ts";
import { schedule } from "../../modules/operations/ordering.ts";

const ACCOUNT = "222222222222";
const target = { name: "dr", account: ACCOUNT, region: "us-west-2" };

const partitions = (table: string, count: number, location = "s3://lake") =>
  Array.from({ length: count }, (_, i) =>
    partitionRecord("db", table, {
      Values: [String(i).padStart(4, "0")],
      StorageDescriptor: { Location: `${location}/${i}` },
    }),
  );

const grant = (principal: string, table: string, permissions: string[], withGrant: string[] = []) =>
  permissionRecord(
    {
      Principal: { DataLakePrincipalIdentifier: principal },
      Resource: { Table: { DatabaseName: "db", Name: table } },
      Permissions: permissions,
      PermissionsWithGrantOption: withGrant,
    },
    ACCOUNT,
  );

async function plan(source: SnapshotRecord[], targetRecords: SnapshotRecord[], deleteSync = true) {
  const differences: Difference[] = await collect(
    diffSnapshots(source.sort(compareRecords), targetRecords.sort(compareRecords), { deleteSync }),
  );
  return differencesToOperations(differences, target);
}

describe("differencesToOperations", () => {
  it("batches partitions at the API limits, never across tables", async () => {
    const source = [...partitions("a", 201), ...partitions("b", 3)];
    const targetRecords = [
      ...partitions("a", 201, "s3://old").slice(150), // 51 to update (150..200), 150 to create
      ...partitions("c", 26), // 26 to delete
    ];
    const operations = await plan(source, targetRecords);
    const summary = operations.map((o) => {
      const input = o.input as Record<string, unknown[]>;
      const size = (input.PartitionInputList ?? input.Entries ?? input.PartitionsToDelete)!.length;
      return [o.operation, o.input.TableName, size];
    });
    expect(summary).toEqual([
      ["BatchCreatePartition", "a", 100],
      ["BatchCreatePartition", "a", 50],
      ["BatchUpdatePartition", "a", 51],
      ["BatchCreatePartition", "b", 3],
      ["BatchDeletePartition", "c", 25],
      ["BatchDeletePartition", "c", 1],
    ]);
    const update = operations[2]!.input.Entries as {
      PartitionValueList: string[];
      PartitionInput: { Values: string[] };
    }[];
    expect(update[0]).toEqual({
      PartitionValueList: ["0150"],
      PartitionInput: { Values: ["0150"], StorageDescriptor: { Location: "s3://lake/150" } },
    });
    expect(
      operations.every((o) => o.phase === Phase.partitions && o.service === "glue" && o.target === target),
    ).toBe(true);
    expect(operations[0]?.onExists).toMatchObject({
      operation: "BatchUpdatePartition",
      input: { DatabaseName: "db", TableName: "a" },
      idempotency: "upsert",
    });
    expect(operations.map((o) => o.idempotency)).toEqual([
      "create",
      "create",
      "upsert",
      "create",
      "delete",
      "delete",
    ]);
  });

  it("creates databases and tables with an update fallback, and deletes tables in batches of 100 per database", async () => {
    const tables = (db: string, count: number) =>
      Array.from({ length: count }, (_, i) => tableRecord(db, { Name: `t${String(i).padStart(3, "0")}` }));
    const operations = await plan(
      [
        databaseRecord({ Name: "new" }),
        tableRecord("new", { Name: "t", TableType: "EXTERNAL_TABLE" }),
        databaseRecord({ Name: "old" }),
      ],
      [
        databaseRecord({ Name: "old" }),
        ...tables("old", 101),
        databaseRecord({ Name: "gone" }),
        ...tables("gone", 2),
      ],
    );
    expect(operations.map((o) => [o.operation, o.phase, o.resourceKey])).toEqual([
      ["DeleteDatabase", Phase.databases, `database:${ACCOUNT}/gone`],
      ["CreateDatabase", Phase.databases, `database:${ACCOUNT}/new`],
      ["CreateTable", Phase.tables, `table:${ACCOUNT}/new/t`],
      ["BatchDeleteTable", Phase.tables, `database:${ACCOUNT}/old`],
      ["BatchDeleteTable", Phase.tables, `database:${ACCOUNT}/old`],
    ]);
    expect(operations[1]).toMatchObject({
      input: { DatabaseInput: { Name: "new" } },
      idempotency: "create",
      onExists: {
        operation: "UpdateDatabase",
        input: { Name: "new", DatabaseInput: { Name: "new" } },
        idempotency: "upsert",
      },
    });
    expect(operations[2]).toMatchObject({
      input: { DatabaseName: "new", TableInput: { Name: "t", TableType: "EXTERNAL_TABLE" } },
      onExists: { operation: "UpdateTable" },
      description: "create table new.t",
    });
    expect((operations[3]!.input.TablesToDelete as string[]).length).toBe(batchLimits.BatchDeleteTable);
    expect(operations[4]!.input.TablesToDelete).toEqual(["t100"]);
  });

  it("removes target-only admins only with deleteSync, and the plan says which", async () => {
    const admins = (...ids: string[]) =>
      dataLakeSettingsRecord({ DataLakeAdmins: ids.map((id) => ({ DataLakePrincipalIdentifier: id })) });
    const [sync] = await plan([admins("a")], [admins("a", "b")], true);
    expect(sync).toMatchObject({
      operation: "PutDataLakeSettings",
      idempotency: "merge",
      input: { DataLakeSettings: { DataLakeAdmins: [{ DataLakePrincipalIdentifier: "a" }] } },
      description: "put data lake settings; removes admins b",
    });
    expect(sync!.input).not.toHaveProperty("__merge");
    expect(await plan([admins("a")], [admins("a", "b")], false)).toEqual([]);
    const [merge] = await plan([admins("c")], [admins("b")], false);
    expect(merge?.input).toMatchObject({
      DataLakeSettings: {
        DataLakeAdmins: [{ DataLakePrincipalIdentifier: "b" }, { DataLakePrincipalIdentifier: "c" }],
      },
    });
  });

  it("never removes a protected admin, and says so in the plan", async () => {
    const admins = (...ids: string[]) =>
      dataLakeSettingsRecord({ DataLakeAdmins: ids.map((id) => ({ DataLakePrincipalIdentifier: id })) });
    const differences = await collect(
      diffSnapshots([admins("lake")], [admins("breakglass", "old", "writer")], {
        deleteSync: true,
        protectedAdmins: ["writer", "breakglass", "absent"],
      }),
    );
    expect(differences).toMatchObject([
      // Protected admins stay whatever deleteSync says: they are expected, not kept drift.
      { kind: "dataLakeSettings", change: "update", kept: false, protectedAdmins: ["breakglass", "writer"] },
    ]);
    expect(differences[0]!.desired).toMatchObject({
      DataLakeAdmins: ["breakglass", "lake", "writer"].map((id) => ({ DataLakePrincipalIdentifier: id })),
    });
    const [put] = differencesToOperations(differences, target);
    expect(put).toMatchObject({
      operation: "PutDataLakeSettings",
      input: { __merge: { keepAdmins: ["breakglass", "writer"] } },
      description:
        "put data lake settings; removes admins old; keeps protected admins breakglass, writer (lakesync's own roles or configured protectedAdmins)",
    });
  });

  it("updates a location registered with the service-linked role by naming that role", async () => {
    const [update] = await plan(
      [registeredLocationRecord({ ResourceArn: "arn:aws:s3:::lake/x", HybridAccessEnabled: true })],
      [
        registeredLocationRecord({
          ResourceArn: "arn:aws:s3:::lake/x",
          RoleArn: "arn:aws:iam::1:role/custom",
        }),
      ],
    );
    expect(update).toMatchObject({
      operation: "UpdateResource",
      idempotency: "upsert",
      input: {
        ResourceArn: "arn:aws:s3:::lake/x",
        HybridAccessEnabled: true,
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess`,
      },
    });
    expect(update?.input).not.toHaveProperty("UseServiceLinkedRole");
  });

  it("turns a kept delete into nothing", async () => {
    const operations = await plan([], [databaseRecord({ Name: "keep" }), ...partitions("x", 3)], false);
    expect(operations).toEqual([]);
  });

  it("grants missing permissions and grant options in batches of 20 and revokes extras with deleteSync", async () => {
    const principals = Array.from(
      { length: 21 },
      (_, i) => `arn:aws:iam::${ACCOUNT}:role/r${String(i).padStart(2, "0")}`,
    );
    const source = [
      ...principals.map((p) => grant(p, "t", ["SELECT"])),
      grant("arn:x:owner", "t", ["ALTER", "SELECT"], ["SELECT"]),
    ];
    const targetRecords = [
      grant("arn:x:owner", "t", ["ALTER", "DROP", "SELECT"]),
      grant("arn:x:gone", "t", ["SELECT"]),
    ];
    const operations = await plan(source, targetRecords);
    expect(
      operations.map((o) => [o.operation, (o.input.Entries as unknown[]).length, o.phase, o.idempotency]),
    ).toEqual([
      ["BatchGrantPermissions", 20, Phase.permissions, "grant"],
      ["BatchGrantPermissions", 2, Phase.permissions, "grant"],
      ["BatchRevokePermissions", 2, Phase.permissions, "revoke"],
    ]);
    const entries = [
      ...(operations[0]!.input.Entries as object[]),
      ...(operations[1]!.input.Entries as object[]),
    ];
    expect(entries).toContainEqual({
      Id: "1",
      Principal: { DataLakePrincipalIdentifier: "arn:x:owner" },
      Resource: { Table: { DatabaseName: "db", Name: "t" } },
      Permissions: ["SELECT"],
      PermissionsWithGrantOption: ["SELECT"],
    });
    expect(operations[2]!.input.Entries).toEqual([
      {
        Id: "0",
        Principal: { DataLakePrincipalIdentifier: "arn:x:gone" },
        Resource: { Table: { DatabaseName: "db", Name: "t" } },
        Permissions: ["SELECT"],
      },
      {
        Id: "1",
        Principal: { DataLakePrincipalIdentifier: "arn:x:owner" },
        Resource: { Table: { DatabaseName: "db", Name: "t" } },
        Permissions: ["DROP"],
      },
    ]);

    const withoutDeleteSync = await plan(source, targetRecords, false);
    expect(withoutDeleteSync.map((o) => o.operation)).toEqual([
      "BatchGrantPermissions",
      "BatchGrantPermissions",
    ]);
  });

  it("removes a grant option alone by revoking permission+option and granting the permission back", async () => {
    const operations = await plan([grant("p", "t", ["SELECT"])], [grant("p", "t", ["SELECT"], ["SELECT"])]);
    expect(operations.map((o) => [o.operation, o.input.Entries])).toEqual([
      [
        "BatchRevokePermissions",
        [
          {
            Id: "0",
            Principal: { DataLakePrincipalIdentifier: "p" },
            Resource: { Table: { DatabaseName: "db", Name: "t" } },
            Permissions: ["SELECT"],
            PermissionsWithGrantOption: ["SELECT"],
          },
        ],
      ],
      [
        "BatchGrantPermissions",
        [
          {
            Id: "0",
            Principal: { DataLakePrincipalIdentifier: "p" },
            Resource: { Table: { DatabaseName: "db", Name: "t" } },
            Permissions: ["SELECT"],
          },
        ],
      ],
    ]);
  });

  it("keeps a grant option's revoke and grant-back on one key, so the grant-back runs after the revoke", async () => {
    // "a" gets a new grant (batched); "b" loses only a grant option. Batches are keyed by their
    // first entry and removals run last, so a batched grant-back would run before its revoke.
    const operations = await plan(
      [grant("a", "t", ["SELECT"]), grant("b", "t", ["SELECT"])],
      [grant("b", "t", ["SELECT"], ["SELECT"])],
    );
    const order = schedule(operations).flatMap((stage) =>
      stage.chains.flatMap((chain) => chain.indexes.map((i) => operations[i]!)),
    );
    const forB = order.filter((o) => JSON.stringify(o.input).includes('"b"'));
    expect(forB.map((o) => o.operation)).toEqual(["BatchRevokePermissions", "BatchGrantPermissions"]);
    expect(new Set(forB.map((o) => o.resourceKey)).size).toBe(1);
    expect(order.filter((o) => JSON.stringify(o.input).includes('"a"')).map((o) => o.operation)).toEqual([
      "BatchGrantPermissions",
    ]);
  });

  it("plans LF tags, assignments, settings, locations, partition indexes and data cells filters in their phases", async () => {
    const filter = (row: string) =>
      dataCellsFilterRecord({
        TableCatalogId: ACCOUNT,
        DatabaseName: "db",
        TableName: "t",
        Name: "f",
        RowFilter: { FilterExpression: row },
        ColumnWildcard: {},
      });
    const operations = await plan(
      [
        dataLakeSettingsRecord({ DataLakeAdmins: [{ DataLakePrincipalIdentifier: "admin" }] }),
        registeredLocationRecord({ ResourceArn: "arn:aws:s3:::lake/new" }),
        partitionIndexRecord("db", "t", { IndexName: "by_dt", Keys: [{ Name: "dt" }] }),
        lfTagRecord({ TagKey: "domain", TagValues: ["a", "b"] }),
        lfTagRecord({ TagKey: "fresh", TagValues: ["x"] }),
        filter("region = 'eu'"),
        ...tagAssignmentRecords("db", "t", { LFTagsOnTable: [{ TagKey: "domain", TagValues: ["a"] }] }),
      ],
      [
        registeredLocationRecord({ ResourceArn: "arn:aws:s3:::lake/old" }),
        partitionIndexRecord("db", "t", { IndexName: "by_dt", Keys: [{ Name: "region" }] }),
        lfTagRecord({ TagKey: "domain", TagValues: ["b", "c"] }),
        filter("region = 'us'"),
        ...tagAssignmentRecords("db", "t", {
          LFTagsOnTable: [
            { TagKey: "domain", TagValues: ["b"] },
            { TagKey: "old", TagValues: ["y"] },
          ],
        }),
      ],
    );
    expect(operations.map((o) => [o.operation, o.phase, o.service])).toEqual([
      ["PutDataLakeSettings", Phase.settings, "lakeformation"],
      ["RegisterResource", Phase.locations, "lakeformation"],
      ["DeregisterResource", Phase.locations, "lakeformation"],
      ["DeletePartitionIndex", Phase.partitions, "glue"],
      ["CreatePartitionIndex", Phase.partitions, "glue"],
      ["UpdateLFTag", Phase.lfTags, "lakeformation"],
      ["CreateLFTag", Phase.lfTags, "lakeformation"],
      ["UpdateDataCellsFilter", Phase.dataCellsFilters, "lakeformation"],
      ["RemoveLFTagsFromResource", Phase.tagAssignments, "lakeformation"],
      ["AddLFTagsToResource", Phase.tagAssignments, "lakeformation"],
    ]);
    const byOperation = Object.fromEntries(operations.map((o) => [o.operation, o]));
    expect(byOperation.PutDataLakeSettings).toMatchObject({
      idempotency: "merge",
      input: { DataLakeSettings: { DataLakeAdmins: [{ DataLakePrincipalIdentifier: "admin" }] } },
    });
    expect(byOperation.RegisterResource?.input).toEqual({
      ResourceArn: "arn:aws:s3:::lake/new",
      UseServiceLinkedRole: true,
    });
    expect(byOperation.CreatePartitionIndex?.input).toEqual({
      DatabaseName: "db",
      TableName: "t",
      PartitionIndex: { IndexName: "by_dt", Keys: ["dt"] },
    });
    expect(byOperation.UpdateLFTag?.input).toEqual({
      TagKey: "domain",
      TagValuesToAdd: ["a"],
      TagValuesToDelete: ["c"],
    });
    // Removing values is not a merge (merges only add): it is written as computed.
    expect(byOperation.UpdateLFTag?.idempotency).toBe("upsert");
    expect(byOperation.UpdateDataCellsFilter?.input).toEqual({
      TableData: {
        TableCatalogId: ACCOUNT,
        DatabaseName: "db",
        TableName: "t",
        Name: "f",
        RowFilter: { FilterExpression: "region = 'eu'" },
        ColumnWildcard: {},
      },
    });
    expect(byOperation.RemoveLFTagsFromResource?.input).toEqual({
      Resource: { Table: { DatabaseName: "db", Name: "t" } },
      LFTags: [{ TagKey: "old", TagValues: ["y"] }],
    });
    expect(byOperation.AddLFTagsToResource?.input).toEqual({
      Resource: { Table: { DatabaseName: "db", Name: "t" } },
      LFTags: [{ TagKey: "domain", TagValues: ["a"] }],
    });
    expect(operations.every((o) => o.description.length > 0 && o.resourceKey.length > 0)).toBe(true);
  });
});
