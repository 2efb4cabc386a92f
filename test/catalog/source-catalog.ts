// A source catalog for reader and drift tests: 5 databases, 5 tables, 7 partitions, 3 LF tags,
// assignments on a database, a table and a column, grants (with grant options) on databases, a
// table, a data location and a data cells filter, data lake admins, a registered location, and
// (optionally) a partition index.
import {
  BatchCreatePartitionCommand,
  CreateDatabaseCommand,
  CreatePartitionIndexCommand,
  CreateTableCommand,
} from "@aws-sdk/client-glue";
import {
  AddLFTagsToResourceCommand,
  BatchGrantPermissionsCommand,
  CreateDataCellsFilterCommand,
  CreateLFTagCommand,
  GrantPermissionsCommand,
  PutDataLakeSettingsCommand,
  RegisterResourceCommand,
} from "@aws-sdk/client-lakeformation";
import { client, type TestLocation } from "../support/local-aws.ts";

export const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
export const databases = ["db_a", "db_b", "db_c", "db_d", "db_e"];
export const tables = ["t0", "t1", "t2", "t3", "t4"];
export const days = [
  "2026-01-01",
  "2026-01-02",
  "2026-01-03",
  "2026-01-04",
  "2026-01-05",
  "2026-01-06",
  "2026-01-07",
];

export const storage = (location: string) => ({
  Columns: [
    { Name: "id", Type: "bigint" },
    { Name: "email", Type: "string" },
  ],
  Location: location,
  InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
  OutputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
  SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
});

/** Writes a small catalog of every supported kind into `source` with plain SDK calls. */
export async function seedSource(
  source: TestLocation,
  options: { partitionIndex?: boolean } = {},
): Promise<void> {
  const glue = client("glue", source);
  const lf = client("lakeformation", source);
  await lf.send(
    new PutDataLakeSettingsCommand({
      DataLakeSettings: { DataLakeAdmins: [{ DataLakePrincipalIdentifier: role(source.account, "admin") }] },
    }),
  );
  await lf.send(
    new RegisterResourceCommand({
      ResourceArn: "arn:aws:s3:::src-lake/data",
      RoleArn: role(source.account, "lf-access"),
    }),
  );
  for (const db of databases) {
    await glue.send(
      new CreateDatabaseCommand({ DatabaseInput: { Name: db, LocationUri: `s3://src-lake/${db}` } }),
    );
  }
  for (const table of tables) {
    await glue.send(
      new CreateTableCommand({
        DatabaseName: "db_a",
        TableInput: {
          Name: table,
          TableType: "EXTERNAL_TABLE",
          Parameters: { classification: "parquet" },
          PartitionKeys: [{ Name: "dt", Type: "string" }],
          StorageDescriptor: storage(`s3://src-lake/db_a/${table}`),
        },
      }),
    );
  }
  await glue.send(
    new BatchCreatePartitionCommand({
      DatabaseName: "db_a",
      TableName: "t0",
      PartitionInputList: days.map((day) => ({
        Values: [day],
        StorageDescriptor: storage(`s3://src-lake/db_a/t0/dt=${day}`),
      })),
    }),
  );
  await lf.send(new CreateLFTagCommand({ TagKey: "domain", TagValues: ["sales", "ops"] }));
  await lf.send(new CreateLFTagCommand({ TagKey: "pii", TagValues: ["yes"] }));
  await lf.send(new CreateLFTagCommand({ TagKey: "tier", TagValues: ["gold", "silver"] }));
  await lf.send(
    new AddLFTagsToResourceCommand({
      Resource: { Database: { Name: "db_a" } },
      LFTags: [{ TagKey: "domain", TagValues: ["sales"] }],
    }),
  );
  await lf.send(
    new AddLFTagsToResourceCommand({
      Resource: { Table: { DatabaseName: "db_a", Name: "t1" } },
      LFTags: [{ TagKey: "tier", TagValues: ["gold"] }],
    }),
  );
  await lf.send(
    new AddLFTagsToResourceCommand({
      Resource: { TableWithColumns: { DatabaseName: "db_a", Name: "t1", ColumnNames: ["email"] } },
      LFTags: [{ TagKey: "pii", TagValues: ["yes"] }],
    }),
  );
  await lf.send(
    new GrantPermissionsCommand({
      Principal: { DataLakePrincipalIdentifier: role(source.account, "analyst") },
      Resource: { Table: { DatabaseName: "db_a", Name: "t0" } },
      Permissions: ["SELECT", "DESCRIBE"],
      PermissionsWithGrantOption: ["SELECT"],
    }),
  );
  await lf.send(
    new BatchGrantPermissionsCommand({
      Entries: databases.map((db, i) => ({
        Id: String(i),
        Principal: { DataLakePrincipalIdentifier: role(source.account, "etl") },
        Resource: { Database: { Name: db } },
        Permissions: ["CREATE_TABLE", "DESCRIBE"],
        PermissionsWithGrantOption: ["DESCRIBE"],
      })),
    }),
  );
  await lf.send(
    new GrantPermissionsCommand({
      Principal: { DataLakePrincipalIdentifier: role(source.account, "etl") },
      Resource: { DataLocation: { ResourceArn: "arn:aws:s3:::src-lake/data" } },
      Permissions: ["DATA_LOCATION_ACCESS"],
    }),
  );
  await lf.send(
    new CreateDataCellsFilterCommand({
      TableData: {
        TableCatalogId: source.account,
        DatabaseName: "db_a",
        TableName: "t1",
        Name: "eu_only",
        RowFilter: { FilterExpression: "region = 'eu'" },
        ColumnNames: ["id"],
      },
    }),
  );
  await lf.send(
    new GrantPermissionsCommand({
      Principal: { DataLakePrincipalIdentifier: role(source.account, "analyst") },
      Resource: {
        DataCellsFilter: {
          TableCatalogId: source.account,
          DatabaseName: "db_a",
          TableName: "t1",
          Name: "eu_only",
        },
      },
      Permissions: ["SELECT"],
    }),
  );
  if (options.partitionIndex) {
    await glue.send(
      new CreatePartitionIndexCommand({
        DatabaseName: "db_a",
        TableName: "t0",
        PartitionIndex: { IndexName: "by_dt", Keys: ["dt"] },
      }),
    );
  }
}
