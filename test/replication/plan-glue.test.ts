// Glue events: exact SDK inputs in the target, every location/catalog id mapped, map keys and
// list values untouched, filters, partial source batches and API-limit splitting.
import { describe, expect, it } from "vitest";
import { Phase } from "../../modules/operations/operation.ts";
import { calls, DST, fixture, plan, rules, SRC, target } from "./fixtures.ts";

const columns = [
  { Name: "OrderId", Type: "bigint", Comment: "Primary Key" },
  { Name: "customerName", Type: "string" },
  { Name: "name", Type: "string" },
];
const formats = {
  InputFormat: "org.apache.hadoop.mapred.TextInputFormat",
  OutputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
};
const tableInput = {
  Name: "orders",
  Description: "Customer orders",
  Owner: "hadoop",
  Retention: 0,
  LastAccessTime: new Date("2026-11-22T10:00:00Z"),
  StorageDescriptor: {
    Columns: columns,
    Location: "s3://lake-west/sales/orders/",
    AdditionalLocations: ["s3://lake-west/sales/orders-archive/"],
    ...formats,
    Compressed: false,
    NumberOfBuckets: -1,
    SerdeInfo: {
      SerializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
      Parameters: { "field.delim": ",", "serialization.format": ",", path: "s3://lake-west/sales/orders/" },
    },
    BucketColumns: ["id"],
    SortColumns: [],
    Parameters: { classification: "csv", "skip.header.line.count": "1" },
    StoredAsSubDirectories: false,
  },
  PartitionKeys: [{ Name: "dt", Type: "string", Comment: "Load Date" }],
  TableType: "EXTERNAL_TABLE",
  // Map keys are data: "EXTERNAL", "comment" and "location" keep their exact spelling.
  Parameters: {
    EXTERNAL: "TRUE",
    classification: "csv",
    "skip.header.line.count": "1",
    comment: "Kept As Is",
    location: "not-a-member",
  },
};
const partitionInput = (dt: string) => ({
  Values: [dt],
  StorageDescriptor: {
    Columns: columns,
    Location: `s3://lake-west/sales/orders/dt=${dt}/`,
    ...formats,
    SerdeInfo: {
      SerializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
      Parameters: { "field.delim": "," },
    },
  },
  Parameters: { numRows: "42", "Source.File": "Part-0" },
});
const inTable = { DatabaseName: "sales", TableName: "orders" };

describe("Glue events become exact SDK v3 inputs in the target", () => {
  it.each<[string, [string, Record<string, unknown>][]]>([
    [
      "CreateDatabase",
      [
        [
          "CreateDatabase",
          {
            CatalogId: DST,
            DatabaseInput: {
              Name: "sales",
              Description: "Sales domain",
              LocationUri: "s3://lake-west/sales/",
              Parameters: { CreatedBy: "DataPlatform", owner: "Sales Team" },
              CreateTableDefaultPermissions: [
                {
                  Principal: { DataLakePrincipalIdentifier: "IAM_ALLOWED_PRINCIPALS" },
                  Permissions: ["ALL"],
                },
              ],
            },
          },
        ],
      ],
    ],
    [
      "UpdateDatabase",
      [
        [
          "UpdateDatabase",
          {
            Name: "sales",
            DatabaseInput: {
              Name: "sales",
              Description: "Sales domain (v2)",
              LocationUri: "s3://lake-west/sales/",
              Parameters: { Owner: "Sales Team" },
            },
          },
        ],
      ],
    ],
    ["DeleteDatabase", [["DeleteDatabase", { Name: "sales_old" }]]],
    ["CreateTable", [["CreateTable", { DatabaseName: "sales", TableInput: tableInput }]]],
    [
      "UpdateTable",
      [
        [
          "UpdateTable",
          {
            CatalogId: DST,
            DatabaseName: "sales",
            TableInput: { ...tableInput, Description: "Customer orders (v2)" },
            SkipArchive: true,
            // VersionId "3" is the source's optimistic-lock token: not replayed.
          },
        ],
      ],
    ],
    ["DeleteTable", [["DeleteTable", { DatabaseName: "sales", Name: "orders_tmp" }]]],
    // missing_tmp failed in the source (responseElements.errors): not replayed.
    [
      "BatchDeleteTable",
      [["BatchDeleteTable", { DatabaseName: "sales", TablesToDelete: ["orders_tmp", "Returns_Tmp"] }]],
    ],
    ["CreatePartition", [["CreatePartition", { ...inTable, PartitionInput: partitionInput("2026-11-21") }]]],
    [
      "BatchCreatePartition",
      [
        [
          "BatchCreatePartition",
          // 2026-11-21 failed in the source with AlreadyExists: only the two that were created.
          {
            CatalogId: DST,
            ...inTable,
            PartitionInputList: [partitionInput("2026-11-20"), partitionInput("2026-11-22")],
          },
        ],
      ],
    ],
    [
      "UpdatePartition",
      [
        [
          "UpdatePartition",
          { ...inTable, PartitionValueList: ["2026-11-21"], PartitionInput: partitionInput("2026-11-21") },
        ],
      ],
    ],
    [
      "BatchUpdatePartition",
      [
        [
          "BatchUpdatePartition",
          {
            ...inTable,
            Entries: [
              { PartitionValueList: ["2026-11-20"], PartitionInput: partitionInput("2026-11-20") },
              { PartitionValueList: ["2026-11-21"], PartitionInput: partitionInput("2026-11-21") },
            ],
          },
        ],
      ],
    ],
    ["DeletePartition", [["DeletePartition", { ...inTable, PartitionValues: ["2026-11-01"] }]]],
    [
      "BatchDeletePartition",
      [
        [
          "BatchDeletePartition",
          { ...inTable, PartitionsToDelete: [{ Values: ["2026-11-01"] }, { Values: ["2026-11-02"] }] },
        ],
      ],
    ],
  ])("%s", (eventName, expected) => {
    const result = plan(fixture(eventName));
    expect(result.outcome).toBe("apply");
    expect(calls(result)).toEqual(expected);
    for (const op of result.operations) {
      expect(op.target).toEqual(target);
      expect(op.service).toBe("glue");
      expect(op.sourceTime).toBe(fixture(eventName).eventTime.replace("Z", ".000Z"));
      expect(op.description).not.toBe("");
    }
  });
});

