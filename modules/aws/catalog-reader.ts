// Reads one catalog (account + region) as a snapshot: the records of modules/catalog/model.ts in
// canonical order, streamed. Memory: databases and table *names* are held, table definitions are
// emitted database by database, partitions table by table. A table's partitions are read with
// one unsegmented page first (most tables fit: one call, the minimum); only a table with more is
// read in parallel GetPartitions segments. Segments come back unordered, so one table's
// partitions are sorted before they are emitted: readCatalogSnapshot holds one table's partition
// records at a time (a few tables in flight), released as they are emitted. readTablePartitions (the batch handlers' per-large-table unit) holds only the keys:
// a first pass lists partition values, then partitions are fetched back in key order with
// BatchGetPartition (100 per call). Reads run in parallel (p-limit) but are emitted in order;
// clients use the SDK's adaptive retry (modules/aws/clients.ts).
import {
  BatchGetPartitionCommand,
  GetPartitionsCommand,
  type GlueClient,
  paginateGetDatabases,
  paginateGetPartitionIndexes,
  paginateGetPartitions,
  paginateGetTables,
} from "@aws-sdk/client-glue";
import {
  GetDataLakeSettingsCommand,
  GetResourceLFTagsCommand,
  type LakeFormationClient,
  paginateListDataCellsFilter,
  paginateListLFTags,
  paginateListPermissions,
  paginateListResources,
  paginateSearchDatabasesByLFTags,
} from "@aws-sdk/client-lakeformation";
import pLimit from "p-limit";
import {
  compareKeys,
  compareRecords,
  type Json,
  recordKeys,
  recordScope,
  type SnapshotRecord,
  type SnapshotRecordOf,
} from "../catalog/model.ts";
import {
  databaseRecord,
  dataCellsFilterRecord,
  dataLakeSettingsRecord,
  lfTagRecord,
  mergePermissions,
  partitionIndexRecord,
  partitionRecord,
  permissionRecord,
  registeredLocationRecord,
  tableRecord,
  tagAssignmentRecords,
} from "../catalog/normalise.ts";
import type { AwsClients, AwsLocation } from "./clients.ts";

export interface ReadSnapshotOptions {
  /** Databases to read ("all", or names); with scope "all", catalog-wide records are always read. */
  databases: "all" | readonly string[];
  /**
   * "all" (default): catalog-wide records and the databases' objects, read with catalog-wide
   * listings (one ListPermissions, one ListDataCellsFilter). "catalog": only the catalog-wide
   * records (settings, locations, LF tags, grants on catalog/locations/tags). "databases": only
   * the databases' objects, read resource by resource (ListPermissions and ListDataCellsFilter
   * filtered by database/table), never a catalog-wide listing: a batch work unit's read.
   */
  scope?: "all" | "catalog" | "databases";
  /** Which tables' partitions are read (default all); false reads none. Partition indexes are always read. */
  partitions?: boolean | ((database: string, table: string) => boolean);
  /**
   * Whether LF tag assignments are read (per database and table; see tagAssignmentReads). Default:
   * when the catalog defines LF tags (scope "all"), always (scope "databases", which does not list them).
   */
  assignedTags?: boolean;
  /**
   * How databases' LF tag assignments are read (scope "all"): "auto" (default) takes the cheaper of
   * one GetResourceLFTags per database and one SearchDatabasesByLFTags per tag key, counted from
   * the databases and tag definitions already read; both give the same records. Tables are always
   * read one GetResourceLFTags each (see databaseTagReads).
   */
  tagAssignmentReads?: "auto" | "per-resource" | "search";
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /**
   * GetPartitions segments read in parallel per large table, 1-10 (default 4). A table is large
   * when its first page (unsegmented) does not hold all its partitions.
   */
  partitionSegments?: number;
  /** MaxResults per page (default: each API's own); small pages make paging visible in tests. */
  pageSize?: number;
}

interface TableRef {
  database: string;
  table: string;
  partitioned: boolean;
}

