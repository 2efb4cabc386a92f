// Read-API objects (GetDatabases, GetTables, GetPartitions, ListPermissions, …) -> snapshot
// records. Each value keeps only the fields the matching write input takes (an allowlist, so a
// new read-only field AWS adds later cannot break a write or cause a false difference), drops
// empty lists/maps (AWS and moto disagree on returning them) and sorts what has no meaning in
// its order (permission lists, tag values).
import { principalListFields, principalPermissionFields } from "../mapping/settings.ts";
import {
  compareRecords,
  type Json,
  type LfTagValue,
  type PermissionValue,
  recordKeys,
  type SnapshotRecordOf,
  type TagAssignmentValue,
} from "./model.ts";

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Drops undefined/null and empty lists/maps, recursively; `keep` names keys whose emptiness means something. */
export function prune(value: unknown, keep: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((v) => prune(v, keep)).filter((v) => v !== undefined);
  if (value instanceof Date) return value.toISOString();
  if (!isObject(value)) return value ?? undefined;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    const pruned = prune(v, keep);
    if (pruned === undefined) continue;
    const empty = Array.isArray(pruned)
      ? pruned.length === 0
      : isObject(pruned) && Object.keys(pruned).length === 0;
    if (empty && !keep.has(key)) continue;
    out[key] = pruned;
  }
  return out;
}

function pick(source: Json, fields: readonly string[]): Json {
  const out: Json = {};
  for (const field of fields) if (source[field] !== undefined) out[field] = source[field];
  return out;
}

const sorted = (values: unknown): string[] => [...new Set((values as string[] | undefined) ?? [])].sort();

// An empty CreateTableDefaultPermissions list means "no default grants", unlike a missing one.
const meaningfulEmpty = new Set(["CreateTableDefaultPermissions", "CreateDatabaseDefaultPermissions"]);

const databaseInputFields = [
  "Name",
  "Description",
  "LocationUri",
  "Parameters",
  "CreateTableDefaultPermissions",
  "TargetDatabase",
  "FederatedDatabase",
] as const;

export function databaseRecord(database: Json): SnapshotRecordOf<"database"> {
  const value = prune(pick(database, databaseInputFields), meaningfulEmpty) as Json;
  if (isObject(value.TargetDatabase))
    value.TargetDatabase = pick(value.TargetDatabase, ["CatalogId", "DatabaseName", "Region"]);
  if (value.CreateTableDefaultPermissions !== undefined)
    value.CreateTableDefaultPermissions = sortDefaultPermissions(value.CreateTableDefaultPermissions);
  return { kind: "database", key: recordKeys.database(String(database.Name)), value };
}

// TableInput fields; LastAccessTime/LastAnalyzedTime are inputs too but change on every read.
const tableInputFields = [
  "Name",
  "Description",
  "Owner",
  "Retention",
  "StorageDescriptor",
  "PartitionKeys",
  "ViewOriginalText",
  "ViewExpandedText",
  "TableType",
  "Parameters",
  "TargetTable",
  "ViewDefinition",
] as const;

const viewRepresentationFields = [
  "Dialect",
  "DialectVersion",
  "ViewOriginalText",
  "ViewExpandedText",
  "ValidationConnection",
] as const;

function viewDefinitionInput(definition: unknown): unknown {
  if (!isObject(definition)) return definition;
  return {
    ...pick(definition, ["IsProtected", "Definer", "SubObjects"]),
    Representations: ((definition.Representations as Json[] | undefined) ?? []).map((r) =>
      pick(r, viewRepresentationFields),
    ),
  };
}

export function tableRecord(databaseName: string, table: Json): SnapshotRecordOf<"table"> {
  const input = pick(table, tableInputFields);
  if (input.ViewDefinition !== undefined) input.ViewDefinition = viewDefinitionInput(input.ViewDefinition);
  const TableInput = prune(input) as Json;
  return {
    kind: "table",
    key: recordKeys.table(databaseName, String(table.Name)),
    value: { DatabaseName: databaseName, TableInput },
  };
}

export function partitionRecord(
  databaseName: string,
  tableName: string,
  partition: Json,
): SnapshotRecordOf<"partition"> {
  const values = (partition.Values as string[] | undefined) ?? [];
  const PartitionInput = {
    ...(prune(pick(partition, ["StorageDescriptor", "Parameters"])) as Json),
    Values: [...values],
  };
  return {
    kind: "partition",
    key: recordKeys.partition(databaseName, tableName, values),
    value: { DatabaseName: databaseName, TableName: tableName, PartitionInput },
  };
}

/** From a GetPartitionIndexes descriptor ({IndexName, Keys:[{Name,Type}], IndexStatus}). */
export function partitionIndexRecord(
  databaseName: string,
  tableName: string,
  descriptor: Json,
): SnapshotRecordOf<"partitionIndex"> {
  const IndexName = String(descriptor.IndexName);
  const Keys = ((descriptor.Keys as Json[] | undefined) ?? []).map((k) => String(k.Name));
  return {
    kind: "partitionIndex",
    key: recordKeys.partitionIndex(databaseName, tableName, IndexName),
    value: { DatabaseName: databaseName, TableName: tableName, PartitionIndex: { IndexName, Keys } },
  };
}

