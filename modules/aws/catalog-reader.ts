// Reads one catalog (account + region) as a snapshot: the records of modules/catalog/model.ts in
// canonical order, streamed. Memory stays bounded: databases and table *names* are held, table
// definitions are emitted database by database, partitions table by table (each table's
// partitions sorted, tables in key order). Reads run in parallel (p-limit) but are emitted in
// order; clients use the SDK's adaptive retry (modules/aws/clients.ts).
import {
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
} from "@aws-sdk/client-lakeformation";
import pLimit from "p-limit";
import {
  compareKeys,
  compareRecords,
  type Json,
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
  /** Databases to read ("all", or names); catalog-wide records (settings, tags, locations) are always read. */
  databases: "all" | readonly string[];
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** GetPartitions segments read in parallel per table, 1-10 (default 4). */
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
  const wanted = options.databases === "all" ? undefined : new Set(options.databases);
  const inDatabases = (record: SnapshotRecord) => {
    const scope = recordScope(record);
    return !wanted || scope === undefined || wanted.has(scope.database);
  };

  const settings = await lakeformation.send(new GetDataLakeSettingsCommand({}));
  yield dataLakeSettingsRecord(json(settings.DataLakeSettings ?? {}));

  const locations: SnapshotRecordOf<"registeredLocation">[] = [];
  for await (const page of paginateListResources(paging(lakeformation), {})) {
    for (const info of page.ResourceInfoList ?? []) locations.push(registeredLocationRecord(json(info)));
  }
  yield* byKey(locations);

  const databases: SnapshotRecordOf<"database">[] = [];
  for await (const page of paginateGetDatabases(paging(glue), {})) {
    for (const database of page.DatabaseList ?? []) {
      // Databases shared from other catalogs are read from their own catalog.
      if (database.CatalogId && database.CatalogId !== location.account) continue;
      if (wanted && !wanted.has(String(database.Name))) continue;
      databases.push(databaseRecord(json(database)));
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

  // A table's partitions are held until it is emitted: few tables in flight, each read by
  // parallel segments, keeps both memory and throughput in check.
  const tablesInFlight = Math.max(1, Math.floor(concurrency / segments));
  for await (const records of orderedMap(partitioned, tablesInFlight, (t) =>
    readPartitions(glue, t, segments, limit, options.pageSize),
  )) {
    yield* records;
  }
  for await (const records of orderedMap(partitioned, concurrency, (t) =>
    limit(() => readPartitionIndexes(glue, t, options.pageSize)),
  )) {
    yield* records;
  }

  const tags: SnapshotRecordOf<"lfTag">[] = [];
  for await (const page of paginateListLFTags(paging(lakeformation), {})) {
    for (const tag of page.LFTags ?? []) tags.push(lfTagRecord(json(tag)));
  }
  yield* byKey(tags);

  const filters: SnapshotRecordOf<"dataCellsFilter">[] = [];
  for await (const page of paginateListDataCellsFilter(paging(lakeformation), {})) {
    for (const filter of page.DataCellsFilters ?? []) {
      const record = dataCellsFilterRecord(json(filter));
      if (inDatabases(record)) filters.push(record);
    }
  }
  yield* byKey(filters);

  // No tag definitions means nothing can be assigned: skip one call per database and table.
  if (tags.length > 0) {
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
    const readTags = (r: { database: string; table?: string }) =>
      limit(() => readAssignedTags(lakeformation, r));
    for await (const records of orderedMap(resources, concurrency, readTags)) yield* records;
  }

  const permissions = new Map<string, SnapshotRecordOf<"permission">>();
  for await (const page of paginateListPermissions(paging(lakeformation), {})) {
    for (const row of page.PrincipalResourcePermissions ?? []) {
      const record = permissionRecord(json(row), location.account);
      if (!inDatabases(record)) continue;
      const existing = permissions.get(record.key);
      if (existing) existing.value = mergePermissions(existing.value, record.value);
      else permissions.set(record.key, record);
    }
  }
  yield* [...permissions.values()].sort(compareRecords);
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

async function readPartitions(
  glue: GlueClient,
  { database, table }: TableRef,
  segments: number,
  limit: ReturnType<typeof pLimit>,
  pageSize: number | undefined,
): Promise<SnapshotRecordOf<"partition">[]> {
  const readSegment = async (segment: number) => {
    const records: SnapshotRecordOf<"partition">[] = [];
    const input = {
      DatabaseName: database,
      TableName: table,
      ...(segments > 1 ? { Segment: { SegmentNumber: segment, TotalSegments: segments } } : {}),
    };
    for await (const page of paginateGetPartitions(pagingOf(glue, pageSize), input)) {
      for (const partition of page.Partitions ?? [])
        records.push(partitionRecord(database, table, json(partition)));
    }
    return records;
  };
  const parts = await Promise.all(Array.from({ length: segments }, (_, i) => limit(() => readSegment(i))));
  return byKey(parts.flat());
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