/** Maps items with at most `window` in flight, yielding results in item order. */
async function* orderedMap<T, R>(
  items: readonly T[],
  window: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const inFlight: Promise<R>[] = [];
  let next = 0;
  while (next < items.length || inFlight.length > 0) {
    while (inFlight.length < window && next < items.length) {
      const promise = fn(items[next++]!);
      promise.catch(() => undefined); // awaited below; avoids an unhandled rejection meanwhile
      inFlight.push(promise);
    }
    yield await inFlight.shift()!;
  }
}

function pagingOf<C>(client: C, pageSize: number | undefined): { client: C; pageSize?: number } {
  return pageSize ? { client, pageSize } : { client };
}

/** Lake Formation listings' largest page (PageSize 1..1000 in the LF API), unless a test sets one. */
const LF_LIST_PAGE = 1000;
const largestPages = <C>(client: C, pageSize: number | undefined) => ({
  client,
  pageSize: pageSize ?? LF_LIST_PAGE,
});

/** SDK output shapes are read as plain JSON by the pure normalisers. */
const json = (value: object): Json => value as unknown as Json;

const byKey = <R extends { key: string }>(records: R[]): R[] =>
  records.sort((a, b) => compareKeys(a.key, b.key));

export async function* readCatalogSnapshot(
  clients: AwsClients,
  location: AwsLocation & { account: string },
  options: ReadSnapshotOptions,
): AsyncGenerator<SnapshotRecord> {
  const glue = clients.get("glue", location);
  const lakeformation = clients.get("lakeformation", location);
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const segments = Math.min(10, Math.max(1, options.partitionSegments ?? 4));
  const limit = pLimit(concurrency);
  const paging = <C>(client: C) => pagingOf(client, options.pageSize);
  const scope = options.scope ?? "all";
  const catalogWide = scope !== "databases";
  const databaseObjects = scope !== "catalog";
  const wanted = options.databases === "all" ? undefined : new Set(options.databases);
  const keep = (record: SnapshotRecord) => {
    const where = recordScope(record);
    if (where === undefined) return catalogWide;
    return databaseObjects && (!wanted || wanted.has(where.database));
  };
  const partitionsOf =
    typeof options.partitions === "function" ? options.partitions : () => options.partitions !== false;

  if (catalogWide) {
    const settings = await lakeformation.send(new GetDataLakeSettingsCommand({}));
    yield dataLakeSettingsRecord(json(settings.DataLakeSettings ?? {}));

    const locations: SnapshotRecordOf<"registeredLocation">[] = [];
    for await (const page of paginateListResources(paging(lakeformation), {})) {
      for (const info of page.ResourceInfoList ?? []) locations.push(registeredLocationRecord(json(info)));
    }
    yield* byKey(locations);
  }

  const databases: SnapshotRecordOf<"database">[] = [];
  if (databaseObjects) {
    for await (const page of paginateGetDatabases(paging(glue), {})) {
      for (const database of page.DatabaseList ?? []) {
        // Databases shared from other catalogs are read from their own catalog.
        if (database.CatalogId && database.CatalogId !== location.account) continue;
        if (wanted && !wanted.has(String(database.Name))) continue;
        databases.push(databaseRecord(json(database)));
      }
    }
  }
  byKey(databases);
  yield* databases;
  const databaseNames = databases.map((d) => String(d.value.Name));

  const tables: TableRef[] = [];
  for await (const records of orderedMap(databaseNames, concurrency, (db) =>
    limit(() => readTables(glue, db, options.pageSize)),
  )) {
    for (const record of records) {
      const input = record.value.TableInput;
      tables.push({
        database: record.value.DatabaseName,
        table: String(input.Name),
        partitioned: Array.isArray(input.PartitionKeys) && input.TargetTable === undefined,
      });
    }
    yield* records;
  }
  const partitioned = tables.filter((t) => t.partitioned);

  // A table's partitions are held until it is emitted: few tables in flight keeps memory in
  // check. Most tables are one call (a large one is read by parallel segments), so as many
  // tables as requests are in flight.
  const tablesInFlight = concurrency;
  for await (const held of orderedMap(
    partitioned.filter((t) => partitionsOf(t.database, t.table)),
    tablesInFlight,
    (t) => readHeldPartitions(glue, t, segments, limit, options.pageSize),
  )) {
    yield* emitHeld(held);
  }
  for await (const records of orderedMap(partitioned, concurrency, (t) =>
    limit(() => readPartitionIndexes(glue, t, options.pageSize)),
  )) {
    yield* records;
  }

  const tags: SnapshotRecordOf<"lfTag">[] = [];
  if (catalogWide) {
    for await (const page of paginateListLFTags(largestPages(lakeformation, options.pageSize), {})) {
      for (const tag of page.LFTags ?? []) tags.push(lfTagRecord(json(tag)));
    }
    yield* byKey(tags);
  }

  const filterNames: { DatabaseName: string; TableName: string; Name: string }[] = [];
  if (databaseObjects) {
    if (scope === "all") {
      const filters: SnapshotRecordOf<"dataCellsFilter">[] = [];
      for await (const page of paginateListDataCellsFilter(paging(lakeformation), {})) {
        for (const filter of page.DataCellsFilters ?? []) {
          const record = dataCellsFilterRecord(json(filter));
          if (keep(record)) filters.push(record);
        }
      }
      yield* byKey(filters);
    } else {
      for await (const records of orderedMap(tables, concurrency, (t) =>
        limit(() => readDataCellsFilters(lakeformation, t, options.pageSize)),
      )) {
        for (const { value } of records) {
          filterNames.push({
            DatabaseName: String(value.DatabaseName),
            TableName: String(value.TableName),
            Name: String(value.Name),
          });
        }
        yield* records;
      }
    }

    // No tag definitions means nothing can be assigned: skip one call per database and table.
    const assignedTags = options.assignedTags ?? (scope === "all" ? tags.length > 0 : true);
    if (assignedTags) {
      const tagsOfDatabases =
        catalogWide && databaseTagReads(options.tagAssignmentReads, tags, databaseNames.length) === "search"
          ? await searchDatabaseTags(lakeformation, tags, new Set(databaseNames), limit)
          : undefined;
      const readTags = (r: { database: string; table?: string }) =>
        r.table === undefined && tagsOfDatabases
          ? Promise.resolve(
              tagAssignmentRecords(r.database, undefined, {
                LFTagOnDatabase: tagsOfDatabases.get(r.database) ?? [],
              }),
            )
          : limit(() => readAssignedTags(lakeformation, r));
      for await (const records of orderedMap(resourcesOf(databaseNames, tables), concurrency, readTags))
        yield* records;
    }
  }

  const permissions = new Map<string, SnapshotRecordOf<"permission">>();
  const addPermission = (row: object) => {
    const record = permissionRecord(json(row), location.account);
    if (!keep(record)) return;
    const existing = permissions.get(record.key);
    if (existing) existing.value = mergePermissions(existing.value, record.value);
    else permissions.set(record.key, record);
  };
  if (catalogWide) {
    // Pages of 1000 (ListPermissions' largest, LF API_ListPermissions.html PageSize 1..1000): the
    // default page size is not documented (local AWS's is 100, a call per 100 grants).
    for await (const page of paginateListPermissions(largestPages(lakeformation, options.pageSize), {})) {
      for (const row of page.PrincipalResourcePermissions ?? []) addPermission(row);
    }
  } else {
    // Resource by resource: the database, its table wildcard, each table (with its column
    // grants) and each data cells filter. Grants per database are few; they are sorted here.
    const resources: object[] = [];
    for (const database of databaseNames) {
      resources.push({ Database: { Name: database } });
      resources.push({ Table: { DatabaseName: database, TableWildcard: {} } });
    }
    for (const t of tables) resources.push({ Table: { DatabaseName: t.database, Name: t.table } });
    for (const filter of filterNames) resources.push({ DataCellsFilter: filter });
    for await (const rows of orderedMap(resources, concurrency, (Resource) =>
      limit(() => listPermissionsOn(lakeformation, Resource, options.pageSize)),
    )) {
      for (const row of rows) addPermission(row);
    }
  }
  yield* [...permissions.values()].sort(compareRecords);
}