export function lfTagRecord(tag: Json): SnapshotRecordOf<"lfTag"> {
  const value: LfTagValue = { TagKey: String(tag.TagKey), TagValues: sorted(tag.TagValues) };
  return { kind: "lfTag", key: recordKeys.lfTag(value.TagKey), value };
}

const dataCellsFilterFields = [
  "TableCatalogId",
  "DatabaseName",
  "TableName",
  "Name",
  "RowFilter",
  "ColumnNames",
  "ColumnWildcard",
] as const;

export function dataCellsFilterRecord(filter: Json): SnapshotRecordOf<"dataCellsFilter"> {
  const value = prune(
    pick(filter, dataCellsFilterFields),
    new Set(["AllRowsWildcard", "ColumnWildcard"]),
  ) as Json;
  if (Array.isArray(value.ColumnNames)) value.ColumnNames = sorted(value.ColumnNames);
  return {
    kind: "dataCellsFilter",
    key: recordKeys.dataCellsFilter(
      String(filter.DatabaseName),
      String(filter.TableName),
      String(filter.Name),
    ),
    value,
  };
}

const serviceLinkedRole =
  /:role\/aws-service-role\/lakeformation\.amazonaws\.com\/AWSServiceRoleForLakeFormationDataAccess$/;

/** From a ListResources ResourceInfo -> RegisterResource input. */
export function registeredLocationRecord(resource: Json): SnapshotRecordOf<"registeredLocation"> {
  const roleArn = typeof resource.RoleArn === "string" ? resource.RoleArn : undefined;
  const value = prune({
    ResourceArn: resource.ResourceArn,
    ...(roleArn === undefined || serviceLinkedRole.test(roleArn)
      ? { UseServiceLinkedRole: true }
      : { RoleArn: roleArn }),
    WithFederation: resource.WithFederation || undefined,
    HybridAccessEnabled: resource.HybridAccessEnabled || undefined,
    WithPrivilegedAccess: resource.WithPrivilegedAccess || undefined,
  }) as Json;
  return {
    kind: "registeredLocation",
    key: recordKeys.registeredLocation(String(resource.ResourceArn)),
    value,
  };
}

const principalOf = (p: unknown): string =>
  String((p as Json | undefined)?.DataLakePrincipalIdentifier ?? "");
const sortPrincipals = (list: unknown): Json[] | undefined =>
  Array.isArray(list)
    ? [
        ...new Map(
          list.map((p) => [principalOf(p), { DataLakePrincipalIdentifier: principalOf(p) }]),
        ).values(),
      ].sort((a, b) => (principalOf(a) < principalOf(b) ? -1 : principalOf(a) > principalOf(b) ? 1 : 0))
    : undefined;

function sortDefaultPermissions(list: unknown): Json[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return (list as Json[])
    .map((entry) => ({
      Principal: { DataLakePrincipalIdentifier: principalOf(entry.Principal) },
      Permissions: sorted(entry.Permissions),
    }))
    .sort((a, b) => (principalOf(a.Principal) < principalOf(b.Principal) ? -1 : 1));
}

const dataLakeSettingsFields = [
  "DataLakeAdmins",
  "ReadOnlyAdmins",
  "CreateDatabaseDefaultPermissions",
  "CreateTableDefaultPermissions",
  "Parameters",
  "TrustedResourceOwners",
  "AllowExternalDataFiltering",
  "ExternalDataFilteringAllowList",
  "AuthorizedSessionTagValueList",
  "AllowFullTableExternalDataAccess",
] as const;

export function dataLakeSettingsRecord(settings: Json): SnapshotRecordOf<"dataLakeSettings"> {
  const value = pick(settings, dataLakeSettingsFields);
  for (const field of principalListFields) {
    if (value[field] !== undefined) value[field] = sortPrincipals(value[field]);
  }
  for (const field of principalPermissionFields) {
    if (value[field] !== undefined) value[field] = sortDefaultPermissions(value[field]);
  }
  for (const field of ["TrustedResourceOwners", "AuthorizedSessionTagValueList"]) {
    if (value[field] !== undefined) value[field] = sorted(value[field]);
  }
  // Complete form: PutDataLakeSettings replaces the whole object, so a field the source does
  // not set means "empty"/"off" there (AWS reads it back so), not "whatever the target has".
  const complete = prune(value, new Set(settingsLists)) as Json;
  for (const field of settingsLists) complete[field] ??= [];
  for (const field of settingsFlags) complete[field] ??= false;
  return { kind: "dataLakeSettings", key: recordKeys.dataLakeSettings(), value: complete };
}

const settingsLists = [
  "DataLakeAdmins",
  "ReadOnlyAdmins",
  "CreateDatabaseDefaultPermissions",
  "CreateTableDefaultPermissions",
  "TrustedResourceOwners",
  "ExternalDataFilteringAllowList",
  "AuthorizedSessionTagValueList",
] as const;
const settingsFlags = ["AllowExternalDataFiltering", "AllowFullTableExternalDataAccess"] as const;

