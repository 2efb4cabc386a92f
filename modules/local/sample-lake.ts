// The sample lake `lakesync local seed` creates: the three databases of the seed DR sample
// (sampledb, tag_database, cur_database) with tables in every format lakesync handles,
// partitions, LF tags on databases/tables/columns, named and tag-based grants with grant
// options, a data cells filter, data lake settings and a registered location. It is plain data
// expressed in the operation vocabulary, so it is applied by the same executor as everything else.
import {
  addLfTagsToResource,
  batchCreatePartitions,
  createDatabase,
  createDataCellsFilter,
  createLfTag,
  createTable,
  grantPermissions,
  putDataLakeSettings,
  registerResource,
} from "../operations/build/index.ts";
import type { CatalogLocation, TargetOperation } from "../operations/operation.ts";

export const sampleBucket = "lakesync-sample-lake";

type Column = { Name: string; Type: string; Comment?: string };
const col = (Name: string, Type: string, Comment?: string): Column =>
  Comment ? { Name, Type, Comment } : { Name, Type };

const serde = {
  json: {
    SerializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
    Parameters: { "ignore.malformed.json": "true" },
  },
  parquet: {
    SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
    Parameters: { "serialization.format": "1" },
  },
  csv: {
    SerializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
    Parameters: { "field.delim": ",", "serialization.format": "," },
  },
};
const formats = {
  text: {
    InputFormat: "org.apache.hadoop.mapred.TextInputFormat",
    OutputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
  },
  parquet: {
    InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    OutputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
  },
};

export interface SampleLakeOptions {
  /** Roles the grants name; they need not exist (Lake Formation stores principals as given). */
  rolePrefix?: string;
}