describe("replays converge and deletes are idempotent", () => {
  it("CreateTable is a create whose onExists is the UpdateTable of the same mapped input", () => {
    const [op] = plan(fixture("CreateTable")).operations;
    expect(op).toMatchObject({
      idempotency: "create",
      phase: Phase.tables,
      resourceKey: `table:${DST}/sales/orders`,
    });
    expect(op!.onExists).toMatchObject({
      operation: "UpdateTable",
      idempotency: "upsert",
      input: { DatabaseName: "sales", TableInput: tableInput },
    });
  });

  it("CreateDatabase falls back to UpdateDatabase, CreatePartition to UpdatePartition", () => {
    const [db] = plan(fixture("CreateDatabase")).operations;
    expect(db!.onExists).toMatchObject({
      operation: "UpdateDatabase",
      input: { CatalogId: DST, Name: "sales" },
    });
    const [partition] = plan(fixture("CreatePartition")).operations;
    expect(partition!.onExists).toMatchObject({
      operation: "UpdatePartition",
      input: { ...inTable, PartitionValueList: ["2026-11-21"], PartitionInput: partitionInput("2026-11-21") },
    });
    expect(partition!.resourceKey).toBe(`partition:${DST}/sales/orders/["2026-11-21"]`);
  });

  it("BatchCreatePartition converges through the executor: onExists BatchUpdatePartition names the table", () => {
    const [op] = plan(fixture("BatchCreatePartition")).operations;
    expect(op).toMatchObject({ idempotency: "create", phase: Phase.partitions });
    expect(op!.onExists).toMatchObject({
      operation: "BatchUpdatePartition",
      idempotency: "upsert",
      input: { CatalogId: DST, DatabaseName: "sales", TableName: "orders" },
    });
  });

  it.each(["DeleteDatabase", "DeleteTable", "BatchDeleteTable", "DeletePartition", "BatchDeletePartition"])(
    "%s is a delete",
    (eventName) => {
      for (const op of plan(fixture(eventName)).operations) expect(op.idempotency).toBe("delete");
    },
  );
});

describe("mapping", () => {
  it("without mapping rules for the bucket, locations stay; the account is still mapped", () => {
    const result = plan(fixture("CreateDatabase"), rules({ buckets: {} }));
    expect(calls(result)[0]![1]).toMatchObject({
      CatalogId: DST,
      DatabaseInput: { LocationUri: "s3://lake-east/sales/" },
    });
  });

  it("a catalog id of a third account follows mapping.accounts", () => {
    const record = fixture("CreateTable", (raw) => {
      (raw.requestParameters as Record<string, unknown>).catalogId = "333333333333";
    });
    const result = plan(record, rules({ accounts: { "333333333333": "444444444444" } }));
    expect(calls(result)[0]![1]).toMatchObject({ CatalogId: "444444444444" });
    expect(result.operations[0]!.resourceKey).toBe("table:444444444444/sales/orders");
  });

  it("Iceberg metadata pointers in table parameters are remapped", () => {
    const record = fixture("UpdateTable", (raw) => {
      const rp = raw.requestParameters as { tableInput: { parameters: Record<string, string> } };
      rp.tableInput.parameters = {
        table_type: "ICEBERG",
        metadata_location: "s3://lake-east/sales/orders/metadata/00002.metadata.json",
      };
    });
    const input = calls(plan(record))[0]![1] as { TableInput: { Parameters: Record<string, string> } };
    expect(input.TableInput.Parameters).toEqual({
      table_type: "ICEBERG",
      metadata_location: "s3://lake-west/sales/orders/metadata/00002.metadata.json",
    });
  });
});