/** Databases then each database's tables, in key order: the resources LF tags are read for. */
function resourcesOf(databaseNames: readonly string[], tables: readonly TableRef[]) {
  const tablesByDatabase = new Map<string, TableRef[]>();
  for (const t of tables) {
    const list = tablesByDatabase.get(t.database);
    if (list) list.push(t);
    else tablesByDatabase.set(t.database, [t]);
  }
  const resources: { database: string; table?: string }[] = [];
  for (const database of databaseNames) {
    resources.push({ database });
    for (const t of tablesByDatabase.get(database) ?? []) resources.push(t);
  }
  return resources;
}

async function listPermissionsOn(lakeformation: LakeFormationClient, Resource: object, pageSize?: number) {
  const rows: object[] = [];
  for await (const page of paginateListPermissions(largestPages(lakeformation, pageSize), { Resource })) {
    rows.push(...(page.PrincipalResourcePermissions ?? []));
  }
  return rows;
}

async function readDataCellsFilters(
  lakeformation: LakeFormationClient,
  { database, table }: TableRef,
  pageSize: number | undefined,
) {
  const records: SnapshotRecordOf<"dataCellsFilter">[] = [];
  for await (const page of paginateListDataCellsFilter(pagingOf(lakeformation, pageSize), {
    Table: { DatabaseName: database, Name: table },
  })) {
    for (const filter of page.DataCellsFilters ?? []) records.push(dataCellsFilterRecord(json(filter)));
  }
  return byKey(records);
}