/**
 * An LF resource in canonical form: the owning catalog's id is dropped (the writer's own
 * catalog is the default; `Catalog: {}` names it), column and tag value lists are sorted. `catalogId` is the account
 * of the catalog being read.
 */
export function normaliseResource(resource: Json, catalogId: string): Json {
  const out: Json = {};
  for (const [type, raw] of Object.entries(resource)) {
    if (!isObject(raw)) continue;
    const body: Json = { ...raw };
    if (body.CatalogId === catalogId) delete body.CatalogId;
    if (type === "Catalog" && body.Id === catalogId) delete body.Id;
    if (body.TableCatalogId === catalogId && type !== "DataCellsFilter") delete body.TableCatalogId;
    if (Array.isArray(body.ColumnNames)) body.ColumnNames = sorted(body.ColumnNames);
    if (isObject(body.ColumnWildcard)) {
      const excluded = body.ColumnWildcard.ExcludedColumnNames;
      body.ColumnWildcard =
        Array.isArray(excluded) && excluded.length > 0 ? { ExcludedColumnNames: sorted(excluded) } : {};
    }
    if (Array.isArray(body.TagValues)) body.TagValues = sorted(body.TagValues);
    if (Array.isArray(body.Expression)) {
      body.Expression = (body.Expression as Json[])
        .map((e) => ({ TagKey: String(e.TagKey), TagValues: sorted(e.TagValues) }))
        .sort((a, b) => (a.TagKey < b.TagKey ? -1 : a.TagKey > b.TagKey ? 1 : 0));
    }
    out[type] = body;
  }
  return out;
}

/** A ListPermissions row (PrincipalResourcePermissions) -> record; LastUpdated & co. are dropped. */
export function permissionRecord(row: Json, catalogId: string): SnapshotRecordOf<"permission"> {
  const principal = principalOf(row.Principal);
  const Resource = normaliseResource((row.Resource as Json | undefined) ?? {}, catalogId);
  const withGrant = sorted(row.PermissionsWithGrantOption);
  const value: PermissionValue = {
    Principal: { DataLakePrincipalIdentifier: principal },
    Resource,
    // A grant option implies the permission itself.
    Permissions: sorted([...((row.Permissions as string[] | undefined) ?? []), ...withGrant]),
    PermissionsWithGrantOption: withGrant,
    ...(isObject(row.Condition) && Object.keys(row.Condition).length > 0 ? { Condition: row.Condition } : {}),
  };
  return { kind: "permission", key: recordKeys.permission(principal, Resource), value };
}

/** Several ListPermissions rows can name one principal+resource: one record holds their union. */
export function mergePermissions(a: PermissionValue, b: PermissionValue): PermissionValue {
  return {
    ...a,
    Permissions: sorted([...a.Permissions, ...b.Permissions]),
    PermissionsWithGrantOption: sorted([...a.PermissionsWithGrantOption, ...b.PermissionsWithGrantOption]),
  };
}

/**
 * GetResourceLFTags (ShowAssignedLFTags) answer for one database or table -> one record per
 * tagged resource (the database, the table, each tagged column). Untagged resources give none.
 */
export function tagAssignmentRecords(
  databaseName: string,
  tableName: string | undefined,
  answer: { LFTagOnDatabase?: Json[]; LFTagsOnTable?: Json[]; LFTagsOnColumns?: Json[] },
): SnapshotRecordOf<"tagAssignment">[] {
  const tags = (list: Json[] | undefined): TagAssignmentValue["LFTags"] =>
    (list ?? [])
      .map((t) => ({ TagKey: String(t.TagKey), TagValues: sorted(t.TagValues) }))
      .sort((a, b) => (a.TagKey < b.TagKey ? -1 : a.TagKey > b.TagKey ? 1 : 0));
  const records: SnapshotRecordOf<"tagAssignment">[] = [];
  const add = (Resource: Json, LFTags: TagAssignmentValue["LFTags"], key: string) => {
    if (LFTags.length > 0) records.push({ kind: "tagAssignment", key, value: { Resource, LFTags } });
  };
  if (tableName === undefined) {
    add(
      { Database: { Name: databaseName } },
      tags(answer.LFTagOnDatabase),
      recordKeys.tagAssignment(databaseName),
    );
    return records;
  }
  add(
    { Table: { DatabaseName: databaseName, Name: tableName } },
    tags(answer.LFTagsOnTable),
    recordKeys.tagAssignment(databaseName, tableName),
  );
  for (const column of answer.LFTagsOnColumns ?? []) {
    const name = String(column.Name);
    add(
      { TableWithColumns: { DatabaseName: databaseName, Name: tableName, ColumnNames: [name] } },
      tags(column.LFTags as Json[] | undefined),
      recordKeys.tagAssignment(databaseName, tableName, name),
    );
  }
  return records.sort(compareRecords);
}
