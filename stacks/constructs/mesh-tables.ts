// The central databases the crawlers write into and the tables a producer declares instead of
// crawling, created by Terraform so the crawlers have a target; the tables the crawlers discover
// later are the reconciler's to tag and link.
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database/index.js";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table/index.js";
import { Construct } from "constructs";
import type { MeshConfig, MeshTable } from "../../modules/config/mesh-schema.ts";

/** Input/output formats and SerDe of each declared format (Athena User Guide, "Supported SerDes and data formats"). */
const FORMATS: Record<
  MeshTable["format"],
  { input: string; output: string; serde: string; parameters?: Record<string, string> }
> = {
  parquet: {
    input: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    output: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    serde: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
  },
  csv: {
    input: "org.apache.hadoop.mapred.TextInputFormat",
    output: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
    serde: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
    parameters: { "field.delim": ",", "skip.header.line.count": "1" },
  },
  json: {
    input: "org.apache.hadoop.mapred.TextInputFormat",
    output: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
    serde: "org.openx.data.jsonserde.JsonSerDe",
  },
};

export class MeshTables extends Construct {
  /** The central databases, by name. */
  readonly databases = new Map<string, GlueCatalogDatabase>();

  constructor(scope: Construct, id: string, props: { mesh: MeshConfig; account: string; region: string }) {
    super(scope, id);
    const names = new Set(
      props.mesh.producers.flatMap((p) => [
        ...p.crawlers.map((c) => c.database),
        ...p.tables.map((t) => t.database),
      ]),
    );
    for (const name of [...names].sort()) {
      this.databases.set(
        name,
        new GlueCatalogDatabase(this, `database-${name}`, {
          name,
          catalogId: props.account,
          description: "lakesync mesh: shared through the central catalog",
        }),
      );
    }
    for (const producer of props.mesh.producers) {
      for (const table of producer.tables) {
        const format = FORMATS[table.format];
        new GlueCatalogTable(this, `table-${table.database}-${table.name}`, {
          catalogId: props.account,
          databaseName: this.databases.get(table.database)?.name ?? table.database,
          name: table.name,
          tableType: "EXTERNAL_TABLE",
          parameters: { classification: table.format, EXTERNAL: "TRUE" },
          partitionKeys: table.partitionKeys.map((c) => ({ name: c.name, type: c.type })),
          storageDescriptor: {
            location: table.location,
            inputFormat: format.input,
            outputFormat: format.output,
            serDeInfo: { serializationLibrary: format.serde, parameters: format.parameters },
            columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
          },
        });
      }
    }
  }
}
