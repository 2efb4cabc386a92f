// The live changes `npm start` makes in the source after seeding, one or more of every Glue and
// Lake Formation write event lakesync replicates. They are written as operations (so they are
// plain data) but are sent straight to the source, one call each, like a user's SDK calls:
// the local CloudTrail layer records them and the realtime path picks them up from there.
import {
  type CatalogLocation,
  Phase,
  resourceKeys,
  type Service,
  type TargetOperation,
} from "../operations/operation.ts";
import { sampleBucket } from "./sample-lake.ts";

// Calls as a user makes them: names and inputs as written here, not checked by the builders.
type Step = { service: Service; operation: string; input: Record<string, unknown>; description: string };

export function liveChangeOperations(source: CatalogLocation): TargetOperation[] {
  const role = (name: string) => `arn:aws:iam::${source.account}:role/${name}`;
  const s3 = (path: string) => `s3://${sampleBucket}/${path}`;
  const table = (Name: string, extraColumns: { Name: string; Type: string }[] = []) => ({
    Name,
    TableType: "EXTERNAL_TABLE",
    Parameters: { EXTERNAL: "TRUE", classification: "parquet" },
    PartitionKeys: [{ Name: "dt", Type: "string" }],
    StorageDescriptor: {
      Columns: [{ Name: "event_id", Type: "string" }, { Name: "UserId", Type: "bigint" }, ...extraColumns],
      Location: s3(`live_db/${Name}/`),
      InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
      OutputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
      SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
    },
  });
  const partition = (dt: string, suffix = "") => ({
    Values: [dt],
    StorageDescriptor: { Location: s3(`live_db/events/dt=${dt}${suffix}/`), Columns: [] },
  });
  const events = { DatabaseName: "live_db", Name: "events" };
  const glue = (operation: string, input: Record<string, unknown>, description: string): Step => ({
    service: "glue",
    operation,
    input,
    description,
  });
  const lf = (operation: string, input: Record<string, unknown>, description: string): Step => ({
    service: "lakeformation",
    operation,
    input,
    description,
  });

  const steps: Step[] = [
    glue(
      "CreateDatabase",
      { DatabaseInput: { Name: "live_db", LocationUri: s3("live_db/") } },
      "create database live_db",
    ),
    glue(
      "UpdateDatabase",
      {
        Name: "live_db",
        DatabaseInput: { Name: "live_db", LocationUri: s3("live_db/"), Description: "Live changes" },
      },
      "describe database live_db",
    ),
    glue(
      "CreateTable",
      { DatabaseName: "live_db", TableInput: table("events") },
      "create table live_db.events",
    ),
    glue(
      "UpdateTable",
      { DatabaseName: "live_db", TableInput: table("events", [{ Name: "country", Type: "string" }]) },
      "add column country to live_db.events",
    ),
    glue(
      "CreatePartition",
      { DatabaseName: "live_db", TableName: "events", PartitionInput: partition("2026-11-01") },
      "add partition dt=2026-11-01",
    ),
    glue(
      "BatchCreatePartition",
      {
        DatabaseName: "live_db",
        TableName: "events",
        PartitionInputList: ["2026-11-02", "2026-11-03", "2026-11-04"].map((dt) => partition(dt)),
      },
      "add partitions dt=2026-11-02..04",
    ),
    glue(
      "UpdatePartition",
      {
        DatabaseName: "live_db",
        TableName: "events",
        PartitionValueList: ["2026-11-01"],
        PartitionInput: partition("2026-11-01", "-compacted"),
      },
      "move partition dt=2026-11-01",
    ),
    glue(
      "BatchUpdatePartition",
      {
        DatabaseName: "live_db",
        TableName: "events",
        Entries: [
          { PartitionValueList: ["2026-11-02"], PartitionInput: partition("2026-11-02", "-compacted") },
        ],
      },
      "move partition dt=2026-11-02",
    ),
    glue(
      "DeletePartition",
      { DatabaseName: "live_db", TableName: "events", PartitionValues: ["2026-11-04"] },
      "drop partition dt=2026-11-04",
    ),
    glue(
      "BatchDeletePartition",
      { DatabaseName: "live_db", TableName: "events", PartitionsToDelete: [{ Values: ["2026-11-03"] }] },
      "drop partition dt=2026-11-03",
    ),
    glue(
      "CreateTable",
      { DatabaseName: "live_db", TableInput: table("scratch_a") },
      "create table live_db.scratch_a",
    ),
    glue(
      "CreateTable",
      { DatabaseName: "live_db", TableInput: table("scratch_b") },
      "create table live_db.scratch_b",
    ),
    glue("DeleteTable", { DatabaseName: "live_db", Name: "scratch_a" }, "drop table live_db.scratch_a"),
    glue(
      "BatchDeleteTable",
      { DatabaseName: "live_db", TablesToDelete: ["scratch_b"] },
      "drop table live_db.scratch_b",
    ),
    glue("CreateDatabase", { DatabaseInput: { Name: "tmp_live" } }, "create database tmp_live"),
    glue("DeleteDatabase", { Name: "tmp_live" }, "drop database tmp_live"),
    lf("CreateLFTag", { TagKey: "tier", TagValues: ["bronze", "silver"] }, "create LF tag tier"),
    lf("UpdateLFTag", { TagKey: "tier", TagValuesToAdd: ["gold"] }, "add value gold to LF tag tier"),
    lf("CreateLFTag", { TagKey: "retired", TagValues: ["yes"] }, "create LF tag retired"),
    lf("DeleteLFTag", { TagKey: "retired" }, "delete LF tag retired"),
    lf(
      "AddLFTagsToResource",
      {
        Resource: { Table: events },
        LFTags: [
          { TagKey: "tier", TagValues: ["gold"] },
          { TagKey: "domain", TagValues: ["sales"] },
        ],
      },
      "tag live_db.events tier=gold, domain=sales",
    ),
    lf(
      "RemoveLFTagsFromResource",
      { Resource: { Table: events }, LFTags: [{ TagKey: "domain", TagValues: ["sales"] }] },
      "untag domain from live_db.events",
    ),
    lf(
      "GrantPermissions",
      {
        Principal: { DataLakePrincipalIdentifier: role("Analyst") },
        Resource: { Table: events },
        Permissions: ["SELECT", "DESCRIBE"],
        PermissionsWithGrantOption: ["SELECT"],
      },
      "grant SELECT (grantable), DESCRIBE on live_db.events to Analyst",
    ),
    lf(
      "RevokePermissions",
      {
        Principal: { DataLakePrincipalIdentifier: role("Analyst") },
        Resource: { Table: events },
        Permissions: ["DESCRIBE"],
        PermissionsWithGrantOption: [],
      },
      "revoke DESCRIBE on live_db.events from Analyst",
    ),
    lf(
      "BatchGrantPermissions",
      {
        Entries: [
          {
            Id: "1",
            Principal: { DataLakePrincipalIdentifier: role("DataEngineer") },
            Resource: { Database: { Name: "live_db" } },
            Permissions: ["ALTER", "DROP", "CREATE_TABLE"],
            PermissionsWithGrantOption: ["CREATE_TABLE"],
          },
          {
            Id: "2",
            Principal: { DataLakePrincipalIdentifier: role("Auditor") },
            Resource: { Table: events },
            Permissions: ["DESCRIBE"],
            PermissionsWithGrantOption: [],
          },
        ],
      },
      "grant database and table permissions to DataEngineer and Auditor",
    ),
    lf(
      "BatchRevokePermissions",
      {
        Entries: [
          {
            Id: "1",
            Principal: { DataLakePrincipalIdentifier: role("DataEngineer") },
            Resource: { Database: { Name: "live_db" } },
            Permissions: ["DROP"],
            PermissionsWithGrantOption: [],
          },
        ],
      },
      "revoke DROP on live_db from DataEngineer",
    ),
    lf(
      "PutDataLakeSettings",
      {
        DataLakeSettings: {
          DataLakeAdmins: [
            { DataLakePrincipalIdentifier: role("LakeAdmin") },
            { DataLakePrincipalIdentifier: role("PlatformAdmin") },
          ],
          CreateDatabaseDefaultPermissions: [],
          CreateTableDefaultPermissions: [],
          TrustedResourceOwners: [],
          Parameters: { CROSS_ACCOUNT_VERSION: "4" },
        },
      },
      "add PlatformAdmin to the data lake admins",
    ),
    lf(
      "RegisterResource",
      { ResourceArn: `arn:aws:s3:::${sampleBucket}/live_db`, RoleArn: role("LakeFormationRegistration") },
      `register s3://${sampleBucket}/live_db`,
    ),
    lf(
      "RegisterResource",
      { ResourceArn: `arn:aws:s3:::${sampleBucket}/tmp`, RoleArn: role("LakeFormationRegistration") },
      `register s3://${sampleBucket}/tmp`,
    ),
    lf(
      "DeregisterResource",
      { ResourceArn: `arn:aws:s3:::${sampleBucket}/tmp` },
      `deregister s3://${sampleBucket}/tmp`,
    ),
    ...["recent", "old"].map((name) =>
      lf(
        "CreateDataCellsFilter",
        {
          TableData: {
            TableCatalogId: source.account,
            DatabaseName: "live_db",
            TableName: "events",
            Name: name,
            RowFilter: { FilterExpression: "dt >= '2026-11-01'" },
            ColumnNames: ["event_id", "dt"],
          },
        },
        `create data cells filter ${name}`,
      ),
    ),
    lf(
      "UpdateDataCellsFilter",
      {
        TableData: {
          TableCatalogId: source.account,
          DatabaseName: "live_db",
          TableName: "events",
          Name: "recent",
          RowFilter: { FilterExpression: "dt >= '2026-11-02'" },
          ColumnNames: ["event_id", "dt", "country"],
        },
      },
      "narrow data cells filter recent",
    ),
    lf(
      "DeleteDataCellsFilter",
      { TableCatalogId: source.account, DatabaseName: "live_db", TableName: "events", Name: "old" },
      "delete data cells filter old",
    ),
  ];
  return steps.map(
    (step) =>
      ({
        ...step,
        target: source,
        resourceKey: resourceKeys.database(source.account, "live_db"),
        idempotency: "upsert",
        phase: Phase.tables,
      }) as TargetOperation,
  );
}
