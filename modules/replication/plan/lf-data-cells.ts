// Data cells filters (row and column filters). VersionId is the source's optimistic-lock token
// and means nothing in the target, so it is never replayed.
import { isIncluded, mapCatalogId } from "../../mapping/mapping.ts";
import {
  createOrUpdateDataCellsFilter,
  deleteDataCellsFilter,
  updateDataCellsFilter,
} from "../../operations/build/index.ts";
import type { DataCellsFilter } from "../change.ts";
import { apply, destination, type EventPlanners, ignore, type Json, type PlanContext } from "./context.ts";

function targetFilter(filter: DataCellsFilter, ctx: PlanContext): Json {
  const { VersionId: _sourceVersion, ...rest } = filter;
  return { ...rest, TableCatalogId: mapCatalogId(filter.TableCatalogId, ctx.rules) };
}

const excluded = (db: string, table: string) => ignore(`table ${db}.${table} is excluded by the filters`);

export const dataCellsPlanners: EventPlanners<
  "CreateDataCellsFilter" | "UpdateDataCellsFilter" | "DeleteDataCellsFilter"
> = {
  CreateDataCellsFilter: ({ input }, ctx) => {
    const f = input.TableData;
    if (!isIncluded(ctx.rules, f.DatabaseName, f.TableName)) return excluded(f.DatabaseName, f.TableName);
    return apply([createOrUpdateDataCellsFilter(destination(ctx), targetFilter(f, ctx))]);
  },
  UpdateDataCellsFilter: ({ input }, ctx) => {
    const f = input.TableData;
    if (!isIncluded(ctx.rules, f.DatabaseName, f.TableName)) return excluded(f.DatabaseName, f.TableName);
    return apply([updateDataCellsFilter(destination(ctx), targetFilter(f, ctx))]);
  },
  DeleteDataCellsFilter: ({ input }, ctx) => {
    const db = input.DatabaseName ?? "";
    const table = input.TableName ?? "";
    if (!isIncluded(ctx.rules, db, table)) return excluded(db, table);
    const filter = {
      ...input,
      ...(input.TableCatalogId ? { TableCatalogId: mapCatalogId(input.TableCatalogId, ctx.rules) } : {}),
    };
    return apply([deleteDataCellsFilter(destination(ctx), filter)]);
  },
};
