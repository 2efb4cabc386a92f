// SQL text for the DDL AST. Every identifier goes through quoteIdentifier; every literal through
// stringLiteral.
import type { ColumnSource, ExternalTableDefinition, Statement, VirtualColumn } from "./ddl-ast.ts";
import type { FileFormat } from "./file-format.ts";
import { qualifiedName, quoteIdentifier } from "./naming.ts";

export function renderStatement(statement: Statement): string {
  switch (statement.kind) {
    case "createExternalTable":
      return renderCreate(statement.table, statement.orReplace, statement.copyGrants);
    case "addColumn":
      return `ALTER TABLE ${qualifiedName(statement.table)} ADD COLUMN IF NOT EXISTS ${renderColumn(statement.column)}`;
    case "dropColumn": {
      const column = statement.exact
        ? `"${statement.column.replaceAll('"', '""')}"`
        : quoteIdentifier(statement.column);
      return `ALTER TABLE ${qualifiedName(statement.table)} DROP COLUMN IF EXISTS ${column}`;
    }
    case "dropExternalTable":
      return `DROP EXTERNAL TABLE IF EXISTS ${qualifiedName(statement.table)}`;
    case "verbatim":
      return statement.sql;
  }
}

function renderCreate(table: ExternalTableDefinition, orReplace: boolean, copyGrants: boolean): string {
  const parts = [
    `CREATE ${orReplace ? "OR REPLACE " : ""}EXTERNAL TABLE ${qualifiedName(table.name)} (`,
    // CREATE EXTERNAL TABLE's column grammar has no COMMENT (only the table has one):
    // https://docs.snowflake.com/en/sql-reference/sql/create-external-table
    table.columns.map(renderColumn).join(", "),
    ")",
  ];
  if (table.partitionBy.length > 0) {
    parts.push(` PARTITION BY (${table.partitionBy.map(quoteIdentifier).join(", ")})`);
  }
  parts.push(` LOCATION=@${qualifiedName(table.location.stage)}/${table.location.path}`);
  parts.push(` AUTO_REFRESH=${table.autoRefresh ? "TRUE" : "FALSE"}`);
  parts.push(` FILE_FORMAT=(${renderFileFormat(table.fileFormat)})`);
  if (copyGrants) parts.push(" COPY GRANTS");
  if (table.comment !== undefined) parts.push(` COMMENT=${stringLiteral(table.comment)}`);
  return parts.join("");
}

function renderColumn(column: VirtualColumn): string {
  return `${quoteIdentifier(column.name)} ${column.type} AS (${renderSource(column.source, column.type)})`;
}

function renderSource(source: ColumnSource, type: string): string {
  if (source.kind === "field") {
    const path = /^[A-Za-z_][A-Za-z0-9_]*$/.test(source.key)
      ? `value:${source.key}`
      : `value[${stringLiteral(source.key)}]`;
    return type === "VARIANT" ? path : `${path}::${type}`;
  }
  const segment = `SPLIT_PART(metadata$filename, '/', ${source.segment})`;
  const prefix = `${source.hiveKey}=`;
  const withoutKey = (text: string) =>
    `IFF(STARTSWITH(${segment}, ${stringLiteral(prefix)}), SUBSTR(${text}, ${prefix.length + 1}), ${text})`;
  const raw = withoutKey(segment);
  const value = `NULLIF(${source.unescape ? unescaped(segment, withoutKey) : raw}, '__HIVE_DEFAULT_PARTITION__')`;
  return type === "VARCHAR" ? value : `CAST(${value} AS ${type})`;
}

/**
 * Hive's FileUtils.escapePathName writes these characters of a partition value as %XX (upper-case
 * hex); the space and <>| only on Windows. Control characters are left escaped.
 */
export const HIVE_PATH_ESCAPES: Readonly<Record<string, string>> = Object.fromEntries(
  [..."\"#%'*/:=?\\{[]^ <>|", "\u007f"].map((char) => [
    char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"),
    char,
  ]),
);

/** Escapes decoded per value; a value with more is left as Hive wrote it. */
export const MAX_DECODED_ESCAPES = 8;

/**
 * Decodes %XX in a folder name with only the functions Snowflake allows in partition expressions
 * (SPLIT_PART, SUBSTR, CASE, IFF, ||; no REPLACE): Hive escapes `%` itself, so splitting on `%`
 * gives the text before the first escape, then pieces that each start with two hex digits.
 * A missing piece is '' and decodes to ''.
 */
function unescaped(segment: string, withoutKey: (text: string) => string): string {
  const piece = (index: number) => `SPLIT_PART(${segment}, '%', ${index})`;
  const codes = Object.entries(HIVE_PATH_ESCAPES)
    .map(([hex, char]) => ` WHEN '${hex}' THEN ${stringLiteral(char)}`)
    .join("");
  const decoded = [withoutKey(piece(1))];
  for (let index = 2; index <= MAX_DECODED_ESCAPES + 1; index++) {
    const code = `SUBSTR(${piece(index)}, 1, 2)`;
    decoded.push(
      `(CASE ${code}${codes} WHEN '' THEN '' ELSE '%' || ${code} END || SUBSTR(${piece(index)}, 3))`,
    );
  }
  return `IFF(${piece(MAX_DECODED_ESCAPES + 2)} = '', ${decoded.join(" || ")}, ${withoutKey(segment)})`;
}

function renderFileFormat(format: FileFormat): string {
  if (format.type !== "CSV") return `TYPE=${format.type}`;
  const options = [`TYPE=CSV`, `FIELD_DELIMITER=${stringLiteral(format.fieldDelimiter)}`];
  options.push(`SKIP_HEADER=${format.skipHeader}`);
  if (format.enclosedBy !== undefined)
    options.push(`FIELD_OPTIONALLY_ENCLOSED_BY=${stringLiteral(format.enclosedBy)}`);
  if (format.escape !== undefined) options.push(`ESCAPE=${stringLiteral(format.escape)}`);
  if (format.nullIf !== undefined) options.push(`NULL_IF=(${stringLiteral(format.nullIf)})`);
  return options.join(" ");
}

/** A single-quoted Snowflake string; control characters as escapes, so a TAB or ^A survives. */
export function stringLiteral(value: string): string {
  let out = "";
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === "'") out += "\\'";
    else if (char === "\\") out += "\\\\";
    else if (char === "\t") out += "\\t";
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (code < 0x20) out += `\\${code.toString(8).padStart(3, "0")}`;
    else out += char;
  }
  return `'${out}'`;
}
