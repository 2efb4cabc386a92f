// The fewest API calls that could do each bench phase on a generated catalog (issue 12: ⌈p/100⌉
// partition creates, ⌈g/20⌉ grant batches, one call per table, ⌈p/1000⌉ partition reads per
// segment, ...), per API family, so the bench reports calls made against calls needed.
import { batchLimits } from "../modules/operations/apis.ts";
import type { GeneratedCatalog } from "./catalog-generator.ts";

/** API families the bench compares; every counted call belongs to one (familyOf). */
export type ApiFamily =
  | "glue-catalog-reads"
  | "glue-partition-reads"
  | "glue-writes"
  | "lf-permissions"
  | "lf-tags"
  | "lf-settings"
  | "other";

export type CallsByFamily = Partial<Record<ApiFamily, number>>;

/** The family of a counted call (service and operation as the local counter names them). */
export function familyOf(service: string, operation: string): ApiFamily {
  if (service === "glue") {
    if (/^(Get|BatchGet)Partition/.test(operation)) return "glue-partition-reads";
    if (/^(Get|Search|List)/.test(operation)) return "glue-catalog-reads";
    return "glue-writes";
  }
  if (service === "lakeformation") {
    if (/Permissions$/.test(operation)) return "lf-permissions";
    if (/LFTag/.test(operation)) return "lf-tags";
    return "lf-settings";
  }
  return "other";
}

/** Glue's and Lake Formation's largest page sizes for the reads a snapshot makes. */
export const pageSizes = {
  GetDatabases: 100,
  GetTables: 100,
  GetPartitions: 1000,
  ListPermissions: 1000,
  ListLFTags: 1000,
  SearchByLFTags: 1000,
} as const;

const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));

/**
 * Reading one side of the catalog whole: paged databases, tables per database, partitions per
 * partitioned table (⌈p/1000⌉ each, a segment per 1000 partitions at most), grants, tags, the tag
 * assignments by search pages, settings, registered locations and data cells filters a page each.
 */
export function snapshotReadMinimum(catalog: GeneratedCatalog): CallsByFamily {
  const tablesPerDatabase = new Map<string, number>();
  for (const table of catalog.tables)
    tablesPerDatabase.set(table.database, (tablesPerDatabase.get(table.database) ?? 0) + 1);
  let tablePages = 0;
  for (const database of catalog.databases)
    tablePages += pages(tablesPerDatabase.get(database) ?? 0, pageSizes.GetTables);
  let partitionPages = 0;
  for (const table of catalog.tables)
    if (table.partitionKeys.length > 0) partitionPages += pages(table.partitions, pageSizes.GetPartitions);
  return {
    "glue-catalog-reads": pages(catalog.databases.length, pageSizes.GetDatabases) + tablePages,
    "glue-partition-reads": partitionPages,
    "lf-permissions": pages(catalog.grants.length, pageSizes.ListPermissions),
    "lf-tags":
      pages(catalog.tags.length, pageSizes.ListLFTags) +
      pages(catalog.assignments.length, pageSizes.SearchByLFTags) * 2,
    // GetDataLakeSettings, ListResources, ListDataCellsFilter: one page each.
    "lf-settings": 3,
  };
}

/** Writing the whole catalog into an empty target at the APIs' batch limits. */
export function restoreWriteMinimum(catalog: GeneratedCatalog): CallsByFamily {
  let partitionBatches = 0;
  for (const table of catalog.tables)
    if (table.partitions > 0)
      partitionBatches += Math.ceil(table.partitions / batchLimits.BatchCreatePartition);
  const taggedResources = new Set(catalog.assignments.map((a) => JSON.stringify(a.resource))).size;
  return {
    "glue-writes": catalog.databases.length + catalog.tables.length + partitionBatches,
    "lf-permissions": Math.ceil(catalog.grants.length / batchLimits.BatchGrantPermissions),
    "lf-tags": catalog.tags.length + taggedResources,
  };
}

/** The writes of a change: new partitions per table in batches, one call per changed table, grant batches. */
export function changeWriteMinimum(change: {
  newPartitionsPerTable: number[];
  updatedTables: number;
  newGrants: number;
}): CallsByFamily {
  let partitionBatches = 0;
  for (const count of change.newPartitionsPerTable)
    if (count > 0) partitionBatches += Math.ceil(count / batchLimits.BatchCreatePartition);
  return {
    "glue-writes": change.updatedTables + partitionBatches,
    "lf-permissions": Math.ceil(change.newGrants / batchLimits.BatchGrantPermissions),
  };
}

/** Family-wise sum. */
export function addCalls(...counts: CallsByFamily[]): CallsByFamily {
  const total: CallsByFamily = {};
  for (const count of counts)
    for (const [family, n] of Object.entries(count) as [ApiFamily, number][])
      total[family] = (total[family] ?? 0) + n;
  return total;
}

export const totalCalls = (counts: CallsByFamily): number =>
  Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
