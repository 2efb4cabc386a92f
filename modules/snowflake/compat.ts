// The seed project's statement (aws-samples/aws-cdk-glue-table-sync-with-snowflake), byte for byte,
// for users migrating who diff old and new output. Its known defects are reproduced on purpose:
// Glue types copied verbatim, unquoted names, `value:<name>` for CSV, uncast partition expressions,
// every separator replaced by ".", FILE_FORMAT from the classification as written.
import type { GlueTable } from "./glue-table.ts";

const SEED_ALLOWED_FORMATS = ["CSV", "JSON", "PARQUET", "ORC", "AVRO"];

export type CompatResult = { ok: true; sql: string } | { ok: false; reason: string };

/** The seed's stage lookup: exact match of "/"-joined location prefixes, longest first. */
function seedFindStage(location: string, stages: Readonly<Record<string, string>>): string | undefined {
  const path: string[] = [];
  const splits = location.split("/");
  for (let i = splits.length - 1; i >= 0; i--) {
    for (const [name, url] of Object.entries(stages)) {
      if (url.replace(/\/+$/, "") === splits.slice(0, i + 1).join("/")) {
        return [name, ...[...path].reverse()].join("/");
      }
    }
    path.push(splits[i] ?? "");
  }
  return undefined;
}

export function renderSeedStatement(
  glueDatabase: string,
  table: GlueTable,
  stages: Readonly<Record<string, string>>,
  separator: string,
): CompatResult {
  const storage = table.StorageDescriptor;
  if (!storage) return { ok: false, reason: "table has no StorageDescriptor" };
  const fileFormat = table.Parameters?.classification;
  if (fileFormat === undefined) return { ok: false, reason: "compat mode needs the table's classification" };
  if (!SEED_ALLOWED_FORMATS.includes(fileFormat.toUpperCase())) {
    return { ok: false, reason: `unsupported file format (classification "${fileFormat}")` };
  }
  const location = storage.Location ?? "";
  const stagePath = seedFindStage(location, stages);
  if (stagePath === undefined) return { ok: false, reason: `no stage covers ${location}` };
  const columns = (storage.Columns ?? []).map((c) => `${c.Name} ${c.Type} as (value:${c.Name}::${c.Type})`);
  const partitions = table.PartitionKeys ?? [];
  const pathTokenLength = stagePath.replace(/\/+$/, "").split("/").length;
  const partitionColumns = partitions.map((p, index) => {
    const i = pathTokenLength + index;
    const segment = `SPLIT_PART(metadata$filename, '/', ${i})`;
    const fn = `DECODE(SPLIT_PART(${segment},'=',2),'',${segment},SPLIT_PART(${segment},'=',2))`;
    return `${p.Name} ${p.Type} as ${fn}`;
  });
  const partitionBy =
    partitions.length > 0 ? `PARTITION BY (${partitions.map((p) => p.Name).join(",")})` : "";
  const sql =
    `CREATE OR REPLACE EXTERNAL TABLE ${glueDatabase.replaceAll(separator, ".")}.${table.Name}` +
    `(${[...columns, ...partitionColumns].join(",")}) ${partitionBy}` +
    ` LOCATION=@${stagePath} AUTO_REFRESH = true FILE_FORMAT = (TYPE = ${fileFormat});`;
  return { ok: true, sql };
}
