// Glue table state -> Snowflake DDL, as data. Pure: the caller reads Glue and runs the statements.
import { renderSeedStatement } from "./compat.ts";
import type { ExternalTableDefinition, ObjectName, Statement, VirtualColumn } from "./ddl-ast.ts";
import { comparableType, type SnowflakeColumn } from "./describe.ts";
import { detectFileFormat } from "./file-format.ts";
import type { GlueTable } from "./glue-table.ts";
import { notMappedReason, resolveStage, snowflakeSchemaFor, storedIdentifier } from "./naming.ts";
import type { DdlSettings } from "./settings.ts";
import { toSnowflakeType } from "./type-map.ts";

export type Definition =
  | {
      ok: true;
      table: ExternalTableDefinition;
      /** Warnings: what was mapped approximately (e.g. an unknown type read as VARIANT). */
      notes: string[];
    }
  | { ok: false; reason: string };

/** Partition values Hive may have escaped in the path (FileUtils.escapePathName): strings, timestamps. */
const ESCAPABLE_PARTITION_TYPE = /^(VARCHAR|CHAR|TIMESTAMP)/;

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

  const notes: string[] = [];
  const columns: VirtualColumn[] = [];
  for (const [index, column] of (storage.Columns ?? []).entries()) {
    const mapped = toSnowflakeType(column.Type);
    // An unknown type still has a value in the row: VARIANT keeps it readable instead of losing the table.
    if (!mapped.ok) notes.push(`column ${column.Name}: ${mapped.reason}; read as VARIANT`);
    const type = mapped.ok ? mapped.type : "VARIANT";
    // CSV rows are positional: Snowflake names the fields c1, c2, ...
    const key = format.format.type === "CSV" ? `c${index + 1}` : column.Name;
    columns.push({
      name: column.Name,
      type,
      source: { kind: "field", key },
    });
  }
  if (columns.length === 0) return { ok: false, reason: "table has no columns" };

  // metadata$filename is the object key below the bucket, the stage URL's own folders included
  // (Snowflake's CREATE EXTERNAL TABLE partition example); then the table's folders, then one folder
  // per partition key.
  const tableDepth = stage.stagePrefixDepth + stage.path.split("/").filter(Boolean).length;
  const partitionKeys = table.PartitionKeys ?? [];
  for (const [index, key] of partitionKeys.entries()) {
    const mapped = toSnowflakeType(key.Type);
    if (mapped.ok && mapped.type === "VARIANT")
      return { ok: false, reason: `partition key ${key.Name} has a complex type` };
    if (!mapped.ok) notes.push(`partition key ${key.Name}: ${mapped.reason}; read as VARCHAR`);
    const type = mapped.ok ? mapped.type : "VARCHAR";
    columns.push({
      name: key.Name,
      type,
      source: {
        kind: "pathSegment",
        segment: tableDepth + index + 1,
        hiveKey: key.Name,
        ...(ESCAPABLE_PARTITION_TYPE.test(type) ? { unescape: true } : {}),
      },
    });
  }
  const comment = table.Description ?? table.Parameters?.comment;
  return {
    ok: true,
    notes,
    table: {
      name: [target.database, target.schema, table.Name],
      columns,
      partitionBy: partitionKeys.map((key) => key.Name),
      location: { stage: stage.stage, path: stage.path },
      fileFormat: format.format,
      autoRefresh: settings.autoRefresh,
      ...(comment ? { comment } : {}),
    },
  };
}

/** What happened in Glue, with the state lakesync read back after it. */
export type TableChange =
  | { kind: "created"; database: string; table: GlueTable }
  | {
      kind: "updated";
      database: string;
      table: GlueTable;
      /** The table version before the update (Glue keeps versions), when known. */
      previous?: GlueTable;
      /**
       * The columns the Snowflake table has now (empty: no such table), or "unreadable" when asking
       * failed. When given, columns are diffed against it rather than against `previous`.
       */
      snowflakeColumns?: readonly SnowflakeColumn[] | "unreadable";
    }
  /** `stillExists`: the table is back in Glue (recreated after the delete), so nothing is dropped. */
  | { kind: "deleted"; database: string; name: string; stillExists: boolean };

