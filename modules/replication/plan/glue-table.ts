// Glue table events. Source-only handles (TransactionId of governed tables, VersionId for
// optimistic locking) mean nothing in the target and are not replayed.
import { mapTableInput } from "../../mapping/catalog-inputs.ts";
import { isIncluded } from "../../mapping/mapping.ts";
import { Phase, resourceKeys } from "../../operations/operation.ts";
import type { TableInput } from "../change.ts";
import { TranslateError } from "../translate.ts";
import {
  apply,
  batchLimits,
  catalogField,
  catalogKey,
  chunk,
  compact,
  type EventPlanners,
  ignore,
  operation,
  type PlanContext,
} from "./context.ts";

/** The table a Create/UpdateTable names: TableInput.Name, or the top-level Name. */
function tableName(input: { Name?: string; TableInput?: TableInput }, event: string): string {
  const name = input.TableInput?.Name ?? input.Name;
  if (!name) throw new TranslateError(`${event} names no table`, "requestParameters.tableInput.name");
  return name;
}

const mapped = (input: TableInput | undefined, ctx: PlanContext) =>
  input === undefined ? undefined : mapTableInput(input, ctx.rules);

const excluded = (db: string, table: string) => ignore(`table ${db}.${table} is excluded by the filters`);

export const tablePlanners: EventPlanners<
  "CreateTable" | "UpdateTable" | "DeleteTable" | "BatchDeleteTable"
> = {
  CreateTable: ({ input }, ctx) => {
    const db = input.DatabaseName;
    const name = tableName(input, "CreateTable");
    if (!isIncluded(ctx.rules, db, name)) return excluded(db, name);
    const catalog = catalogField(input.CatalogId, ctx.rules);
    const tableInput = mapped(input.TableInput, ctx);
    const key = resourceKeys.table(catalogKey(input.CatalogId, ctx), db, name);
    return apply([
      operation(ctx, {
        service: "glue",
        operation: "CreateTable",
        input: compact({
          ...catalog,
          DatabaseName: db,
          Name: input.Name,
          TableInput: tableInput,
          PartitionIndexes: input.PartitionIndexes,
          OpenTableFormatInput: input.OpenTableFormatInput,
        }),
        resourceKey: key,
        idempotency: "create",
        phase: Phase.tables,
        description: `create table ${db}.${name}`,
        onExists: {
          service: "glue",
          operation: "UpdateTable",
          input: compact({ ...catalog, DatabaseName: db, Name: input.Name, TableInput: tableInput }),
          resourceKey: key,
          idempotency: "upsert",
          phase: Phase.tables,
          description: `update table ${db}.${name} (it already exists)`,
        },
      }),
    ]);
  },
  UpdateTable: ({ input }, ctx) => {
    const db = input.DatabaseName;
    const name = tableName(input, "UpdateTable");
    if (!isIncluded(ctx.rules, db, name)) return excluded(db, name);
    return apply([
      operation(ctx, {
        service: "glue",
        operation: "UpdateTable",
        input: compact({
          ...catalogField(input.CatalogId, ctx.rules),
          DatabaseName: db,
          Name: input.Name,
          TableInput: mapped(input.TableInput, ctx),
          SkipArchive: input.SkipArchive,
          ViewUpdateAction: input.ViewUpdateAction,
          Force: input.Force,
          UpdateOpenTableFormatInput: input.UpdateOpenTableFormatInput,
        }),
        resourceKey: resourceKeys.table(catalogKey(input.CatalogId, ctx), db, name),
        idempotency: "upsert",
        phase: Phase.tables,
        description: `update table ${db}.${name}`,
      }),
    ]);
  },
  DeleteTable: ({ input }, ctx) => {
    const db = input.DatabaseName;
    if (!isIncluded(ctx.rules, db, input.Name)) return excluded(db, input.Name);
    return apply([
      operation(ctx, {
        service: "glue",
        operation: "DeleteTable",
        input: { ...catalogField(input.CatalogId, ctx.rules), DatabaseName: db, Name: input.Name },
        resourceKey: resourceKeys.table(catalogKey(input.CatalogId, ctx), db, input.Name),
        idempotency: "delete",
        phase: Phase.tables,
        description: `delete table ${db}.${input.Name}`,
      }),
    ]);
  },
  BatchDeleteTable: ({ input }, ctx) => {
    const db = input.DatabaseName;
    const tables = input.TablesToDelete.filter((t) => isIncluded(ctx.rules, db, t));
    if (tables.length === 0) return ignore(`every table of the batch in ${db} is excluded by the filters`);
    const catalog = catalogKey(input.CatalogId, ctx);
    return apply(
      chunk(tables, batchLimits.BatchDeleteTable).map((part) =>
        operation(ctx, {
          service: "glue",
          operation: "BatchDeleteTable",
          input: { ...catalogField(input.CatalogId, ctx.rules), DatabaseName: db, TablesToDelete: part },
          // A batch is keyed by its first entry: unique per chunk and a real resource.
          resourceKey: resourceKeys.table(catalog, db, part[0]!),
          idempotency: "delete",
          phase: Phase.tables,
          description: `delete ${part.length} table(s) in ${db}: ${part.join(", ")}`,
        }),
      ),
    );
  },
};
