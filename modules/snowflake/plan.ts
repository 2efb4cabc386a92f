// Glue table state -> Snowflake DDL, as data. Pure: the caller reads Glue and runs the statements.
import { renderSeedStatement } from "./compat.ts";
import type { ExternalTableDefinition, ObjectName, Statement, VirtualColumn } from "./ddl-ast.ts";
import { detectFileFormat } from "./file-format.ts";
import type { GlueTable } from "./glue-table.ts";
import { notMappedReason, resolveStage, snowflakeSchemaFor } from "./naming.ts";
import type { DdlSettings } from "./settings.ts";
import { toSnowflakeType } from "./type-map.ts";

export type Definition = { ok: true; table: ExternalTableDefinition } | { ok: false; reason: string };

/** The external table a Glue table becomes, or why it cannot become one. */
export function defineExternalTable(
  glueDatabase: string,
  table: GlueTable,
  settings: DdlSettings,
): Definition {
  const target = snowflakeSchemaFor(glueDatabase, settings.databaseSchemaSeparator);
  if (!target) return { ok: false, reason: notMappedReason(glueDatabase, settings.databaseSchemaSeparator) };
  const storage = table.StorageDescriptor;
  if (!storage?.Location) return { ok: false, reason: "table has no storage location" };
  if ((table.TableType ?? "").toUpperCase() === "VIRTUAL_VIEW")
    return { ok: false, reason: "table is a view" };
  const format = detectFileFormat(table);
  if (!format.ok) return format;
  const stage = resolveStage(storage.Location, settings.stages);
  if (!stage) return { ok: false, reason: `no configured stage covers ${storage.Location}` };

  const columns: VirtualColumn[] = [];
  for (const [index, column] of (storage.Columns ?? []).entries()) {
    const type = toSnowflakeType(column.Type);
    if (!type.ok) return { ok: false, reason: `column ${column.Name}: ${type.reason}` };
    // CSV rows are positional: Snowflake names the fields c1, c2, ...
    const key = format.format.type === "CSV" ? `c${index + 1}` : column.Name;
    columns.push({ name: column.Name, type: type.type, source: { kind: "field", key } });
  }
  if (columns.length === 0) return { ok: false, reason: "table has no columns" };

  // metadata$filename is the file's path relative to the stage: the table's own folders come first,
  // then one folder per partition key.
  const tableDepth = stage.path.split("/").filter(Boolean).length;
  const partitionKeys = table.PartitionKeys ?? [];
  for (const [index, key] of partitionKeys.entries()) {
    const type = toSnowflakeType(key.Type);
    if (!type.ok) return { ok: false, reason: `partition key ${key.Name}: ${type.reason}` };
    if (type.type === "VARIANT") return { ok: false, reason: `partition key ${key.Name} has a complex type` };
    columns.push({
      name: key.Name,
      type: type.type,
      source: { kind: "pathSegment", segment: tableDepth + index + 1, hiveKey: key.Name },
    });
  }
  return {
    ok: true,
    table: {
      name: [target.database, target.schema, table.Name],
      columns,
      partitionBy: partitionKeys.map((key) => key.Name),
      location: { stage: stage.stage, path: stage.path },
      fileFormat: format.format,
      autoRefresh: settings.autoRefresh,
    },
  };
}

/** What happened in Glue, with the state lakesync read back after it. */
export type TableChange =
  | { kind: "created"; database: string; table: GlueTable }
  /** `previous` is the table version before the update (Glue keeps versions), when known. */
  | { kind: "updated"; database: string; table: GlueTable; previous?: GlueTable }
  /** `stillExists`: the table is back in Glue (recreated after the delete), so nothing is dropped. */
  | { kind: "deleted"; database: string; name: string; stillExists: boolean };

export type SyncPlan =
  | {
      kind: "execute";
      statements: Statement[];
      /** Run instead when Snowflake reports the table missing (an ALTER on a table never created). */
      ifTableMissing?: Statement[];
    }
  | { kind: "noop"; reason: string }
  | { kind: "skipped"; reason: string };