describe("filters", () => {
  it("an excluded database ignores its database, table and partition events with a reason", () => {
    const mapping = rules({ filters: { include: [], exclude: ["sales"] } });
    for (const eventName of ["CreateDatabase", "CreateTable", "BatchCreatePartition", "DeletePartition"]) {
      const result = plan(fixture(eventName), mapping);
      expect(result).toMatchObject({ outcome: "ignore", operations: [] });
      expect(result.reason).toMatch(/sales.* is excluded by the filters/);
    }
  });

  it("an excluded table is ignored; its database is still replicated", () => {
    const mapping = rules({ filters: { include: [], exclude: ["sales.orders"] } });
    expect(plan(fixture("CreateTable"), mapping).outcome).toBe("ignore");
    expect(plan(fixture("UpdateDatabase"), mapping).outcome).toBe("apply");
  });

  it("BatchDeleteTable keeps only the included tables", () => {
    const mapping = rules({ filters: { include: ["sales.orders_*"], exclude: [] } });
    expect(calls(plan(fixture("BatchDeleteTable"), mapping))).toEqual([
      ["BatchDeleteTable", { DatabaseName: "sales", TablesToDelete: ["orders_tmp"] }],
    ]);
  });
});

describe("batches split at the API limits", () => {
  const values = (n: number) => Array.from({ length: n }, (_, i) => `2026-01-${String(i).padStart(3, "0")}`);

  it("BatchCreatePartition: 250 partitions -> 100 + 100 + 50, each keyed by its first partition", () => {
    const record = fixture("BatchCreatePartition", (raw) => {
      const rp = raw.requestParameters as Record<string, unknown>;
      rp.partitionInputList = values(250).map((v) => ({ values: [v] }));
      raw.responseElements = { errors: [] };
    });
    const ops = plan(record).operations;
    expect(ops.map((op) => (op.input.PartitionInputList as unknown[]).length)).toEqual([100, 100, 50]);
    expect(ops.map((op) => op.resourceKey)).toEqual([
      `partition:${DST}/sales/orders/["2026-01-000"]`,
      `partition:${DST}/sales/orders/["2026-01-100"]`,
      `partition:${DST}/sales/orders/["2026-01-200"]`,
    ]);
  });

  it("BatchDeletePartition splits at 25, BatchUpdatePartition at 100, BatchDeleteTable at 100", () => {
    const deletes = fixture("BatchDeletePartition", (raw) => {
      (raw.requestParameters as Record<string, unknown>).partitionsToDelete = values(60).map((v) => ({
        values: [v],
      }));
    });
    expect(plan(deletes).operations.map((op) => (op.input.PartitionsToDelete as unknown[]).length)).toEqual([
      25, 25, 10,
    ]);

    const updates = fixture("BatchUpdatePartition", (raw) => {
      (raw.requestParameters as Record<string, unknown>).entries = values(101).map((v) => ({
        partitionValueList: [v],
        partitionInput: { values: [v] },
      }));
    });
    expect(plan(updates).operations.map((op) => (op.input.Entries as unknown[]).length)).toEqual([100, 1]);

    const tables = fixture("BatchDeleteTable", (raw) => {
      (raw.requestParameters as Record<string, unknown>).tablesToDelete = values(201).map((v) => `t_${v}`);
      raw.responseElements = { errors: [] };
    });
    expect(plan(tables).operations.map((op) => (op.input.TablesToDelete as unknown[]).length)).toEqual([
      100, 100, 1,
    ]);
  });

  it("a source batch where every entry failed replays nothing", () => {
    const record = fixture("BatchDeleteTable", (raw) => {
      raw.responseElements = {
        errors: ["orders_tmp", "Returns_Tmp", "missing_tmp"].map((tableName) => ({
          tableName,
          errorDetail: { errorCode: "EntityNotFoundException" },
        })),
      };
    });
    expect(plan(record)).toEqual({
      outcome: "ignore",
      reason: "every entry of the source batch call failed",
      operations: [],
    });
  });
});

it("the source account and region default to the record's", () => {
  expect(fixture("CreateTable")).toMatchObject({ recipientAccountId: SRC, awsRegion: "us-east-1" });
});
