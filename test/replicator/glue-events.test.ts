// The Glue event families end to end: SDK writes in the source -> local CloudTrail -> poller ->
// journal -> replicator -> both targets, read back through the SDK. One `replicate --once` run
// replays them all; each test checks one family on both targets.
import {
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  BatchDeleteTableCommand,
  BatchUpdatePartitionCommand,
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreateTableCommand,
  DeleteDatabaseCommand,
  DeletePartitionCommand,
  DeleteTableCommand,
  GetDatabaseCommand,
  GetPartitionsCommand,
  GetTableCommand,
  GetTablesCommand,
  type StorageDescriptor,
  UpdateDatabaseCommand,
  UpdatePartitionCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-glue";
import { beforeAll, describe, expect, it } from "vitest";
import type { TargetOutcome } from "../../modules/replicator/replicate-event.ts";
import type { TestLocation } from "../support/local-aws.ts";
import { glue, type Lake, newLake, nextSecond, replicateOnce } from "./support.ts";

const location = (path: string) => `s3://lake-src/sales/${path}`;

function storage(path: string, extra: Partial<StorageDescriptor> = {}): StorageDescriptor {
  return {
    Columns: [
      { Name: "OrderId", Type: "bigint" },
      { Name: "customerName", Type: "string" },
    ],
    Location: location(path),
    AdditionalLocations: [location(`${path}archive/`)],
    SerdeInfo: {
      SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
      Parameters: { path: location(path), "serialization.format": "1" },
    },
    ...extra,
  };
}

const partition = (day: string, parameters: Record<string, string> = {}) => ({
  Values: [day],
  StorageDescriptor: storage(`orders/dt=${day}/`),
  Parameters: parameters,
});

async function sourceActivity(source: TestLocation): Promise<void> {
  const g = glue(source);
  await g.send(
    new CreateDatabaseCommand({
      DatabaseInput: {
        Name: "sales",
        LocationUri: location(""),
        Parameters: { EXTERNAL: "TRUE", "skip.header.line.count": "1" },
      },
    }),
  );
  await g.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "scratch" } }));
  await nextSecond();
  await g.send(
    new UpdateDatabaseCommand({
      Name: "sales",
      DatabaseInput: {
        Name: "sales",
        Description: "Sales data",
        LocationUri: location(""),
        Parameters: { EXTERNAL: "TRUE", "skip.header.line.count": "1" },
      },
    }),
  );
  await g.send(new DeleteDatabaseCommand({ Name: "scratch" }));
  const orders = {
    Name: "orders",
    TableType: "EXTERNAL_TABLE",
    Parameters: {
      EXTERNAL: "TRUE",
      classification: "parquet",
      "projection.enabled": "false",
      metadata_location: location("orders/metadata/00001.metadata.json"),
    },
    PartitionKeys: [{ Name: "dt", Type: "string" }],
    StorageDescriptor: storage("orders/"),
  };
  await g.send(new CreateTableCommand({ DatabaseName: "sales", TableInput: orders }));
  for (const name of ["tmp1", "tmp2", "tmp3"]) {
    await g.send(new CreateTableCommand({ DatabaseName: "sales", TableInput: { Name: name } }));
  }
  await nextSecond();
  await g.send(
    new UpdateTableCommand({ DatabaseName: "sales", TableInput: { ...orders, Description: "orders v2" } }),
  );
  await g.send(new DeleteTableCommand({ DatabaseName: "sales", Name: "tmp1" }));
  await g.send(new BatchDeleteTableCommand({ DatabaseName: "sales", TablesToDelete: ["tmp2", "tmp3"] }));
  const inOrders = { DatabaseName: "sales", TableName: "orders" };
  await g.send(new CreatePartitionCommand({ ...inOrders, PartitionInput: partition("2026-01-01") }));
  // 2026-01-01 exists: that entry fails in the source and must not be replayed (it would
  // overwrite the partition with the "wrong" location and parameter).
  const batch = await g.send(
    new BatchCreatePartitionCommand({
      ...inOrders,
      PartitionInputList: [
        { ...partition("2026-01-01", { wrong: "yes" }), StorageDescriptor: storage("wrong/") },
        partition("2026-01-02"),
        partition("2026-01-03"),
        partition("2026-01-04"),
        partition("2026-01-05"),
      ],
    }),
  );
  expect(batch.Errors?.map((e) => e.PartitionValues)).toEqual([["2026-01-01"]]);
  await nextSecond();
  await g.send(
    new UpdatePartitionCommand({
      ...inOrders,
      PartitionValueList: ["2026-01-02"],
      PartitionInput: partition("2026-01-02", { note: "fixed" }),
    }),
  );
  await g.send(
    new BatchUpdatePartitionCommand({
      ...inOrders,
      Entries: [
        { PartitionValueList: ["2026-01-03"], PartitionInput: partition("2026-01-03", { note: "batch" }) },
      ],
    }),
  );
  await g.send(new DeletePartitionCommand({ ...inOrders, PartitionValues: ["2026-01-04"] }));
  await g.send(
    new BatchDeletePartitionCommand({ ...inOrders, PartitionsToDelete: [{ Values: ["2026-01-05"] }] }),
  );
}

