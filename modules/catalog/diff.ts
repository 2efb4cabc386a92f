// Snapshot vs snapshot. The source is mapped into target terms first (mapSnapshot: the
// MappingRules of modules/mapping, the only place remapping happens) and filtered; then both
// canonically ordered streams are merged like sorted files, so memory stays bounded however
// many partitions there are. Unchanged records produce nothing (no table-version churn).

import { mapDatabaseInput, mapPartitionInput, mapTableInput } from "../mapping/catalog-inputs.ts";
import { withIcebergPointers } from "../mapping/iceberg-tables.ts";
import { mapLfResource, mapRegisteredLocation } from "../mapping/lf-resource.ts";
import {
  identityRules,
  isIncluded,
  type MappingRules,
  mapCatalogId,
  mapPrincipal,
} from "../mapping/mapping.ts";
import {
  adminIds,
  adminList,
  mapDataLakeSettings,
  principalListFields,
  protectedAmong,
} from "../mapping/settings.ts";
import { stableJson } from "../operations/operation.ts";
import {
  compareRecords,
  type Json,
  type PermissionValue,
  type RecordStream,
  recordKeys,
  recordScope,
  type SnapshotKind,
  type SnapshotRecord,
  type SnapshotValues,
  type TagAssignmentValue,
} from "./model.ts";
import {
  databaseRecord,
  dataLakeSettingsRecord,
  mergePermissions,
  normaliseResource,
  permissionRecord,
} from "./normalise.ts";

export type Change = "create" | "update" | "delete";

export type Difference = {
  [K in SnapshotKind]: {
    kind: K;
    key: string;
    change: Change;
    /** The mapped source value (create, update). */
    source?: SnapshotValues[K];
    /** The target's current value (update, delete). */
    target?: SnapshotValues[K];
    /** What the target should hold (create, update): the source, plus kept target-only parts. */
    desired?: SnapshotValues[K];
    /**
     * Target-only objects, or target-only parts of an object (permissions, tag values, admins),
     * that stay because deleteSync is off or they are protected admins. A delete with kept=true
     * is reported, never applied.
     */
    kept: boolean;
    /** Data lake settings: target admins that stay, deleteSync or not, because they are protected. */
    protectedAdmins?: readonly string[];
  };
}[SnapshotKind];

export interface DiffScope {
  /** Only these kinds are compared (default: all). */
  kinds?: readonly SnapshotKind[];
  /** Include/exclude globs applied to the target side (mapSnapshot already filtered the source). */
  filters?: MappingRules["filters"];
}

export interface DiffOptions {
  deleteSync: boolean;
  scope?: DiffScope;
  /** MappingRules.protectedAdmins: target data lake admins no diff removes. */
  protectedAdmins?: readonly string[];
}

/** An LF resource in target terms and canonical form: an id naming the target's own catalog is dropped, as the reader does. */
const mapResource = (resource: Json, rules: MappingRules): Json =>
  normaliseResource(mapLfResource(resource, rules), rules.targetAccount);

/** Whether a record is inside the rules' include/exclude filters (catalog-wide records always are). */
export function isRecordIncluded(record: SnapshotRecord, rules: MappingRules): boolean {
  const scope = recordScope(record);
  return scope === undefined || isIncluded(rules, scope.database, scope.table);
}

/**
 * One source record in target terms (account/catalog ids, regions, buckets in every location
 * field, principals), or undefined when the filters exclude it. Keys of permissions and
 * registered locations can change, so a mapped stream must be re-sorted (mapSnapshot does).
 */
export function mapSnapshotRecord(record: SnapshotRecord, rules: MappingRules): SnapshotRecord | undefined {
  if (!isRecordIncluded(record, rules)) return undefined;
  switch (record.kind) {
    case "database":
      return { ...record, value: databaseRecord(mapDatabaseInput(record.value, rules)).value };
    case "table":
      return {
        ...record,
        value: { ...record.value, TableInput: mapTableInput(record.value.TableInput, rules) },
      };
    case "partition":
      return {
        ...record,
        value: {
          ...record.value,
          PartitionInput: mapPartitionInput(
            record.value.PartitionInput,
            rules,
          ) as SnapshotValues["partition"]["PartitionInput"],
        },
      };
    case "partitionIndex":
    case "lfTag":
      return record;
    case "dataCellsFilter": {
      const value = { ...record.value };
      if (typeof value.TableCatalogId === "string")
        value.TableCatalogId = mapCatalogId(value.TableCatalogId, rules);
      return { ...record, value };
    }
    case "tagAssignment":
      return { ...record, value: { ...record.value, Resource: mapResource(record.value.Resource, rules) } };
    case "permission": {
      const principal = mapPrincipal(record.value.Principal.DataLakePrincipalIdentifier, rules);
      return permissionRecord(
        {
          ...record.value,
          Principal: { DataLakePrincipalIdentifier: principal },
          Resource: mapResource(record.value.Resource, rules),
        },
        rules.targetAccount,
      );
    }
    case "registeredLocation": {
      const value = mapRegisteredLocation(record.value, rules);
      return {
        kind: "registeredLocation",
        key: recordKeys.registeredLocation(String(value.ResourceArn)),
        value,
      };
    }
    case "dataLakeSettings":
      return { ...record, value: dataLakeSettingsRecord(mapDataLakeSettings(record.value, rules)).value };
  }
}