/**
 * One table's partitions in canonical order without holding them: the batch handlers'
 * per-large-table unit. Pass 1 lists the partition values with parallel GetPartitions segments
 * (no column schemas) and sorts the keys; pass 2 fetches the partitions back in key order,
 * BatchGetPartition 100 at a time, `concurrency` calls ahead. Memory: one key and values tuple
 * per partition (tens of bytes, vs kilobytes for a partition), plus the calls in flight. A
 * partition deleted between the passes is skipped; one added is not read (it belongs to the next run).
 */
export async function* readTablePartitions(
  clients: AwsClients,
  location: AwsLocation & { account: string },
  { database, table }: { database: string; table: string },
  options: Pick<ReadSnapshotOptions, "concurrency" | "partitionSegments" | "pageSize"> = {},
): AsyncGenerator<SnapshotRecordOf<"partition">> {
  const glue = clients.get("glue", location);
  const segments = Math.min(10, Math.max(1, options.partitionSegments ?? 4));
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const limit = pLimit(concurrency);
  const keys: { key: string; values: string[] }[] = [];
  const listSegment = async (segment: number) => {
    const input = {
      DatabaseName: database,
      TableName: table,
      ExcludeColumnSchema: true,
      ...(segments > 1 ? { Segment: { SegmentNumber: segment, TotalSegments: segments } } : {}),
    };
    for await (const page of paginateGetPartitions(pagingOf(glue, options.pageSize), input)) {
      for (const partition of page.Partitions ?? []) {
        const values = (partition.Values ?? []).map(String);
        keys.push({ key: recordKeys.partition(database, table, values), values });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: segments }, (_, i) => limit(() => listSegment(i))));
  } catch (error) {
    // A table that does not exist (dropped since the run was planned, or a target the filters
    // keep it out of) has no partitions.
    if ((error as { name?: string }).name === "EntityNotFoundException") return;
    throw error;
  }
  keys.sort((a, b) => compareKeys(a.key, b.key));

  const chunks: number[] = [];
  for (let i = 0; i < keys.length; i += batchGetLimit) chunks.push(i);
  const fetchChunk = async (start: number) => {
    const wanted = keys.slice(start, start + batchGetLimit);
    const found = new Map<string, SnapshotRecordOf<"partition">>();
    let pending = wanted.map((k) => ({ Values: k.values }));
    for (let round = 0; pending.length > 0; round++) {
      if (round >= 10)
        throw new Error(`BatchGetPartition ${database}.${table}: keys still unprocessed after 10 rounds`);
      const answer = await glue.send(
        new BatchGetPartitionCommand({ DatabaseName: database, TableName: table, PartitionsToGet: pending }),
      );
      for (const partition of answer.Partitions ?? []) {
        const record = partitionRecord(database, table, json(partition));
        found.set(record.key, record);
      }
      pending = (answer.UnprocessedKeys ?? []).map((k) => ({ Values: (k.Values ?? []).map(String) }));
    }
    for (let i = start; i < start + wanted.length; i++) (keys as unknown[])[i] = undefined; // released
    return wanted
      .map((k) => found.get(k.key))
      .filter((r): r is SnapshotRecordOf<"partition"> => r !== undefined);
  };
  for await (const records of orderedMap(chunks, concurrency, (start) => limit(() => fetchChunk(start)))) {
    yield* records;
  }
}