const glueEvents = [
  "CreateDatabase",
  "UpdateDatabase",
  "DeleteDatabase",
  "CreateTable",
  "UpdateTable",
  "DeleteTable",
  "BatchDeleteTable",
  "CreatePartition",
  "BatchCreatePartition",
  "UpdatePartition",
  "BatchUpdatePartition",
  "DeletePartition",
  "BatchDeletePartition",
];

describe("replicate --once: Glue events", () => {
  let lake: Lake;
  let outcomes: TargetOutcome[];
  let targets: { name: string; location: TestLocation; bucket: string }[];

  beforeAll(async () => {
    lake = await newLake();
    targets = [
      { name: "west", location: lake.west, bucket: "lake-west" },
      { name: "backup", location: lake.backup, bucket: "lake-backup" },
    ];
    await sourceActivity(lake.source);
    const result = await replicateOnce(lake);
    expect(result.run.stderr).toBe("");
    expect(result.run.code).toBe(0);
    outcomes = result.outcomes;
  });

  it.each(glueEvents)("%s is applied on both targets", (eventName) => {
    const states = outcomes.filter((o) => o.eventName === eventName).map((o) => `${o.target}: ${o.state}`);
    expect(states.length).toBeGreaterThanOrEqual(2);
    expect(new Set(states)).toEqual(new Set(["west: applied", "backup: applied"]));
  });

  it("databases: created, updated, deleted; location mapped, parameter keys untouched", async () => {
    for (const { location, bucket } of targets) {
      const { Database } = await glue(location).send(new GetDatabaseCommand({ Name: "sales" }));
      expect(Database).toMatchObject({
        Name: "sales",
        Description: "Sales data",
        LocationUri: `s3://${bucket}/sales/`,
        Parameters: { EXTERNAL: "TRUE", "skip.header.line.count": "1" },
      });
      await expect(glue(location).send(new GetDatabaseCommand({ Name: "scratch" }))).rejects.toThrow(
        /EntityNotFound|not found/i,
      );
    }
  });

  it("tables: every location field mapped, column names and parameter keys untouched, deletes replayed", async () => {
    for (const { location, bucket } of targets) {
      const { Table } = await glue(location).send(
        new GetTableCommand({ DatabaseName: "sales", Name: "orders" }),
      );
      const at = (path: string) => `s3://${bucket}/sales/${path}`;
      expect(Table).toMatchObject({
        Description: "orders v2",
        Parameters: {
          EXTERNAL: "TRUE",
          classification: "parquet",
          "projection.enabled": "false",
          metadata_location: at("orders/metadata/00001.metadata.json"),
        },
        PartitionKeys: [{ Name: "dt", Type: "string" }],
        StorageDescriptor: {
          Columns: [
            { Name: "OrderId", Type: "bigint" },
            { Name: "customerName", Type: "string" },
          ],
          Location: at("orders/"),
          AdditionalLocations: [at("orders/archive/")],
          SerdeInfo: { Parameters: { path: at("orders/"), "serialization.format": "1" } },
        },
      });
      const { TableList } = await glue(location).send(new GetTablesCommand({ DatabaseName: "sales" }));
      expect(TableList?.map((t) => t.Name)).toEqual(["orders"]);
    }
  });

  it("partitions: single and batch create/update/delete; the entry that failed in the source is not replayed", async () => {
    for (const { location, bucket } of targets) {
      const { Partitions } = await glue(location).send(
        new GetPartitionsCommand({ DatabaseName: "sales", TableName: "orders" }),
      );
      const byDay = Object.fromEntries(
        (Partitions ?? []).map((p) => [
          p.Values?.[0],
          { location: p.StorageDescriptor?.Location, parameters: p.Parameters },
        ]),
      );
      const at = (day: string) => `s3://${bucket}/sales/orders/dt=${day}/`;
      expect(byDay).toEqual({
        "2026-01-01": { location: at("2026-01-01"), parameters: {} },
        "2026-01-02": { location: at("2026-01-02"), parameters: { note: "fixed" } },
        "2026-01-03": { location: at("2026-01-03"), parameters: { note: "batch" } },
      });
    }
  });

  it("a second run finds nothing left to do", async () => {
    const again = await replicateOnce(lake);
    expect(again.run.code).toBe(0);
    expect(again.outcomes).toEqual([]);
  });
});
