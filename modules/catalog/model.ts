// The normalised snapshot of one catalog (account + region): a sequence of typed records in
// canonical order. Values are AWS SDK v3 *input* shapes (DatabaseInput, TableInput, …) so a
// record can be written back as is, and two snapshots (source mapped, target) compare record
// by record. Pure: no SDK import; the reader in modules/aws/ produces these.
import { resourceScope } from "../mapping/lf-resource.ts";
import { stableJson } from "../operations/operation.ts";

export type Json = Record<string, unknown>;

/**
 * Record kinds in dependency order: what must exist before what (settings and registered
 * locations before grants, databases before tables before partitions, LF tags before their
 * assignments, everything before permissions). Canonical order is (kind order, key).
 */
export const snapshotKinds = [
  "dataLakeSettings",
  "registeredLocation",
  "database",
  "table",
  "partition",
  "partitionIndex",
  "lfTag",
  "dataCellsFilter",
  "tagAssignment",
  "permission",
] as const;
export type SnapshotKind = (typeof snapshotKinds)[number];

const kindRank: Record<SnapshotKind, number> = Object.fromEntries(
  snapshotKinds.map((k, i) => [k, i]),
) as Record<SnapshotKind, number>;

/** Lake Formation grant of one principal on one resource (BatchGrantPermissions entry shape). */
export interface PermissionValue {
  Principal: { DataLakePrincipalIdentifier: string };
  Resource: Json;
  Permissions: string[];
  PermissionsWithGrantOption: string[];
  Condition?: Json;
}

/** LF tags assigned directly to one database, table or column (AddLFTagsToResource shape). */
export interface TagAssignmentValue {
  Resource: Json;
  LFTags: { TagKey: string; TagValues: string[] }[];
}

export interface LfTagValue {
  TagKey: string;
  TagValues: string[];
}

export interface PartitionIndexValue {
  DatabaseName: string;
  TableName: string;
  PartitionIndex: { IndexName: string; Keys: string[] };
}

export interface TableValue {
  DatabaseName: string;
  TableInput: Json;
}

export interface PartitionValue {
  DatabaseName: string;
  TableName: string;
  PartitionInput: Json & { Values: string[] };
}

export interface SnapshotValues {
  dataLakeSettings: Json; // DataLakeSettings (PutDataLakeSettings)
  registeredLocation: Json; // RegisterResource input
  database: Json; // DatabaseInput
  table: TableValue;
  partition: PartitionValue;
  partitionIndex: PartitionIndexValue;
  lfTag: LfTagValue;
  dataCellsFilter: Json; // DataCellsFilter (TableData of CreateDataCellsFilter)
  tagAssignment: TagAssignmentValue;
  permission: PermissionValue;
}

export type SnapshotRecordOf<K extends SnapshotKind> = { kind: K; key: string; value: SnapshotValues[K] };
export type SnapshotRecord = { [K in SnapshotKind]: SnapshotRecordOf<K> }[SnapshotKind];

export type RecordStream = AsyncIterable<SnapshotRecord> | Iterable<SnapshotRecord>;

// Keys are names joined with "/". "/" inside a name is escaped, and compareKeys ranks "/" below
// every other character, so key order equals the order of the name tuples: all tables of
// database "a" sort before those of "a-b", as the reader (database by database) emits them.
const keySeparator = "/";

function escapePart(part: string): string {
  return part.replaceAll("%", "%25").replaceAll("/", "%2F");
}

export function joinKey(...parts: readonly string[]): string {
  return parts.map(escapePart).join(keySeparator);
}

const slash = 0x2f;

/** Code-unit order with "/" ranked lowest (see joinKey). */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x === slash) return -1;
    if (y === slash) return 1;
    return x - y;
  }
  return a.length - b.length;
}

export function compareRecords(
  a: { kind: SnapshotKind; key: string },
  b: { kind: SnapshotKind; key: string },
): number {
  return kindRank[a.kind] - kindRank[b.kind] || compareKeys(a.key, b.key);
}

export function kindOrder(kind: SnapshotKind): number {
  return kindRank[kind];
}

export const recordKeys = {
  dataLakeSettings: () => "settings",
  registeredLocation: (resourceArn: string) => resourceArn,
  database: (name: string) => joinKey(name),
  table: (database: string, table: string) => joinKey(database, table),
  partition: (database: string, table: string, values: readonly string[]) =>
    joinKey(database, table, ...values),
  partitionIndex: (database: string, table: string, index: string) => joinKey(database, table, index),
  lfTag: (tagKey: string) => tagKey,
  dataCellsFilter: (database: string, table: string, name: string) => joinKey(database, table, name),
  /** Database, table or column: one, two or three parts, so a table sorts after its database. */
  tagAssignment: (database: string, table?: string, column?: string) =>
    joinKey(...[database, table, column].filter((p): p is string => p !== undefined)),
  permission: (principal: string, resource: Json) => `${principal}|${stableJson(resource)}`,
} as const;

/** The database and table a record belongs to, for include/exclude filters (undefined: catalog-wide). */
export function recordScope(record: SnapshotRecord): { database: string; table?: string } | undefined {
  switch (record.kind) {
    case "database":
      return { database: String(record.value.Name) };
    case "table":
      return { database: record.value.DatabaseName, table: String(record.value.TableInput.Name) };
    case "partition":
    case "partitionIndex":
      return { database: record.value.DatabaseName, table: record.value.TableName };
    case "dataCellsFilter":
      return { database: String(record.value.DatabaseName), table: String(record.value.TableName) };
    case "tagAssignment":
    case "permission":
      return resourceScope(record.value.Resource);
    default:
      return undefined;
  }
}