const batchGetLimit = 100;

/**
 * Whether a table has more than `threshold` partitions: pages GetPartitions without column
 * schemas and stops as soon as the count passes the threshold (at most threshold/1000 + 1 calls).
 */
export async function hasMorePartitionsThan(
  glue: GlueClient,
  table: { database: string; table: string },
  threshold: number,
): Promise<boolean> {
  let count = 0;
  for await (const page of paginateGetPartitions(
    { client: glue },
    { DatabaseName: table.database, TableName: table.table, ExcludeColumnSchema: true },
  )) {
    count += page.Partitions?.length ?? 0;
    if (count > threshold) return true;
  }
  return false;
}

async function readTables(
  glue: GlueClient,
  database: string,
  pageSize: number | undefined,
): Promise<SnapshotRecordOf<"table">[]> {
  const records: SnapshotRecordOf<"table">[] = [];
  for await (const page of paginateGetTables(pagingOf(glue, pageSize), { DatabaseName: database })) {
    for (const table of page.TableList ?? []) records.push(tableRecord(database, json(table)));
  }
  return byKey(records);
}

/** A table's partition records sorted by key, released one by one as they are emitted. */
type HeldPartitions = SnapshotRecordOf<"partition">[];

async function readHeldPartitions(
  glue: GlueClient,
  { database, table }: TableRef,
  segments: number,
  limit: ReturnType<typeof pLimit>,
  pageSize: number | undefined,
): Promise<HeldPartitions> {
  const held: HeldPartitions = [];
  const readSegment = async (segment: number) => {
    const input = {
      DatabaseName: database,
      TableName: table,
      ...(segments > 1 ? { Segment: { SegmentNumber: segment, TotalSegments: segments } } : {}),
    };
    for await (const page of paginateGetPartitions(pagingOf(glue, pageSize), input)) {
      for (const partition of page.Partitions ?? [])
        held.push(partitionRecord(database, table, json(partition)));
    }
  };
  // The cheap signal: one full page, unsegmented. Most tables fit in it (one call, the minimum);
  // only a table with more is read again in parallel segments (one call more than the minimum).
  const first = await limit(() =>
    glue.send(
      new GetPartitionsCommand({
        DatabaseName: database,
        TableName: table,
        MaxResults: pageSize ?? GET_PARTITIONS_PAGE,
      }),
    ),
  );
  if (first.NextToken === undefined || segments === 1) {
    for (const partition of first.Partitions ?? [])
      held.push(partitionRecord(database, table, json(partition)));
    if (first.NextToken !== undefined) {
      for await (const page of paginateGetPartitions(pagingOf(glue, pageSize), {
        DatabaseName: database,
        TableName: table,
        MaxResults: pageSize ?? GET_PARTITIONS_PAGE,
        NextToken: first.NextToken,
      })) {
        for (const partition of page.Partitions ?? [])
          held.push(partitionRecord(database, table, json(partition)));
      }
    }
    return byKey(held);
  }
  await Promise.all(Array.from({ length: segments }, (_, i) => limit(() => readSegment(i))));
  return byKey(held);
}

/** GetPartitions' largest page (MaxResults 1..1000). */
const GET_PARTITIONS_PAGE = 1000;

function* emitHeld(held: HeldPartitions): Generator<SnapshotRecordOf<"partition">> {
  for (let i = 0; i < held.length; i++) {
    const record = held[i]!;
    (held as unknown[])[i] = undefined;
    yield record;
  }
}

