// Glue tables as GetTable returns them, for the DDL tests.
import type { GlueTable } from "../../modules/snowflake/glue-table.ts";

export const stages = {
  "sales.public.lake": "s3://lake-bucket/",
  "sales.public.curated": "s3://lake-bucket/curated/",
};

export function parquetTable(overrides: Partial<GlueTable> = {}): GlueTable {
  return {
    Name: "orders",
    DatabaseName: "sales__public",
    TableType: "EXTERNAL_TABLE",
    Parameters: { classification: "parquet" },
    PartitionKeys: [],
    StorageDescriptor: {
      Columns: [
        { Name: "order_id", Type: "bigint" },
        { Name: "amount", Type: "decimal(12,2)" },
        { Name: "placed_at", Type: "timestamp" },
      ],
      Location: "s3://lake-bucket/raw/orders/",
      InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
      OutputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
      SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
    },
    ...overrides,
  };
}
