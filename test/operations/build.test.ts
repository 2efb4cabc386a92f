// The operation builders: what each one fills, its fallbacks, batch chunking at the API limits,
// and that every write API lakesync calls has a builder.

import { describe, expect, it } from "vitest";
import { protectedAdminsNote } from "../../modules/mapping/settings.ts";
import {
  batchLimits,
  GLUE_WRITE_APIS,
  type GlueWriteApi,
  LAKE_FORMATION_WRITE_APIS,
  type LakeFormationWriteApi,
} from "../../modules/operations/apis.ts";
import * as build from "../../modules/operations/build/index.ts";
import { execute } from "../../modules/operations/executor.ts";
import { Phase, resourceKeys, type TargetOperation } from "../../modules/operations/operation.ts";
import { commandInput } from "../../modules/operations/runner.ts";

const target = { name: "dr", account: "222222222222", region: "us-west-2" };
const to: build.Destination = { target };
const table = { DatabaseName: "sales", TableName: "orders" };
const partition = (value: string) => ({
  Values: [value],
  StorageDescriptor: { Location: `s3://l/${value}/` },
});
const grantEntry = (role: string) => ({
  Principal: { DataLakePrincipalIdentifier: `arn:aws:iam::222222222222:role/${role}` },
  Resource: { Table: { DatabaseName: "sales", Name: "orders" } },
  Permissions: ["SELECT"],
});
const resource = { Table: { DatabaseName: "sales", Name: "orders" } };
const filter = { TableCatalogId: "222222222222", DatabaseName: "sales", TableName: "orders", Name: "eu" };

/** One operation of every write API, each built by its builder. */
const everyWrite: Record<GlueWriteApi | LakeFormationWriteApi, TargetOperation> = {
  CreateDatabase: build.createDatabase(to, { Name: "sales" }),
  UpdateDatabase: build.updateDatabase(to, "sales", { Name: "sales" }),
  DeleteDatabase: build.deleteDatabase(to, "sales"),
  CreateTable: build.createTable(to, { DatabaseName: "sales", TableInput: { Name: "orders" } }),
  UpdateTable: build.updateTable(to, { DatabaseName: "sales", TableInput: { Name: "orders" } }),
  DeleteTable: build.deleteTable(to, "sales", "orders"),
  BatchDeleteTable: build.batchDeleteTables(to, "sales", ["a", "b"])[0]!,
  CreatePartition: build.createPartition(to, table, partition("1")),
  UpdatePartition: build.updatePartition(to, table, ["1"], partition("1")),
  DeletePartition: build.deletePartition(to, table, ["1"]),
  BatchCreatePartition: build.batchCreatePartitions(to, table, [partition("1")])[0]!,
  BatchUpdatePartition: build.batchUpdatePartitions(to, table, [
    { PartitionValueList: ["1"], PartitionInput: partition("1") },
  ])[0]!,
  BatchDeletePartition: build.batchDeletePartitions(to, table, [{ Values: ["1"] }])[0]!,
  CreatePartitionIndex: build.createPartitionIndex(to, table, { IndexName: "by_dt", Keys: ["dt"] }),
  DeletePartitionIndex: build.deletePartitionIndex(to, table, "by_dt"),
  GrantPermissions: build.grantPermissions(to, grantEntry("a")),
  RevokePermissions: build.revokePermissions(to, grantEntry("a")),
  BatchGrantPermissions: build.batchGrantPermissions(to, [grantEntry("a")])[0]!,
  BatchRevokePermissions: build.batchRevokePermissions(to, [grantEntry("a")])[0]!,
  CreateLFTag: build.createLfTag(to, "domain", ["sales"]),
  UpdateLFTag: build.updateLfTag(to, "domain", { remove: ["hr"] }),
  DeleteLFTag: build.deleteLfTag(to, "domain"),
  AddLFTagsToResource: build.addLfTagsToResource(to, resource, [{ TagKey: "domain", TagValues: ["sales"] }]),
  RemoveLFTagsFromResource: build.removeLfTagsFromResource(to, resource, [
    { TagKey: "domain", TagValues: ["sales"] },
  ]),
  PutDataLakeSettings: build.putDataLakeSettings(to, { DataLakeAdmins: [] }),
  RegisterResource: build.registerResource(to, { ResourceArn: "arn:aws:s3:::lake" }),
  DeregisterResource: build.deregisterResource(to, "arn:aws:s3:::lake"),
  UpdateResource: build.updateResource(to, {
    ResourceArn: "arn:aws:s3:::lake",
    RoleArn: "arn:aws:iam::2:role/r",
  }),
  CreateDataCellsFilter: build.createDataCellsFilter(to, filter),
  UpdateDataCellsFilter: build.updateDataCellsFilter(to, filter),
  DeleteDataCellsFilter: build.deleteDataCellsFilter(to, filter),
};