export type SyncPlan =
  | {
      kind: "execute";
      statements: Statement[];
      /** Run instead when Snowflake reports the table missing (an ALTER on a table never created). */
      ifTableMissing?: Statement[];
      notes?: string[];
    }
  | { kind: "noop"; reason: string; notes?: string[] }
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
  const notes = current.notes.length > 0 ? { notes: current.notes } : {};
  // OR REPLACE so a redelivered event converges instead of failing; COPY GRANTS so replacing an
  // existing table keeps the privileges granted on it in Snowflake.
  const replace: SyncPlan = {
    kind: "execute",
    statements: [{ kind: "createExternalTable", orReplace: true, copyGrants: true, table: current.table }],
    ...notes,
  };
  if (change.kind === "created" || !change.previous) return replace;
  const previous = defineExternalTable(change.database, change.previous, settings);
  if (!previous.ok) return replace;
  const actual = change.snowflakeColumns;
  if (actual === "unreadable" || actual?.length === 0) return replace;
  const alter = actual
    ? diffAgainstSnowflake(previous.table, current.table, actual)
    : columnChanges(previous.table, current.table);
  if (alter === "replace") return replace;
  if (alter.length === 0) return { kind: "noop", reason: "no change visible to Snowflake", ...notes };
  return { kind: "execute", statements: alter, ifTableMissing: replace.statements, ...notes };
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
const isData = (c: VirtualColumn) => c.source.kind === "field";

/** Location, format, partitions, table comment: what ALTER … COLUMN cannot change. */
function sameShell(before: ExternalTableDefinition, after: ExternalTableDefinition): boolean {
  const shell = (t: ExternalTableDefinition) =>
    JSON.stringify({ ...t, columns: t.columns.filter((c) => !isData(c)) });
  return shell(before) === shell(after);
}

/**
 * Snowflake can ADD and DROP virtual columns of an external table in place (ALTER TABLE … ADD
 * COLUMN … AS (…)); anything else (location, format, partitions, a changed or reordered column,
 * a column inserted in the middle) needs CREATE OR REPLACE.
 */
function columnChanges(
  before: ExternalTableDefinition,
  after: ExternalTableDefinition,
): Statement[] | "replace" {
  if (!sameShell(before, after)) return "replace";
  const old = before.columns.filter(isData);
  const current = after.columns.filter(isData);
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

/**
 * The ALTERs that turn the columns Snowflake has into the ones Glue describes now. Glue's previous
 * version still vouches for what INFORMATION_SCHEMA cannot show (location, format, partition
 * expressions); the column list, types and order come from Snowflake itself.
 */
function diffAgainstSnowflake(
  before: ExternalTableDefinition,
  after: ExternalTableDefinition,
  actual: readonly SnowflakeColumn[],
): Statement[] | "replace" {
  if (!sameShell(before, after)) return "replace";
  const real = actual.filter((c) => c.name !== "VALUE" && !c.name.toUpperCase().startsWith("METADATA$"));
  const actualByName = new Map(real.map((c) => [c.name, c]));
  const matches = (want: VirtualColumn, have: SnowflakeColumn | undefined) =>
    have !== undefined && have.type === comparableType(want.type);
  // Partition columns are part of the shell: Snowflake must have them exactly.
  const partitions = after.columns.filter((c) => !isData(c));
  if (!partitions.every((c) => matches(c, actualByName.get(storedIdentifier(c.name))))) return "replace";
  const partitionNames = new Set(partitions.map((c) => storedIdentifier(c.name)));
  const actualData = real.filter((c) => !partitionNames.has(c.name));
  const wanted = after.columns.filter(isData);
  const wantedNames = new Set(wanted.map((c) => storedIdentifier(c.name)));
  const kept = wanted.filter((c) => actualByName.has(storedIdentifier(c.name)));
  const added = wanted.filter((c) => !actualByName.has(storedIdentifier(c.name)));
  const dropped = actualData.filter((c) => !wantedNames.has(c.name));
  if (!kept.every((c) => matches(c, actualByName.get(storedIdentifier(c.name))))) return "replace";
  const actualOrder = actualData.filter((c) => wantedNames.has(c.name)).map((c) => c.name);
  if (JSON.stringify(actualOrder) !== JSON.stringify(kept.map((c) => storedIdentifier(c.name))))
    return "replace";
  if (wanted.slice(0, kept.length).some((c) => added.includes(c))) return "replace";
  // CSV columns read positional fields (c1, c2, …): dropping one shifts every later position.
  if (after.fileFormat.type === "CSV" && dropped.length > 0) return "replace";
  const statements: Statement[] = [];
  for (const column of dropped)
    statements.push({ kind: "dropColumn", table: after.name, column: column.name, exact: true });
  for (const column of added) statements.push({ kind: "addColumn", table: after.name, column });
  return statements;
}