export function planTableChange(change: TableChange, settings: DdlSettings): SyncPlan {
  if (change.kind === "deleted") return planDelete(change, settings);
  if (!snowflakeSchemaFor(change.database, settings.databaseSchemaSeparator)) {
    return { kind: "skipped", reason: notMappedReason(change.database, settings.databaseSchemaSeparator) };
  }
  if (settings.compat) {
    const seed = renderSeedStatement(
      change.database,
      change.table,
      settings.stages,
      settings.databaseSchemaSeparator,
    );
    return seed.ok
      ? { kind: "execute", statements: [{ kind: "verbatim", sql: seed.sql }] }
      : { kind: "skipped", reason: seed.reason };
  }
  const current = defineExternalTable(change.database, change.table, settings);
  if (!current.ok) return { kind: "skipped", reason: current.reason };
  // OR REPLACE so a redelivered event converges instead of failing; COPY GRANTS so replacing an
  // existing table keeps the privileges granted on it in Snowflake.
  const replace: Statement = {
    kind: "createExternalTable",
    orReplace: true,
    copyGrants: true,
    table: current.table,
  };
  if (change.kind === "created" || !change.previous) return { kind: "execute", statements: [replace] };

  const previous = defineExternalTable(change.database, change.previous, settings);
  if (!previous.ok) return { kind: "execute", statements: [replace] };
  const alter = columnChanges(previous.table, current.table);
  if (alter === "replace") return { kind: "execute", statements: [replace] };
  if (alter.length === 0) return { kind: "noop", reason: "no change visible to Snowflake" };
  return { kind: "execute", statements: alter, ifTableMissing: [replace] };
}

function planDelete(change: Extract<TableChange, { kind: "deleted" }>, settings: DdlSettings): SyncPlan {
  const target = snowflakeSchemaFor(change.database, settings.databaseSchemaSeparator);
  if (!target)
    return { kind: "skipped", reason: notMappedReason(change.database, settings.databaseSchemaSeparator) };
  if (!settings.dropOnDelete) return { kind: "skipped", reason: "dropOnDelete is off" };
  if (change.stillExists) return { kind: "noop", reason: "the table exists again in Glue" };
  return {
    kind: "execute",
    statements: [{ kind: "dropExternalTable", table: [target.database, target.schema, change.name] }],
  };
}

const sameColumn = (a: VirtualColumn, b: VirtualColumn) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Snowflake can ADD and DROP virtual columns of an external table in place (ALTER TABLE … ADD
 * COLUMN … AS (…)); anything else (location, format, partitions, a changed or reordered column,
 * a column inserted in the middle) needs CREATE OR REPLACE.
 */
function columnChanges(
  before: ExternalTableDefinition,
  after: ExternalTableDefinition,
): Statement[] | "replace" {
  const rest = (t: ExternalTableDefinition) =>
    JSON.stringify({ ...t, columns: t.columns.filter((c) => c.source.kind === "pathSegment") });
  if (rest(before) !== rest(after)) return "replace";
  const dataColumns = (t: ExternalTableDefinition) => t.columns.filter((c) => c.source.kind === "field");
  const old = dataColumns(before);
  const current = dataColumns(after);
  const oldByName = new Map(old.map((c) => [c.name, c]));
  const kept = current.filter((c) => oldByName.has(c.name));
  const added = current.filter((c) => !oldByName.has(c.name));
  const keptNames = new Set(kept.map((c) => c.name));
  const dropped = old.filter((c) => !keptNames.has(c.name)).map((c) => c.name);
  // Kept columns must be unchanged, in the same order, and new ones appended (ADD puts them last).
  if (!kept.every((c) => sameColumn(c, oldByName.get(c.name)!))) return "replace";
  const oldOrder = old.filter((c) => keptNames.has(c.name)).map((c) => c.name);
  if (JSON.stringify(oldOrder) !== JSON.stringify(kept.map((c) => c.name))) return "replace";
  if (current.slice(0, kept.length).some((c) => !oldByName.has(c.name))) return "replace";
  const name: ObjectName = after.name;
  const statements: Statement[] = [];
  for (const column of dropped) statements.push({ kind: "dropColumn", table: name, column });
  for (const column of added) statements.push({ kind: "addColumn", table: name, column });
  return statements;
}
