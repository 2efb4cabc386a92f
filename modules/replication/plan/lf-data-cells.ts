// Data cells filters (row and column filters). VersionId is the source's optimistic-lock token
// and means nothing in the target, so it is never replayed.
import { isIncluded, mapCatalogId } from "../../mapping/mapping.ts";
import { Phase, resourceKeys } from "../../operations/operation.ts";
import type { DataCellsFilter } from "../change.ts";
import {
  apply,
  catalogKey,
  type EventPlanners,
  ignore,
  type Json,
  operation,
  type PlanContext,
} from "./context.ts";

function targetFilter(filter: DataCellsFilter, ctx: PlanContext): Json {
  const { VersionId: _sourceVersion, ...rest } = filter;
  return { ...rest, TableCatalogId: mapCatalogId(filter.TableCatalogId, ctx.rules) };
}

const excluded = (db: string, table: string) => ignore(`table ${db}.${table} is excluded by the filters`);

function keyOf(
  filter: { TableCatalogId?: string; DatabaseName?: string; TableName?: string; Name?: string },
  ctx: PlanContext,
) {
  return resourceKeys.dataCellsFilter(
    catalogKey(filter.TableCatalogId, ctx),
    filter.DatabaseName ?? "",
    filter.TableName ?? "",
    filter.Name ?? "",
  );
}

export const dataCellsPlanners: EventPlanners<
  "CreateDataCellsFilter" | "UpdateDataCellsFilter" | "DeleteDataCellsFilter"
> = {
  CreateDataCellsFilter: ({ input }, ctx) => {
    const f = input.TableData;
    if (!isIncluded(ctx.rules, f.DatabaseName, f.TableName)) return excluded(f.DatabaseName, f.TableName);
    const tableData = targetFilter(f, ctx);
    const where = `${f.DatabaseName}.${f.TableName}/${f.Name}`;
    return apply([
      operation(ctx, {
        service: "lakeformation",
        operation: "CreateDataCellsFilter",
        input: { TableData: tableData },
        resourceKey: keyOf(f, ctx),
        idempotency: "create",
        phase: Phase.dataCellsFilters,
        description: `create data cells filter ${where}`,
        onExists: {
          service: "lakeformation",
          operation: "UpdateDataCellsFilter",
          input: { TableData: tableData },
          resourceKey: keyOf(f, ctx),
          idempotency: "upsert",
          phase: Phase.dataCellsFilters,
          description: `update data cells filter ${where} (it already exists)`,
        },
      }),
    ]);
  },
  UpdateDataCellsFilter: ({ input }, ctx) => {
    const f = input.TableData;
    if (!isIncluded(ctx.rules, f.DatabaseName, f.TableName)) return excluded(f.DatabaseName, f.TableName);
    return apply([
      operation(ctx, {
        service: "lakeformation",
        operation: "UpdateDataCellsFilter",
        input: { TableData: targetFilter(f, ctx) },
        resourceKey: keyOf(f, ctx),
        idempotency: "upsert",
        phase: Phase.dataCellsFilters,
        description: `update data cells filter ${f.DatabaseName}.${f.TableName}/${f.Name}`,
      }),
    ]);
  },
  DeleteDataCellsFilter: ({ input }, ctx) => {
    const db = input.DatabaseName ?? "";
    const table = input.TableName ?? "";
    if (!isIncluded(ctx.rules, db, table)) return excluded(db, table);
    return apply([
      operation(ctx, {
        service: "lakeformation",
        operation: "DeleteDataCellsFilter",
        input: {
          ...input,
          ...(input.TableCatalogId ? { TableCatalogId: mapCatalogId(input.TableCatalogId, ctx.rules) } : {}),
        },
        resourceKey: keyOf(input, ctx),
        idempotency: "delete",
        phase: Phase.dataCellsFilters,
        description: `delete data cells filter ${db}.${table}/${input.Name ?? ""}`,
      }),
    ]);
  },
};
