// The fewest API calls that could do each bench phase on a generated catalog (issue 12: ⌈p/100⌉
// partition creates, ⌈g/20⌉ grant batches, one call per table, ⌈p/1000⌉ partition reads per
// segment, ...), per API family, so the bench reports calls made against calls needed.
import { batchLimits } from "../modules/operations/apis.ts";
import type { GeneratedCatalog } from "./catalog-generator.ts";

/** API families the bench compares; every counted call belongs to one (familyOf). */
export type ApiFamily =
  | "glue-catalog-reads"
  | "glue-partition-reads"
  | "glue-partition-indexes"
  | "glue-writes"
  | "lf-permissions"
  | "lf-tags"
  | "lf-settings"
  | "other";

export type CallsByFamily = Partial<Record<ApiFamily, number>>;

/** The family of a counted call (service and operation as the local counter names them). */
export function familyOf(service: string, operation: string): ApiFamily {
  if (service === "glue") {
    // Partition indexes are their own family: Glue's Table output does not carry them and there is
    // no batch read, so one GetPartitionIndexes per partitioned table is the floor (Glue
    // API_Table.html has no PartitionIndexes member; API_GetPartitionIndexes.html takes one table).
    if (operation === "GetPartitionIndexes") return "glue-partition-indexes";
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
  /** SearchDatabasesByLFTags / SearchTablesByLFTags: SearchPageSize 1..100. */
  SearchByLFTags: 100,
  /** Values in one search condition (LF API_LFTag.html TagValues: 50 per call). */
  SearchConditionValues: 50,
} as const;

const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));

/**
 * The grants a generated catalog lists: its own plus the default IAM_ALLOWED_PRINCIPALS grant Lake
 * Formation makes on each database and table created under the default settings ("Use only IAM
 * access control", LF dg change-settings.html; local AWS: fix_default_permissions_on_create).
 * ListPermissions returns them with the others, and a restore writes them like the others.
 */
export const listedGrants = (catalog: GeneratedCatalog): number =>
  catalog.grants.length + catalog.databases.length + catalog.tables.length;

/**
 * Reading one side of the catalog whole: paged databases, tables per database, partitions per
 * partitioned table (⌈p/1000⌉ each, a segment per 1000 partitions at most), one
 * GetPartitionIndexes per partitioned table, grants, tag definitions, tag assignments, settings,
 * registered locations and data cells filters a page each.
 *
 * Tag assignments: databases by the cheaper of one GetResourceLFTags each and one
 * SearchDatabasesByLFTags per key and per 50 values (a page per 100 databases); tables by one
 * GetResourceLFTags each. A search cannot stand in for the tables' reads: it shows the tags a table
 * and its columns carry, inherited ones included (the AWS CLI reference example for
 * search-tables-by-lf-tags shows a database's tag on the table and on every column), so a tag
 * assigned to a table cannot be told from the same tag inherited from its database; only
 * GetResourceLFTags with ShowAssignedLFTags shows what is assigned (LF API_GetResourceLFTags.html).
 */
export function snapshotReadMinimum(catalog: GeneratedCatalog): CallsByFamily {
  const tablesPerDatabase = new Map<string, number>();
  for (const table of catalog.tables)
    tablesPerDatabase.set(table.database, (tablesPerDatabase.get(table.database) ?? 0) + 1);
  let tablePages = 0;
  for (const database of catalog.databases)
    tablePages += pages(tablesPerDatabase.get(database) ?? 0, pageSizes.GetTables);
  let partitionPages = 0;
  let partitionedTables = 0;
  for (const table of catalog.tables)
    if (table.partitionKeys.length > 0) {
      partitionedTables += 1;
      partitionPages += pages(table.partitions, pageSizes.GetPartitions);
    }
  const databaseSearches = catalog.tags.reduce(
    (calls, tag) =>
      calls +
      Math.ceil(tag.values.length / pageSizes.SearchConditionValues) *
        pages(catalog.databases.length, pageSizes.SearchByLFTags),
    0,
  );
  return {
    "glue-catalog-reads": pages(catalog.databases.length, pageSizes.GetDatabases) + tablePages,
    "glue-partition-reads": partitionPages,
    "glue-partition-indexes": partitionedTables,
    "lf-permissions": pages(listedGrants(catalog), pageSizes.ListPermissions),
    "lf-tags":
      pages(catalog.tags.length, pageSizes.ListLFTags) +
      Math.min(catalog.databases.length, databaseSearches) +
      catalog.tables.length,
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
    "lf-permissions": Math.ceil(listedGrants(catalog) / batchLimits.BatchGrantPermissions),
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
