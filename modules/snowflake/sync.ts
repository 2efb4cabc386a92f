// The Snowflake sync core shared by the Lambda handler and `lakesync snowflake sync`: read the table
// from Glue, plan the DDL, run it, and say what happened. I/O arrives through the two ports.
import type { StatementContext } from "./client.ts";
import { SnowflakeSqlError } from "./client.ts";
import { describeColumnsStatement, parseColumns, type SnowflakeColumn } from "./describe.ts";
import type { GlueTableEventKind } from "./events.ts";
import type { GlueTableSource, TableRef } from "./glue-source.ts";
import type { GlueTable } from "./glue-table.ts";
import { snowflakeSchemaFor } from "./naming.ts";
import { planTableChange, type SyncPlan, type TableChange } from "./plan.ts";
import { renderStatement } from "./render.ts";
import type { DdlSettings } from "./settings.ts";

export interface StatementRunner {
  /** Runs one statement; `data` holds the result rows (arrays of strings/nulls) of a query. */
  execute(statement: string, context?: StatementContext): Promise<{ data?: unknown[] }>;
}

export interface SyncDeps {
  source: GlueTableSource;
  runner: StatementRunner;
  settings: DdlSettings;
}

export interface SyncOutcome {
  status: "applied" | "noop" | "skipped";
  database: string;
  table: string;
  /** The statements sent to Snowflake, in order. */
  statements: string[];
  reason?: string;
  /** What was mapped approximately (e.g. a column of unknown type read as VARIANT). */
  notes?: string[];
}

/** Sync one table after a Glue event; throws when Snowflake (or Glue) fails, so the caller retries. */
export async function syncTableEvent(
  event: { kind: GlueTableEventKind; database: string; table: string; catalogId?: string },
  deps: SyncDeps,
): Promise<SyncOutcome> {
  const ref: TableRef = { database: event.database, name: event.table, catalogId: event.catalogId };
  const current = await deps.source.getTable(ref);
  let change: TableChange;
  if (event.kind === "deleted") {
    change = {
      kind: "deleted",
      database: event.database,
      name: event.table,
      stillExists: current !== undefined,
    };
  } else if (!current) {
    return outcome("skipped", event.database, event.table, [], "the table no longer exists in Glue");
  } else if (event.kind === "updated" && !deps.settings.compat) {
    const previous = await deps.source.getPreviousVersion(ref, current);
    // Only worth asking Snowflake when an ALTER is possible at all (there is a version to compare).
    const snowflakeColumns = previous
      ? await readSnowflakeColumns(event.database, event.table, deps)
      : undefined;
    change = {
      kind: "updated",
      database: event.database,
      table: current,
      ...(previous ? { previous } : {}),
      ...(snowflakeColumns ? { snowflakeColumns } : {}),
    };
  } else {
    change = { kind: event.kind, database: event.database, table: current };
  }
  return runPlan(planTableChange(change, deps.settings), event.database, event.table, deps);
}

/** Sync a table as it is now (backfill): CREATE OR REPLACE … COPY GRANTS. */
export async function syncTableState(
  database: string,
  table: GlueTable,
  deps: SyncDeps,
): Promise<SyncOutcome> {
  return runPlan(
    planTableChange({ kind: "updated", database, table }, deps.settings),
    database,
    table.Name,
    deps,
  );
}

/** Every table of every mapped Glue database (or of `only`), one outcome each. */
export async function* backfill(
  deps: SyncDeps,
  options: { database?: string; catalogId?: string } = {},
): AsyncGenerator<SyncOutcome | { status: "failed"; database: string; table: string; reason: string }> {
  const databases: string[] = [];
  if (options.database) databases.push(options.database);
  else {
    for await (const name of deps.source.databases(options.catalogId)) {
      if (snowflakeSchemaFor(name, deps.settings.databaseSchemaSeparator)) databases.push(name);
    }
  }
  for (const database of databases) {
    for await (const table of deps.source.tables(database, options.catalogId)) {
      try {
        yield await syncTableState(database, table, deps);
      } catch (error) {
        yield { status: "failed", database, table: table.Name, reason: (error as Error).message };
      }
    }
  }
}

/** The table's columns in Snowflake ([] when it has none), or "unreadable" when the query failed. */
async function readSnowflakeColumns(
  database: string,
  table: string,
  deps: SyncDeps,
): Promise<SnowflakeColumn[] | "unreadable" | undefined> {
  const target = snowflakeSchemaFor(database, deps.settings.databaseSchemaSeparator);
  if (!target) return undefined;
  try {
    const result = await deps.runner.execute(
      describeColumnsStatement([target.database, target.schema, table]),
      { database: target.database, schema: target.schema },
    );
    return parseColumns(result.data ?? []);
  } catch {
    // Falls back to CREATE OR REPLACE … COPY GRANTS, which is right whatever Snowflake has.
    return "unreadable";
  }
}

async function runPlan(
  plan: SyncPlan,
  database: string,
  table: string,
  deps: SyncDeps,
): Promise<SyncOutcome> {
  const notes = plan.kind !== "skipped" && plan.notes?.length ? plan.notes : undefined;
  if (plan.kind !== "execute") return outcome(plan.kind, database, table, [], plan.reason, notes);
  const target = snowflakeSchemaFor(database, deps.settings.databaseSchemaSeparator);
  const context: StatementContext = target ? { database: target.database, schema: target.schema } : {};
  const sent: string[] = [];
  const run = async (statements: typeof plan.statements) => {
    for (const statement of statements) {
      const sql = renderStatement(statement);
      sent.push(sql);
      await deps.runner.execute(sql, context);
    }
  };
  try {
    await run(plan.statements);
  } catch (error) {
    // An ALTER for a table Snowflake never got (an earlier create failed or was skipped).
    if (!(error instanceof SnowflakeSqlError && error.objectMissing && plan.ifTableMissing)) throw error;
    await run(plan.ifTableMissing);
  }
  return outcome("applied", database, table, sent, undefined, notes);
}

function outcome(
  status: SyncOutcome["status"],
  database: string,
  table: string,
  statements: string[],
  reason?: string,
  notes?: string[],
): SyncOutcome {
  return { status, database, table, statements, ...(reason ? { reason } : {}), ...(notes ? { notes } : {}) };
}