// Kinds whose keys contain mapped identities (principals, ARNs): buffered and re-sorted per
// kind. They are the small kinds; databases, tables and partitions keep their keys and stream.
const rekeyedKinds: ReadonlySet<SnapshotKind> = new Set(["permission", "registeredLocation"]);

function sortAndMerge(records: SnapshotRecord[]): SnapshotRecord[] {
  records.sort(compareRecords);
  const out: SnapshotRecord[] = [];
  for (const record of records) {
    const last = out[out.length - 1];
    if (last && last.kind === record.kind && last.key === record.key) {
      // Two source principals mapped onto one target principal: one grant holds both.
      if (last.kind === "permission" && record.kind === "permission")
        last.value = mergePermissions(last.value, record.value);
      continue;
    }
    out.push(record);
  }
  return out;
}

/** mapSnapshotRecord over a canonically ordered stream, keeping it canonically ordered. */
export async function* mapSnapshot(
  records: RecordStream,
  rules: MappingRules,
): AsyncGenerator<SnapshotRecord> {
  let buffer: SnapshotRecord[] = [];
  for await (const record of records) {
    if (buffer.length > 0 && buffer[0]!.kind !== record.kind) {
      yield* sortAndMerge(buffer);
      buffer = [];
    }
    const mapped = mapSnapshotRecord(record, rules);
    if (!mapped) continue;
    if (rekeyedKinds.has(mapped.kind)) buffer.push(mapped);
    else yield mapped;
  }
  yield* sortAndMerge(buffer);
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();

function desiredTagAssignment(source: TagAssignmentValue, target: TagAssignmentValue): TagAssignmentValue {
  const byKey = new Map(target.LFTags.map((t) => [t.TagKey, t]));
  for (const tag of source.LFTags) byKey.set(tag.TagKey, tag);
  const LFTags = [...byKey.values()].sort((a, b) => (a.TagKey < b.TagKey ? -1 : a.TagKey > b.TagKey ? 1 : 0));
  return { ...source, LFTags };
}

function desiredPermission(source: PermissionValue, target: PermissionValue): PermissionValue {
  return {
    ...source,
    Permissions: union(source.Permissions, target.Permissions),
    PermissionsWithGrantOption: union(source.PermissionsWithGrantOption, target.PermissionsWithGrantOption),
  };
}

function desiredSettings(source: Json, target: Json): Json {
  const out: Json = { ...source };
  for (const field of principalListFields) {
    const merged = [
      ...((target[field] as Json[] | undefined) ?? []),
      ...((source[field] as Json[] | undefined) ?? []),
    ];
    if (merged.length > 0) out[field] = merged;
  }
  const owners = [
    ...((target.TrustedResourceOwners as string[] | undefined) ?? []),
    ...((source.TrustedResourceOwners as string[] | undefined) ?? []),
  ];
  if (owners.length > 0) out.TrustedResourceOwners = owners;
  return dataLakeSettingsRecord(out).value;
}

/** Target admins that are protected and that the source lacks: they stay whatever deleteSync says. */
function protectedTargetAdmins(source: Json, target: Json, protectedAdmins: readonly string[]): string[] {
  const sourceAdmins = adminIds(source);
  return protectedAmong(adminIds(target), { protectedAdmins }).filter((id) => !sourceAdmins.includes(id));
}

/**
 * The source record as the target should hold it whatever deleteSync says: settings with the
 * target's protected admins added, so they are neither drift nor removed.
 */
function withProtectedAdmins(
  source: SnapshotRecord,
  target: SnapshotRecord,
  options: DiffOptions,
): SnapshotRecord {
  if (source.kind !== "dataLakeSettings" || target.kind !== "dataLakeSettings") return source;
  const kept = protectedTargetAdmins(source.value, target.value, options.protectedAdmins ?? []);
  if (kept.length === 0) return source;
  const value = dataLakeSettingsRecord({
    ...source.value,
    DataLakeAdmins: adminList([...adminIds(source.value), ...kept]),
  }).value;
  return { ...source, value };
}

/**
 * What the target should hold when both sides have the record. Without deleteSync, target-only
 * parts of set-like values (tag values, assigned tags, permissions, admins) stay; protected
 * admins always stay.
 */
function desiredValue(
  source: SnapshotRecord,
  target: SnapshotRecord,
  options: DiffOptions,
): SnapshotRecord["value"] {
  // `source` already carries the target's protected admins (withProtectedAdmins).
  if (options.deleteSync) return source.value;
  if (source.kind === "lfTag" && target.kind === "lfTag") {
    return { ...source.value, TagValues: union(source.value.TagValues, target.value.TagValues) };
  }
  if (source.kind === "tagAssignment" && target.kind === "tagAssignment")
    return desiredTagAssignment(source.value, target.value);
  if (source.kind === "permission" && target.kind === "permission")
    return desiredPermission(source.value, target.value);
  if (source.kind === "dataLakeSettings" && target.kind === "dataLakeSettings")
    return desiredSettings(source.value, target.value);
  return source.value;
}

/** A target record as the mapped source is compared with it: rewritten Iceberg pointers read as what they stand for. */
function comparableTarget(target: SnapshotRecord): SnapshotRecord["value"] {
  if (target.kind !== "table") return target.value;
  return { ...target.value, TableInput: withIcebergPointers(target.value.TableInput) };
}

async function* ordered(records: RecordStream, side: string): AsyncGenerator<SnapshotRecord> {
  let previous: SnapshotRecord | undefined;
  for await (const record of records) {
    if (previous && compareRecords(previous, record) >= 0) {
      throw new Error(
        `${side} snapshot is not in canonical order: ${record.kind} ${record.key} after ${previous.kind} ${previous.key}`,
      );
    }
    previous = record;
    yield record;
  }
}

/**
 * Differences between a mapped source and a target snapshot, both in canonical order (the
 * merge checks it). Target-only records are deletes: applied only with deleteSync, otherwise
 * reported with kept=true so a plan shows them.
 */
export async function* diffSnapshots(
  source: RecordStream,
  target: RecordStream,
  options: DiffOptions,
): AsyncGenerator<Difference> {
  const kinds = options.scope?.kinds ? new Set(options.scope.kinds) : undefined;
  const filterRules = options.scope?.filters
    ? { ...identityRules("000000000000", "none"), filters: options.scope.filters }
    : undefined;
  const inScope = (r: SnapshotRecord) =>
    (!kinds || kinds.has(r.kind)) && (!filterRules || isRecordIncluded(r, filterRules));

  const sourceIt = ordered(source, "source")[Symbol.asyncIterator]();
  const targetIt = ordered(target, "target")[Symbol.asyncIterator]();
  const next = async (it: AsyncIterator<SnapshotRecord>) => {
    for (;;) {
      const step = await it.next();
      if (step.done) return undefined;
      if (inScope(step.value)) return step.value;
    }
  };

  let s = await next(sourceIt);
  let t = await next(targetIt);
  while (s || t) {
    const order = !s ? 1 : !t ? -1 : compareRecords(s, t);
    if (order < 0 && s) {
      yield {
        kind: s.kind,
        key: s.key,
        change: "create",
        source: s.value,
        desired: s.value,
        kept: false,
      } as Difference;
      s = await next(sourceIt);
    } else if (order > 0 && t) {
      yield {
        kind: t.kind,
        key: t.key,
        change: "delete",
        target: t.value,
        kept: !options.deleteSync,
      } as Difference;
      t = await next(targetIt);
    } else if (s && t) {
      const expected = withProtectedAdmins(s, t, options);
      const sourceJson = stableJson(expected.value);
      if (sourceJson !== stableJson(comparableTarget(t))) {
        const desired = desiredValue(expected, t, options);
        const kept = stableJson(desired) !== sourceJson;
        const protectedAdmins =
          s.kind === "dataLakeSettings"
            ? protectedTargetAdmins(s.value as Json, t.value as Json, options.protectedAdmins ?? [])
            : [];
        yield {
          kind: s.kind,
          key: s.key,
          change: "update",
          source: s.value,
          target: t.value,
          desired,
          kept,
          ...(protectedAdmins.length > 0 ? { protectedAdmins } : {}),
        } as Difference;
      }
      s = await next(sourceIt);
      t = await next(targetIt);
    }
  }
}

/** Drains a difference stream (small catalogs, tests, plans). */
export async function collect<T>(items: AsyncIterable<T> | Iterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
