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
    case "dropColumn":
      return `ALTER TABLE ${qualifiedName(statement.table)} DROP COLUMN IF EXISTS ${quoteIdentifier(statement.column)}`;
    case "dropExternalTable":
      return `DROP EXTERNAL TABLE IF EXISTS ${qualifiedName(statement.table)}`;
    case "verbatim":
      return statement.sql;
  }
}

function renderCreate(table: ExternalTableDefinition, orReplace: boolean, copyGrants: boolean): string {
  const parts = [
    `CREATE ${orReplace ? "OR REPLACE " : ""}EXTERNAL TABLE ${qualifiedName(table.name)} (`,
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
  const value =
    `NULLIF(IFF(STARTSWITH(${segment}, ${stringLiteral(prefix)}), ` +
    `SUBSTR(${segment}, ${prefix.length + 1}), ${segment}), '__HIVE_DEFAULT_PARTITION__')`;
  return type === "VARCHAR" ? value : `CAST(${value} AS ${type})`;
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