describe("operation builders", () => {
  it("have a builder for every write API, each naming its own API and service", () => {
    expect(Object.keys(everyWrite).sort()).toEqual([...GLUE_WRITE_APIS, ...LAKE_FORMATION_WRITE_APIS].sort());
    for (const [api, operation] of Object.entries(everyWrite)) {
      expect(operation.operation).toBe(api);
      expect(operation.service).toBe(
        (GLUE_WRITE_APIS as readonly string[]).includes(api) ? "glue" : "lakeformation",
      );
      expect(operation.target).toBe(target);
      expect(operation.description).not.toBe("");
      expect(operation.resourceKey).not.toBe("");
    }
  });

  it("name the destination's catalog in the input and the keys, and carry the source time", () => {
    const mapped = { target, catalogId: "333333333333", sourceTime: "2026-01-01T00:00:00Z" };
    expect(build.deleteTable(mapped, "sales", "orders")).toEqual({
      target,
      service: "glue",
      operation: "DeleteTable",
      input: { CatalogId: "333333333333", DatabaseName: "sales", Name: "orders" },
      resourceKey: resourceKeys.table("333333333333", "sales", "orders"),
      idempotency: "delete",
      phase: Phase.tables,
      sourceTime: "2026-01-01T00:00:00Z",
      description: "delete table sales.orders",
    });
    // Without a catalog the input names none and keys use the target's account.
    const plain = build.deleteTable(to, "sales", "orders");
    expect(plain.input).toEqual({ DatabaseName: "sales", Name: "orders" });
    expect(plain.resourceKey).toBe(resourceKeys.table(target.account, "sales", "orders"));
    expect("sourceTime" in plain).toBe(false);
  });

  it("build CreateTable with its UpdateTable fallback once, for every producer", () => {
    const TableInput = { Name: "orders", TableType: "EXTERNAL_TABLE" };
    const op = build.createOrUpdateTable(to, { DatabaseName: "sales", TableInput });
    expect(op).toMatchObject({
      operation: "CreateTable",
      idempotency: "create",
      phase: Phase.tables,
      input: { DatabaseName: "sales", TableInput },
      description: "create table sales.orders",
      onExists: {
        operation: "UpdateTable",
        idempotency: "upsert",
        resourceKey: op.resourceKey,
        input: { DatabaseName: "sales", TableInput },
        description: "update table sales.orders (it already exists)",
      },
    });
    // Absent optional members are left out, not sent as undefined.
    expect(Object.keys(op.input)).toEqual(["DatabaseName", "TableInput"]);
    expect(build.createTable(to, { DatabaseName: "sales", TableInput }).onExists).toBeUndefined();
  });

  it("give the other creates their fallbacks: database, partition, LF tag, location, data cells filter", () => {
    expect(build.createOrUpdateDatabase(to, { Name: "sales" }).onExists).toMatchObject({
      operation: "UpdateDatabase",
      input: { Name: "sales", DatabaseInput: { Name: "sales" } },
    });
    expect(build.createOrUpdatePartition(to, table, partition("1")).onExists).toMatchObject({
      operation: "UpdatePartition",
      input: { ...table, PartitionValueList: ["1"] },
    });
    expect(build.createOrUpdateLfTag(to, "domain", ["a", "b"]).onExists).toMatchObject({
      operation: "UpdateLFTag",
      idempotency: "merge",
      input: { TagKey: "domain", TagValuesToAdd: ["a", "b"] },
    });
    const location = { ResourceArn: "arn:aws:s3:::lake", RoleArn: "arn:aws:iam::2:role/r" };
    expect(build.registerOrUpdateResource(to, location, location).onExists).toMatchObject({
      operation: "UpdateResource",
      input: location,
      description:
        "update location arn:aws:s3:::lake to role arn:aws:iam::2:role/r (it is already registered)",
    });
    expect(build.createOrUpdateDataCellsFilter(to, filter).onExists).toMatchObject({
      operation: "UpdateDataCellsFilter",
      input: { TableData: filter },
    });
  });

  it("leave the onExists BatchUpdatePartition's entries to the executor", () => {
    const [op] = build.batchCreateOrUpdatePartitions(to, table, [partition("1")]);
    expect(op?.onExists).toMatchObject({
      operation: "BatchUpdatePartition",
      idempotency: "upsert",
      input: table,
      resourceKey: op?.resourceKey,
    });
    expect(op?.onExists?.input).not.toHaveProperty("Entries");
  });

  it("split batches at the API limits, keyed by their table or their first entry", () => {
    const partitions = Array.from({ length: 230 }, (_, i) => partition(String(i).padStart(3, "0")));
    const byTable = build.batchCreatePartitions(to, table, partitions);
    expect(byTable.map((op) => op.input.PartitionInputList?.length)).toEqual([100, 100, 30]);
    expect(new Set(byTable.map((op) => op.resourceKey))).toEqual(
      new Set([resourceKeys.table(target.account, "sales", "orders")]),
    );
    expect(byTable.map((op) => op.description)).toEqual([
      "create 100 partition(s) of sales.orders",
      "create 100 partition(s) of sales.orders",
      "create 30 partition(s) of sales.orders",
    ]);
    const byEntry = build.batchCreatePartitions(to, table, partitions, { keyBy: "firstEntry" });
    expect(byEntry.map((op) => op.resourceKey)).toEqual(
      ["000", "100", "200"].map((v) => resourceKeys.partition(target.account, "sales", "orders", [v])),
    );

    const deletes = build.batchDeletePartitions(
      to,
      table,
      partitions.map(({ Values }) => ({ Values })),
    );
    expect(deletes.map((op) => op.input.PartitionsToDelete?.length)).toEqual([
      25, 25, 25, 25, 25, 25, 25, 25, 25, 5,
    ]);
    expect(deletes).toHaveLength(Math.ceil(230 / batchLimits.BatchDeletePartition));

    const tables = Array.from({ length: 101 }, (_, i) => `t${i}`);
    const dropped = build.batchDeleteTables(to, "sales", tables);
    expect(dropped.map((op) => op.input.TablesToDelete?.length)).toEqual([100, 1]);
    expect(dropped[0]?.resourceKey).toBe(resourceKeys.database(target.account, "sales"));
    expect(dropped[1]?.description).toBe("delete 1 table(s) in sales: t100");

    const grants = build.batchGrantPermissions(
      to,
      Array.from({ length: 45 }, (_, i) => grantEntry(`r${i}`)),
    );
    expect(grants.map((op) => op.input.Entries?.length)).toEqual([20, 20, 5]);
    // Entries get an Id per chunk (matched with their failures); the first names the chunk's key.
    expect(grants[1]?.input.Entries?.map((e) => e.Id)).toEqual(
      Array.from({ length: 20 }, (_, i) => String(i)),
    );
    expect(grants[1]?.resourceKey).toBe(
      resourceKeys.permission("arn:aws:iam::222222222222:role/r20", grantEntry("r20").Resource),
    );
    expect(grants[2]?.description).toBe("grant 5 permission entries");
  });

  it("keep an entry's own Id and note why a batch is written", () => {
    const [op] = build.batchRevokePermissions(to, [{ Id: "src-7", ...grantEntry("a") }], {
      note: "grant option SELECT removed",
    });
    expect(op?.input.Entries?.[0]?.Id).toBe("src-7");
    expect(op?.description).toBe("revoke 1 permission entry (grant option SELECT removed)");
    expect(op?.idempotency).toBe("revoke");
  });

  it("put data lake settings as a merge, with the caller's directives", () => {
    const settings = { DataLakeAdmins: [{ DataLakePrincipalIdentifier: "arn:aws:iam::2:role/admin" }] };
    const op = build.putDataLakeSettings(to, settings, { keepAdmins: ["arn:aws:iam::2:role/writer"] });
    expect(op).toMatchObject({
      idempotency: "merge",
      phase: Phase.settings,
      resourceKey: resourceKeys.settings(target.account),
      description: `replace data lake settings (admins: arn:aws:iam::2:role/admin); ${protectedAdminsNote(["arn:aws:iam::2:role/writer"], { whenPresent: true })}`,
      input: { DataLakeSettings: settings, __merge: { keepAdmins: ["arn:aws:iam::2:role/writer"] } },
    });
    expect(commandInput(op.input)).toEqual({ DataLakeSettings: settings });
    expect(build.putDataLakeSettings(to, settings).description).toBe(
      "replace data lake settings (admins: arn:aws:iam::2:role/admin)",
    );
    expect(build.putDataLakeSettings(to, settings).input).not.toHaveProperty("__merge");
    expect(
      build.putDataLakeSettings(to, settings, undefined, { description: "put data lake settings" })
        .description,
    ).toBe("put data lake settings");
  });

  it("tell a plain LF tag write (replays removals) from a merge (adds what is missing)", () => {
    expect(build.updateLfTag(to, "domain", { add: ["a"], remove: ["b"] })).toMatchObject({
      idempotency: "upsert",
      input: { TagKey: "domain", TagValuesToAdd: ["a"], TagValuesToDelete: ["b"] },
    });
    expect(build.addLfTagValues(to, "domain", ["a"])).toMatchObject({
      idempotency: "merge",
      input: { TagKey: "domain", TagValuesToAdd: ["a"] },
    });
  });

  it("key a data cells filter by its table's catalog, else the destination's", () => {
    expect(build.deleteDataCellsFilter(to, filter).resourceKey).toBe(
      resourceKeys.dataCellsFilter("222222222222", "sales", "orders", "eu"),
    );
    const { TableCatalogId: _none, ...unnamed } = filter;
    const op = build.deleteDataCellsFilter({ target: { ...target, account: "444444444444" } }, unnamed);
    expect(op.resourceKey).toBe(resourceKeys.dataCellsFilter("444444444444", "sales", "orders", "eu"));
    expect(op.input).toEqual(unnamed);
  });

  it("build refetches as reads of read APIs only", () => {
    const read = build.readOperation(
      { target, sourceTime: "2026-01-01T00:00:00Z" },
      {
        service: "glue",
        operation: "GetTable",
        input: { DatabaseName: "sales", Name: "orders" },
        resourceKey: "k",
        description: "read table",
      },
    );
    expect(read).toMatchObject({ operation: "GetTable", idempotency: "read", phase: Phase.tables });
    expect(() =>
      build.readOperation(to, {
        service: "glue",
        operation: "DeleteTable",
        input: {},
        resourceKey: "k",
        description: "",
      }),
    ).toThrow("glue:DeleteTable is not a read lakesync makes");
  });

  it("narrow the input by operation name", async () => {
    const ops: TargetOperation[] = [
      build.createOrUpdateTable(to, { DatabaseName: "sales", TableInput: { Name: "t" } }),
    ];
    const seen: string[] = [];
    await execute(ops, {
      run: async (op) => {
        if (op.operation === "CreateTable")
          seen.push(`${op.input.DatabaseName}.${op.input.TableInput?.Name}`);
        return {};
      },
      sleep: async () => {},
      maxAttempts: 1,
    });
    expect(seen).toEqual(["sales.t"]);
  });
});
