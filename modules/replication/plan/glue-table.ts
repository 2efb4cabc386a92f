// Glue table events. Source-only handles (TransactionId of governed tables, VersionId for
// optimistic locking) mean nothing in the target and are not replayed.
import { mapTableInput } from "../../mapping/catalog-inputs.ts";
import { icebergDirectivesFor } from "../../mapping/iceberg-tables.ts";
import { isIncluded } from "../../mapping/mapping.ts";
import {
  batchDeleteTables,
  createOrUpdateTable,
  deleteTable,
  updateTable,
} from "../../operations/build/index.ts";
import type { TableInput } from "../change.ts";
import { TranslateError } from "../translate.ts";
import { apply, destination, type EventPlanners, ignore, type PlanContext } from "./context.ts";

/** The table a Create/UpdateTable names: TableInput.Name, or the top-level Name. */
function tableName(input: { Name?: string; TableInput?: TableInput }, event: string): string {
  const name = input.TableInput?.Name ?? input.Name;
  if (!name) throw new TranslateError(`${event} names no table`, "requestParameters.tableInput.name");
  return name;
}

const mapped = (input: TableInput | undefined, ctx: PlanContext) =>
  input === undefined ? undefined : mapTableInput(input, ctx.rules);

/** An Iceberg table moved to another bucket: rewrite its metadata tree (or skip), per the target. */
const icebergOf = (input: TableInput | undefined, ctx: PlanContext) => {
  const iceberg = icebergDirectivesFor(input, ctx.rules);
  return iceberg ? { iceberg } : {};
};

const excluded = (db: string, table: string) => ignore(`table ${db}.${table} is excluded by the filters`);

export const tablePlanners: EventPlanners<
  "CreateTable" | "UpdateTable" | "DeleteTable" | "BatchDeleteTable"
> = {
  CreateTable: ({ input }, ctx) => {
    const db = input.DatabaseName;
    const name = tableName(input, "CreateTable");
    if (!isIncluded(ctx.rules, db, name)) return excluded(db, name);
    return apply([
      createOrUpdateTable(destination(ctx, input.CatalogId), {
        DatabaseName: db,
        Name: input.Name,
        TableInput: mapped(input.TableInput, ctx),
        PartitionIndexes: input.PartitionIndexes,
        OpenTableFormatInput: input.OpenTableFormatInput,
        ...icebergOf(input.TableInput, ctx),
      }),
    ]);
  },
  UpdateTable: ({ input }, ctx) => {
    const db = input.DatabaseName;
    const name = tableName(input, "UpdateTable");
    if (!isIncluded(ctx.rules, db, name)) return excluded(db, name);
    return apply([
      updateTable(destination(ctx, input.CatalogId), {
        DatabaseName: db,
        Name: input.Name,
        TableInput: mapped(input.TableInput, ctx),
        SkipArchive: input.SkipArchive,
        ViewUpdateAction: input.ViewUpdateAction,
        Force: input.Force,
        UpdateOpenTableFormatInput: input.UpdateOpenTableFormatInput,
        ...icebergOf(input.TableInput, ctx),
      }),
    ]);
  },
  DeleteTable: ({ input }, ctx) => {
    const db = input.DatabaseName;
    if (!isIncluded(ctx.rules, db, input.Name)) return excluded(db, input.Name);
    return apply([deleteTable(destination(ctx, input.CatalogId), db, input.Name)]);
  },
  BatchDeleteTable: ({ input }, ctx) => {
    const db = input.DatabaseName;
    const tables = input.TablesToDelete.filter((t) => isIncluded(ctx.rules, db, t));
    if (tables.length === 0) return ignore(`every table of the batch in ${db} is excluded by the filters`);
    // Each chunk is keyed by its first table: unique per chunk and a real resource.
    return apply(batchDeleteTables(destination(ctx, input.CatalogId), db, tables, { keyBy: "firstEntry" }));
  },
};