async function readPartitionIndexes(
  glue: GlueClient,
  { database, table }: TableRef,
  pageSize: number | undefined,
) {
  const records: SnapshotRecordOf<"partitionIndex">[] = [];
  for await (const page of paginateGetPartitionIndexes(pagingOf(glue, pageSize), {
    DatabaseName: database,
    TableName: table,
  })) {
    for (const descriptor of page.PartitionIndexDescriptorList ?? []) {
      records.push(partitionIndexRecord(database, table, json(descriptor)));
    }
  }
  return byKey(records);
}

/**
 * Whether databases' tag assignments are read by search. A search page lists every database that
 * carries one of a key's values with all its tags (LF API_SearchDatabasesByLFTags.html); databases
 * inherit nothing, so what it shows is what is assigned. One search per key (50 values per
 * condition at most, LF API_LFTag.html), a page per 100 databases (SearchPageSize 1..100), vs one
 * GetResourceLFTags per database. Tables stay per resource: a search shows the tags a table and its
 * columns carry, inherited ones included (the AWS CLI reference example for
 * search-tables-by-lf-tags), so it cannot tell a tag assigned to a table from the same tag
 * inherited from its database; GetResourceLFTags with ShowAssignedLFTags can.
 */
export function databaseTagReads(
  mode: ReadSnapshotOptions["tagAssignmentReads"],
  tags: readonly SnapshotRecordOf<"lfTag">[],
  databases: number,
): "search" | "per-resource" {
  if (mode === "search" || mode === "per-resource") return mode;
  return databaseSearchCalls(tags, databases) < databases ? "search" : "per-resource";
}

/** SearchDatabasesByLFTags calls to read every database's tags: per key, per 50 values, per 100 databases. */
export function databaseSearchCalls(
  tags: readonly { value: { TagValues: readonly string[] } }[],
  databases: number,
) {
  const pages = Math.max(1, Math.ceil(databases / SEARCH_PAGE));
  return tags.reduce((calls, t) => calls + Math.ceil(t.value.TagValues.length / CONDITION_VALUES) * pages, 0);
}

const SEARCH_PAGE = 100;
const CONDITION_VALUES = 50;

/** Each wanted database's tags, from one search per tag key (and per 50 of its values). */
async function searchDatabaseTags(
  lakeformation: LakeFormationClient,
  tags: readonly SnapshotRecordOf<"lfTag">[],
  wanted: ReadonlySet<string>,
  limit: ReturnType<typeof pLimit>,
): Promise<Map<string, Json[]>> {
  const found = new Map<string, Json[]>();
  const conditions = tags.flatMap(({ value }) => {
    const chunks: { TagKey: string; TagValues: string[] }[] = [];
    for (let i = 0; i < value.TagValues.length; i += CONDITION_VALUES)
      chunks.push({ TagKey: value.TagKey, TagValues: value.TagValues.slice(i, i + CONDITION_VALUES) });
    return chunks;
  });
  const search = async (condition: { TagKey: string; TagValues: string[] }) => {
    for await (const page of paginateSearchDatabasesByLFTags(
      { client: lakeformation, pageSize: SEARCH_PAGE },
      { Expression: [condition] },
    )) {
      for (const tagged of page.DatabaseList ?? []) {
        const name = String(tagged.Database?.Name);
        // A database of another catalog, or one the read leaves out, is not this snapshot's.
        if (wanted.has(name)) found.set(name, json(tagged.LFTags ?? []) as unknown as Json[]);
      }
    }
  };
  await Promise.all(conditions.map((condition) => limit(() => search(condition))));
  return found;
}

async function readAssignedTags(lakeformation: LakeFormationClient, r: { database: string; table?: string }) {
  const Resource =
    r.table === undefined
      ? { Database: { Name: r.database } }
      : { Table: { DatabaseName: r.database, Name: r.table } };
  const answer = await lakeformation.send(
    new GetResourceLFTagsCommand({ Resource, ShowAssignedLFTags: true }),
  );
  return tagAssignmentRecords(r.database, r.table, answer as Parameters<typeof tagAssignmentRecords>[2]);
}
