// What Snowflake actually has for an external table: its columns, read through the SQL API from
// INFORMATION_SCHEMA.COLUMNS, so an UpdateTable can be diffed against the real table instead of
// against Glue's previous version (which is only right when events arrive in order).
import type { ObjectName } from "./ddl-ast.ts";
import { quoteIdentifier, storedIdentifier } from "./naming.ts";
import { stringLiteral } from "./render.ts";

export interface SnowflakeColumn {
  /** As stored: unquoted names upper-cased, quoted names exact. */
  name: string;
  /** Comparable type, see comparableType. */
  type: string;
  comment: string | null;
}

/** The query whose rows parseColumns reads, in ordinal order. */
export function describeColumnsStatement(table: ObjectName): string {
  const [database = "", schema = "", name = ""] = table;
  return (
    "SELECT column_name, data_type, numeric_precision, numeric_scale, character_maximum_length, comment " +
    `FROM ${quoteIdentifier(database)}.INFORMATION_SCHEMA.COLUMNS ` +
    `WHERE table_schema = ${stringLiteral(storedIdentifier(schema))} AND table_name = ${stringLiteral(storedIdentifier(name))} ` +
    "ORDER BY ordinal_position"
  );
}

const MAX_VARCHAR = 16_777_216;

/** Our rendered types and INFORMATION_SCHEMA's, in one vocabulary (e.g. CHAR(3) is TEXT(3) there). */
export function comparableType(type: string): string {
  const upper = type.toUpperCase().replaceAll(" ", "");
  if (upper === "DOUBLE" || upper === "FLOAT") return "FLOAT";
  const text = /^(?:VARCHAR|CHAR|TEXT)(?:\((\d+)\))?$/.exec(upper);
  if (text) return text[1] && Number(text[1]) !== MAX_VARCHAR ? `TEXT(${text[1]})` : "TEXT";
  return upper;
}

/** Rows of describeColumnsStatement -> columns; throws on rows of another shape. */
export function parseColumns(rows: readonly unknown[]): SnowflakeColumn[] {
  return rows.map((row) => {
    if (!Array.isArray(row) || typeof row[0] !== "string" || typeof row[1] !== "string") {
      throw new Error(`unexpected INFORMATION_SCHEMA.COLUMNS row ${JSON.stringify(row)}`);
    }
    const [name, dataType, precision, scale, length, comment] = row as Array<string | null>;
    let type = dataType!.toUpperCase();
    if (type === "NUMBER" && precision != null) type = `NUMBER(${precision},${scale ?? 0})`;
    else if (type === "TEXT") type = comparableType(length ? `VARCHAR(${length})` : "VARCHAR");
    return { name: name!, type, comment: comment ?? null };
  });
}