export function sampleLakeOperations(
  target: CatalogLocation,
  options: SampleLakeOptions = {},
): TargetOperation[] {
  const catalogId = target.account;
  const role = (name: string) => `arn:aws:iam::${target.account}:role/${options.rolePrefix ?? ""}${name}`;
  const s3 = (path: string) => `s3://${sampleBucket}/${path}`;
  // The target's own catalog: inputs name no CatalogId. Seeding again leaves what exists as is.
  const to = { target };
  const ops: TargetOperation[] = [];
  const add = (...built: TargetOperation[]) => ops.push(...built);

  // Data lake settings and the registered location come first: admins before grants.
  add(
    putDataLakeSettings(to, {
      DataLakeAdmins: [{ DataLakePrincipalIdentifier: role("LakeAdmin") }],
      CreateDatabaseDefaultPermissions: [],
      CreateTableDefaultPermissions: [],
      TrustedResourceOwners: [],
      Parameters: { CROSS_ACCOUNT_VERSION: "4" },
    }),
  );
  add(
    registerResource(to, {
      ResourceArn: `arn:aws:s3:::${sampleBucket}`,
      RoleArn: role("LakeFormationRegistration"),
    }),
  );

  const database = (name: string, description: string, extra: Record<string, unknown> = {}) =>
    add(createDatabase(to, { Name: name, Description: description, ...extra }));
  database("sampledb", "Sample web and sales data", {
    LocationUri: s3("sampledb/"),
    Parameters: { owner: "data-eng" },
  });
  database("tag_database", "Customer data governed by LF tags", { LocationUri: s3("tag_database/") });
  database("cur_database", "AWS Cost and Usage Report", { LocationUri: s3("cur/") });
  database("sampledb_link", "Resource link to sampledb", {
    TargetDatabase: { CatalogId: catalogId, DatabaseName: "sampledb" },
  });

  const table = (db: string, input: Record<string, unknown>) =>
    add(createTable(to, { DatabaseName: db, TableInput: input }));

  table("sampledb", {
    Name: "elb_logs",
    Description: "Load balancer logs, hive-partitioned JSON",
    TableType: "EXTERNAL_TABLE",
    Parameters: { EXTERNAL: "TRUE", classification: "json", "projection.enabled": "false" },
    PartitionKeys: [col("year", "string"), col("month", "string")],
    StorageDescriptor: {
      Columns: [
        col("request_timestamp", "string"),
        col("elb_name", "string"),
        col("RequestIP", "string", "client address"),
        col("backend_response_code", "int"),
        col("user_agent", "string"),
      ],
      Location: s3("sampledb/elb_logs/"),
      ...formats.text,
      SerdeInfo: serde.json,
      Compressed: false,
      StoredAsSubDirectories: false,
    },
  });
  table("sampledb", {
    Name: "orders_parquet",
    TableType: "EXTERNAL_TABLE",
    Parameters: { EXTERNAL: "TRUE", classification: "parquet", "parquet.compression": "SNAPPY" },
    PartitionKeys: [col("dt", "date")],
    StorageDescriptor: {
      Columns: [
        col("order_id", "bigint"),
        col("customer_id", "bigint"),
        col("amount", "decimal(12,2)"),
        col("items", "array<struct<sku:string,qty:int>>"),
        col("attributes", "map<string,string>"),
        col("ordered_at", "timestamp"),
      ],
      Location: s3("sampledb/orders/"),
      ...formats.parquet,
      SerdeInfo: serde.parquet,
    },
  });
  table("sampledb", {
    Name: "customers_csv",
    TableType: "EXTERNAL_TABLE",
    Parameters: { EXTERNAL: "TRUE", classification: "csv", "skip.header.line.count": "1", delimiter: "," },
    StorageDescriptor: {
      Columns: [
        col("customer_id", "bigint"),
        col("Name", "string"),
        col("email", "string"),
        col("country", "char(2)"),
      ],
      Location: s3("sampledb/customers/"),
      ...formats.text,
      SerdeInfo: serde.csv,
    },
  });
  table("sampledb", {
    Name: "events_iceberg",
    TableType: "EXTERNAL_TABLE",
    Parameters: {
      table_type: "ICEBERG",
      metadata_location: s3("sampledb/events_iceberg/metadata/00001-6b6f.metadata.json"),
      previous_metadata_location: s3("sampledb/events_iceberg/metadata/00000-1a2b.metadata.json"),
    },
    StorageDescriptor: {
      Columns: [col("event_id", "string"), col("event_time", "timestamp"), col("payload", "string")],
      Location: s3("sampledb/events_iceberg/"),
    },
  });
  table("sampledb", {
    Name: "recent_orders_view",
    TableType: "VIRTUAL_VIEW",
    Parameters: { presto_view: "true", comment: "Presto View" },
    ViewOriginalText: `/* Presto View: ${Buffer.from(
      JSON.stringify({
        originalSql: "SELECT * FROM orders_parquet WHERE dt > current_date - interval '7' day",
      }),
    ).toString("base64")} */`,
    ViewExpandedText: "/* Presto View */",
    StorageDescriptor: { Columns: [col("order_id", "bigint"), col("amount", "decimal(12,2)")] },
  });
  table("sampledb", {
    Name: "customers_link",
    TargetTable: { CatalogId: catalogId, DatabaseName: "tag_database", Name: "customer_profile" },
  });
  table("tag_database", {
    Name: "customer_profile",
    TableType: "EXTERNAL_TABLE",
    Parameters: { EXTERNAL: "TRUE", classification: "parquet" },
    StorageDescriptor: {
      Columns: [
        col("customer_id", "bigint"),
        col("email", "string"),
        col("phone", "string"),
        col("region", "string"),
        col("lifetime_value", "double"),
      ],
      Location: s3("tag_database/customer_profile/"),
      ...formats.parquet,
      SerdeInfo: serde.parquet,
    },
  });
  table("tag_database", {
    Name: "sales_by_region",
    TableType: "EXTERNAL_TABLE",
    Parameters: { EXTERNAL: "TRUE", classification: "csv", "skip.header.line.count": "1" },
    StorageDescriptor: {
      Columns: [col("region", "string"), col("quarter", "string"), col("revenue", "decimal(14,2)")],
      Location: s3("tag_database/sales_by_region/"),
      ...formats.text,
      SerdeInfo: { ...serde.csv, Parameters: { "field.delim": "|" } },
    },
  });
  table("cur_database", {
    Name: "cur_report",
    TableType: "EXTERNAL_TABLE",
    Parameters: { EXTERNAL: "TRUE", classification: "parquet" },
    PartitionKeys: [col("year", "string"), col("month", "string")],
    StorageDescriptor: {
      Columns: [
        col("line_item_usage_account_id", "string"),
        col("line_item_product_code", "string"),
        col("line_item_unblended_cost", "double"),
        col("resource_tags_user_team", "string"),
      ],
      Location: s3("cur/cur_report/"),
      ...formats.parquet,
      SerdeInfo: serde.parquet,
    },
  });

  const partitions = (
    db: string,
    tbl: string,
    location: string,
    sd: object,
    keys: string[],
    values: string[][],
  ) =>
    add(
      ...batchCreatePartitions(
        to,
        { DatabaseName: db, TableName: tbl },
        values.map((v) => ({
          Values: v,
          StorageDescriptor: {
            ...sd,
            Location: `${location}${v.map((x, i) => `${keys[i]}=${x}`).join("/")}/`,
          },
        })),
      ),
    );
  partitions(
    "sampledb",
    "elb_logs",
    s3("sampledb/elb_logs/"),
    { ...formats.text, SerdeInfo: serde.json },
    ["year", "month"],
    [
      ["2024", "01"],
      ["2024", "02"],
      ["2025", "01"],
    ],
  );
  partitions(
    "cur_database",
    "cur_report",
    s3("cur/cur_report/"),
    { ...formats.parquet, SerdeInfo: serde.parquet },
    ["year", "month"],
    [
      ["2025", "10"],
      ["2025", "11"],
    ],
  );
  add(
    ...batchCreatePartitions(
      to,
      { DatabaseName: "sampledb", TableName: "orders_parquet" },
      ["2025-11-01", "2025-11-02"].map((dt) => ({
        Values: [dt],
        StorageDescriptor: {
          ...formats.parquet,
          SerdeInfo: serde.parquet,
          Location: s3(`sampledb/orders/dt=${dt}/`),
        },
      })),
    ),
  );

  const lfTag = (key: string, values: string[]) => add(createLfTag(to, key, values));
  lfTag("domain", ["sales", "finance", "marketing"]);
  lfTag("classification", ["public", "internal", "confidential"]);
  lfTag("pii", ["true", "false"]);

  const tagResource = (resource: Record<string, unknown>, tags: Record<string, string>, what: string) =>
    add(
      addLfTagsToResource(
        to,
        resource,
        Object.entries(tags).map(([TagKey, value]) => ({ TagKey, TagValues: [value] })),
        { description: `tag ${what}` },
      ),
    );
  tagResource({ Database: { Name: "tag_database" } }, { domain: "sales" }, "database tag_database");
  tagResource({ Database: { Name: "cur_database" } }, { domain: "finance" }, "database cur_database");
  tagResource(
    { Table: { DatabaseName: "tag_database", Name: "customer_profile" } },
    { classification: "confidential" },
    "table tag_database.customer_profile",
  );
  tagResource(
    {
      TableWithColumns: {
        DatabaseName: "tag_database",
        Name: "customer_profile",
        ColumnNames: ["email", "phone"],
      },
    },
    { pii: "true" },
    "columns email, phone of tag_database.customer_profile",
  );
  tagResource(
    { Table: { DatabaseName: "sampledb", Name: "orders_parquet" } },
    { classification: "internal", domain: "sales" },
    "table sampledb.orders_parquet",
  );

  add(
    createDataCellsFilter(to, {
      TableCatalogId: catalogId,
      DatabaseName: "tag_database",
      TableName: "sales_by_region",
      Name: "us_only",
      RowFilter: { FilterExpression: "region = 'us'" },
      ColumnWildcard: { ExcludedColumnNames: [] },
    }),
  );

  const grant = (
    principal: string,
    resource: Record<string, unknown>,
    permissions: string[],
    grantable: string[],
    what: string,
  ) =>
    add(
      grantPermissions(
        to,
        {
          Principal: { DataLakePrincipalIdentifier: principal },
          Resource: resource,
          Permissions: permissions,
          PermissionsWithGrantOption: grantable,
        },
        { description: `grant ${permissions.join(", ")} on ${what} to ${principal}` },
      ),
    );
  grant(role("DataEngineer"), { Catalog: {} }, ["CREATE_DATABASE"], [], "the catalog");
  grant(role("DataEngineer"), { Database: { Name: "sampledb" } }, ["ALL"], ["ALL"], "database sampledb");
  grant(
    role("Analyst"),
    { Table: { DatabaseName: "sampledb", Name: "elb_logs" } },
    ["SELECT", "DESCRIBE"],
    ["SELECT"],
    "table sampledb.elb_logs",
  );
  grant(
    role("Analyst"),
    {
      TableWithColumns: {
        DatabaseName: "tag_database",
        Name: "customer_profile",
        ColumnNames: ["customer_id", "region"],
      },
    },
    ["SELECT"],
    [],
    "columns customer_id, region of tag_database.customer_profile",
  );
  grant(
    role("DataEngineer"),
    { DataLocation: { ResourceArn: `arn:aws:s3:::${sampleBucket}` } },
    ["DATA_LOCATION_ACCESS"],
    ["DATA_LOCATION_ACCESS"],
    `location s3://${sampleBucket}`,
  );
  grant(
    role("DataSteward"),
    { LFTag: { TagKey: "classification", TagValues: ["public", "internal", "confidential"] } },
    ["DESCRIBE", "ASSOCIATE"],
    ["DESCRIBE", "ASSOCIATE"],
    "LF tag classification",
  );
  grant(
    role("SalesAnalyst"),
    { LFTagPolicy: { ResourceType: "TABLE", Expression: [{ TagKey: "domain", TagValues: ["sales"] }] } },
    ["SELECT", "DESCRIBE"],
    [],
    "tables tagged domain=sales",
  );
  grant(
    role("FinanceAnalyst"),
    { LFTagPolicy: { ResourceType: "DATABASE", Expression: [{ TagKey: "domain", TagValues: ["finance"] }] } },
    ["DESCRIBE"],
    [],
    "databases tagged domain=finance",
  );
  grant(
    role("RegionalAnalyst"),
    {
      DataCellsFilter: {
        TableCatalogId: catalogId,
        DatabaseName: "tag_database",
        TableName: "sales_by_region",
        Name: "us_only",
      },
    },
    ["SELECT"],
    [],
    "data cells filter us_only",
  );
  return ops;
}
