// Which Snowflake FILE_FORMAT reads a Glue table's files: from the table's `classification`, else
// from its SerDe and InputFormat (Athena DDL tables and many hand-made ones have no classification).
import type { GlueTable } from "./glue-table.ts";

export type FileFormat =
  | {
      type: "CSV";
      fieldDelimiter: string;
      skipHeader: number;
      /** FIELD_OPTIONALLY_ENCLOSED_BY, from OpenCSVSerde's quoteChar. */
      enclosedBy?: string;
      escape?: string;
      nullIf?: string;
    }
  | { type: "JSON" | "PARQUET" | "ORC" | "AVRO" };

export type FormatDetection = { ok: true; format: FileFormat } | { ok: false; reason: string };

type FormatName = FileFormat["type"];

const CLASSIFICATIONS: Record<string, FormatName> = {
  csv: "CSV",
  tsv: "CSV",
  json: "JSON",
  parquet: "PARQUET",
  orc: "ORC",
  avro: "AVRO",
};

const SERDES: Array<[RegExp, FormatName]> = [
  [/OpenCSVSerde$/i, "CSV"],
  [/LazySimpleSerDe$/i, "CSV"],
  [/JsonSerDe$/i, "JSON"],
  [/ParquetHiveSerDe$/i, "PARQUET"],
  [/OrcSerde$/i, "ORC"],
  [/AvroSerDe$/i, "AVRO"],
];

const INPUT_FORMATS: Array<[RegExp, FormatName]> = [
  [/MapredParquetInputFormat$/i, "PARQUET"],
  [/OrcInputFormat$/i, "ORC"],
  [/AvroContainerInputFormat$/i, "AVRO"],
];

export function detectFileFormat(table: GlueTable): FormatDetection {
  const parameters = table.Parameters ?? {};
  if ((parameters.table_type ?? "").toUpperCase() === "ICEBERG") {
    return {
      ok: false,
      reason: "Iceberg tables are not external-table material (use a catalog integration)",
    };
  }
  const serde = table.StorageDescriptor?.SerdeInfo?.SerializationLibrary ?? "";
  const inputFormat = table.StorageDescriptor?.InputFormat ?? "";
  const classification = parameters.classification?.trim();
  let name: FormatName | undefined;
  if (classification) {
    name = CLASSIFICATIONS[classification.toLowerCase()];
    if (!name) return { ok: false, reason: `unsupported file format (classification "${classification}")` };
  } else {
    name =
      SERDES.find(([pattern]) => pattern.test(serde))?.[1] ??
      INPUT_FORMATS.find(([pattern]) => pattern.test(inputFormat))?.[1];
    if (!name) {
      return {
        ok: false,
        reason: `unsupported file format (no classification; SerDe "${serde}", InputFormat "${inputFormat}")`,
      };
    }
  }
  if (name !== "CSV") return { ok: true, format: { type: name } };
  return { ok: true, format: csvFormat(table, serde, classification) };
}

function csvFormat(table: GlueTable, serde: string, classification: string | undefined): FileFormat {
  const serdeParameters = table.StorageDescriptor?.SerdeInfo?.Parameters ?? {};
  const openCsv = /OpenCSVSerde$/i.test(serde);
  const tsv = classification?.toLowerCase() === "tsv";
  // LazySimpleSerDe's default delimiter is ^A (\u0001); OpenCSVSerde's is a comma.
  const hiveDelimiter = serdeParameters["field.delim"] ?? serdeParameters["serialization.format"];
  const fieldDelimiter =
    serdeParameters.separatorChar ??
    (hiveDelimiter !== undefined ? hiveByte(hiveDelimiter) : undefined) ??
    (tsv ? "\t" : openCsv || !serde ? "," : "\u0001");
  const skipHeader = Number(
    table.Parameters?.["skip.header.line.count"] ?? serdeParameters["skip.header.line.count"] ?? 0,
  );
  const format: FileFormat = {
    type: "CSV",
    fieldDelimiter: fieldDelimiter === "" ? "," : fieldDelimiter,
    skipHeader: Number.isInteger(skipHeader) && skipHeader > 0 ? skipHeader : 0,
  };
  if (openCsv) format.enclosedBy = serdeParameters.quoteChar ?? '"';
  const escapeChar = serdeParameters.escapeChar ?? serdeParameters["escape.delim"];
  if (escapeChar) format.escape = escapeChar;
  const nullFormat = serdeParameters["serialization.null.format"];
  if (nullFormat !== undefined) format.nullIf = nullFormat;
  return format;
}

/** Hive reads a numeric delimiter as a byte value ("1" is ^A, "9" is TAB), anything else by its first char. */
function hiveByte(value: string): string {
  if (/^\d+$/.test(value)) return String.fromCharCode(Number(value));
  return value.charAt(0);
}
