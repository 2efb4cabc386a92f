// One builder per Lake Formation write API, plus the create-or-update pairs and the data lake
// settings merge. Inputs are checked against the SDK's command inputs.
import type * as Sdk from "@aws-sdk/client-lakeformation";
import { adminIds, protectedAdminsNote } from "../../mapping/settings.ts";
import type { MergeDirectives } from "../directives.ts";
import { type OperationOf, Phase, resourceKeys } from "../operation.ts";
import {
  asFallback,
  catalogField,
  catalogOf,
  chunksFor,
  compact,
  type Described,
  type Destination,
  fields,
  type Json,
  plural,
  shape,
} from "./common.ts";

type CatalogField = { CatalogId?: string };
const catalog = (to: Destination) => catalogField(to) as CatalogField;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// ---- permissions -------------------------------------------------------------------------------

/** One grant: Principal, Resource, Permissions, PermissionsWithGrantOption, Condition (mapped). */
export type PermissionEntry = Json;

/** The grant identity an entry names: its principal and resource. */
function permissionKey(entry: PermissionEntry): string {
  const principal = isObject(entry.Principal) ? String(entry.Principal.DataLakePrincipalIdentifier) : "";
  return resourceKeys.permission(principal, entry.Resource);
}

function grantOrRevoke(to: Destination, entry: PermissionEntry, grant: boolean, options: Described) {
  const input = compact({
    ...catalog(to),
    ...entry,
    Principal: shape<Sdk.DataLakePrincipal>(entry.Principal),
    Resource: shape<Sdk.Resource>(entry.Resource),
    Permissions: shape<Sdk.Permission[]>(entry.Permissions),
  } satisfies Sdk.GrantPermissionsCommandInput & Sdk.RevokePermissionsCommandInput);
  const principal = isObject(entry.Principal) ? (entry.Principal.DataLakePrincipalIdentifier ?? "") : "";
  const verb = grant ? "grant" : "revoke";
  const description =
    options.description ??
    `${verb} ${((entry.Permissions as string[] | undefined) ?? []).join(",")} to ${principal}`;
  return { input, ...fields(to, permissionKey(entry), verb, Phase.permissions, description) };
}

export function grantPermissions(
  to: Destination,
  entry: PermissionEntry,
  options: Described = {},
): OperationOf<"GrantPermissions"> {
  return {
    service: "lakeformation",
    operation: "GrantPermissions",
    ...grantOrRevoke(to, entry, true, options),
  };
}

export function revokePermissions(
  to: Destination,
  entry: PermissionEntry,
  options: Described = {},
): OperationOf<"RevokePermissions"> {
  return {
    service: "lakeformation",
    operation: "RevokePermissions",
    ...grantOrRevoke(to, entry, false, options),
  };
}

/** Why a batch is written, appended to its description ("grant option SELECT removed"). */
export interface Noted {
  note?: string;
}

function permissionBatches<Api extends "BatchGrantPermissions" | "BatchRevokePermissions">(
  api: Api,
  to: Destination,
  entries: readonly PermissionEntry[],
  options: Noted,
) {
  const grant = api === "BatchGrantPermissions";
  return chunksFor(api, entries).map((part) => {
    // Every entry needs an Id to be matched with its failure; a source entry keeps its own.
    const list = part.map((entry, i) => ({ Id: String(i), ...entry }));
    const input = {
      ...catalog(to),
      Entries: shape<Sdk.BatchPermissionsRequestEntry[]>(list),
    } satisfies Sdk.BatchGrantPermissionsCommandInput;
    const count = `${list.length} permission ${plural(list.length, "entry", "entries")}`;
    const description = `${grant ? "grant" : "revoke"} ${count}${options.note ? ` (${options.note})` : ""}`;
    return {
      service: "lakeformation" as const,
      operation: api,
      input,
      ...fields(
        to,
        permissionKey(list[0] as Json),
        grant ? "grant" : "revoke",
        Phase.permissions,
        description,
      ),
    };
  });
}

/** BatchGrantPermissions in chunks of the API limit, each keyed by its first grant identity. */
export function batchGrantPermissions(
  to: Destination,
  entries: readonly PermissionEntry[],
  options: Noted = {},
): OperationOf<"BatchGrantPermissions">[] {
  return permissionBatches("BatchGrantPermissions", to, entries, options);
}

export function batchRevokePermissions(
  to: Destination,
  entries: readonly PermissionEntry[],
  options: Noted = {},
): OperationOf<"BatchRevokePermissions">[] {
  return permissionBatches("BatchRevokePermissions", to, entries, options);
}

// ---- LF tags -----------------------------------------------------------------------------------

const lfTagKey = (to: Destination, tagKey: string) => resourceKeys.lfTag(catalogOf(to), tagKey);

export function createLfTag(
  to: Destination,
  tagKey: string,
  tagValues: string[],
  options: Described = {},
): OperationOf<"CreateLFTag"> {
  const input = {
    ...catalog(to),
    TagKey: tagKey,
    TagValues: tagValues,
  } satisfies Sdk.CreateLFTagCommandInput;
  const description = options.description ?? `create LF tag ${tagKey} = ${tagValues.join(", ")}`;
  return {
    service: "lakeformation",
    operation: "CreateLFTag",
    input,
    ...fields(to, lfTagKey(to, tagKey), "create", Phase.lfTags, description),
  };
}

/** UpdateLFTag as a merge: the executor adds only the values the tag lacks, never removes any. */
export function addLfTagValues(
  to: Destination,
  tagKey: string,
  values: string[],
  options: Described = {},
): OperationOf<"UpdateLFTag"> {
  const input = {
    ...catalog(to),
    TagKey: tagKey,
    TagValuesToAdd: values,
  } satisfies Sdk.UpdateLFTagCommandInput;
  const description = options.description ?? `add the missing values of LF tag ${tagKey}`;
  return {
    service: "lakeformation",
    operation: "UpdateLFTag",
    input,
    ...fields(to, lfTagKey(to, tagKey), "merge", Phase.lfTags, description),
  };
}

/** CreateLFTag that adds the missing values when the tag exists. */
export function createOrUpdateLfTag(
  to: Destination,
  tagKey: string,
  tagValues: string[],
  options: Described = {},
): OperationOf<"CreateLFTag"> {
  return {
    ...createLfTag(to, tagKey, tagValues, options),
    onExists: asFallback(addLfTagValues(to, tagKey, tagValues)),
  };
}

/** UpdateLFTag as a plain write: replays removals too (a merge never removes values). */
export function updateLfTag(
  to: Destination,
  tagKey: string,
  change: { add?: string[]; remove?: string[] },
  options: Described = {},
): OperationOf<"UpdateLFTag"> {
  const input = {
    ...catalog(to),
    TagKey: tagKey,
    ...(change.add ? { TagValuesToAdd: change.add } : {}),
    ...(change.remove ? { TagValuesToDelete: change.remove } : {}),
  } satisfies Sdk.UpdateLFTagCommandInput;
  return {
    service: "lakeformation",
    operation: "UpdateLFTag",
    input,
    ...fields(
      to,
      lfTagKey(to, tagKey),
      "upsert",
      Phase.lfTags,
      options.description ?? `update LF tag ${tagKey}`,
    ),
  };
}

export function deleteLfTag(to: Destination, tagKey: string): OperationOf<"DeleteLFTag"> {
  const input = { ...catalog(to), TagKey: tagKey } satisfies Sdk.DeleteLFTagCommandInput;
  return {
    service: "lakeformation",
    operation: "DeleteLFTag",
    input,
    ...fields(to, lfTagKey(to, tagKey), "delete", Phase.lfTags, `delete LF tag ${tagKey}`),
  };
}

// ---- LF tag assignments ------------------------------------------------------------------------

export interface TagPair extends Json {
  TagKey: string;
  TagValues: string[];
}

/** "Table sales.orders": the resource's kind and the names it carries. */
function describeResource(resource: Json): string {
  const [kind, value] = Object.entries(resource)[0] ?? ["resource", {}];
  if (!isObject(value)) return kind;
  const name = [value.DatabaseName, value.Name].filter((v) => typeof v === "string").join(".");
  return `${kind} ${name}`.trim();
}

function assignment(to: Destination, resource: Json, lfTags: readonly TagPair[]) {
  const input = {
    ...catalog(to),
    Resource: shape<Sdk.Resource>(resource),
    LFTags: shape<Sdk.LFTagPair[]>(lfTags),
  } satisfies Sdk.AddLFTagsToResourceCommandInput & Sdk.RemoveLFTagsFromResourceCommandInput;
  return {
    input,
    keys: lfTags.map((tag) => tag.TagKey).join(", "),
    resourceKey: resourceKeys.tagAssignment(resource),
  };
}

export function addLfTagsToResource(
  to: Destination,
  resource: Json,
  lfTags: readonly TagPair[],
  options: Described = {},
): OperationOf<"AddLFTagsToResource"> {
  const { input, keys, resourceKey } = assignment(to, resource, lfTags);
  const description = options.description ?? `add LF tags ${keys} to ${describeResource(resource)}`;
  return {
    service: "lakeformation",
    operation: "AddLFTagsToResource",
    input,
    ...fields(to, resourceKey, "upsert", Phase.tagAssignments, description),
  };
}

export function removeLfTagsFromResource(
  to: Destination,
  resource: Json,
  lfTags: readonly TagPair[],
  options: Described = {},
): OperationOf<"RemoveLFTagsFromResource"> {
  const { input, keys, resourceKey } = assignment(to, resource, lfTags);
  const description = options.description ?? `remove LF tags ${keys} from ${describeResource(resource)}`;
  return {
    service: "lakeformation",
    operation: "RemoveLFTagsFromResource",
    input,
    ...fields(to, resourceKey, "delete", Phase.tagAssignments, description),
  };
}

// ---- data lake settings and registered locations -----------------------------------------------

/**
 * PutDataLakeSettings as a read-modify-write: the executor writes `settings` as a whole, with the
 * target's current admins that `directives.keepAdmins` names (the protected admins) kept
 * (modules/operations/README.md, Merge). The directives are the caller's: the protected-admins rule.
 */
export function putDataLakeSettings(
  to: Destination,
  settings: Json,
  directives?: MergeDirectives,
  options: Described = {},
): OperationOf<"PutDataLakeSettings"> {
  const input = {
    ...catalog(to),
    DataLakeSettings: shape<Sdk.DataLakeSettings>(settings),
    ...(directives ? { __merge: directives } : {}),
  } satisfies Sdk.PutDataLakeSettingsCommandInput & { __merge?: MergeDirectives };
  const admins = adminIds(settings);
  const keep = directives?.keepAdmins ?? [];
  const description =
    options.description ??
    `replace data lake settings (admins: ${admins.join(", ") || "none"})${keep.length > 0 ? `; ${protectedAdminsNote(keep, { whenPresent: true })}` : ""}`;
  return {
    service: "lakeformation",
    operation: "PutDataLakeSettings",
    input,
    ...fields(to, resourceKeys.settings(catalogOf(to)), "merge", Phase.settings, description),
  };
}

const locationKey = (arn: string) => resourceKeys.location(arn);

/** RegisterResource with the registration as given (ResourceArn, RoleArn, flags; mapped). */
export function registerResource(to: Destination, registration: Json): OperationOf<"RegisterResource"> {
  const arn = String(registration.ResourceArn);
  const input = compact({
    ...registration,
    ResourceArn: arn,
    RoleArn: shape<string | undefined>(registration.RoleArn),
  } satisfies Sdk.RegisterResourceCommandInput);
  return {
    service: "lakeformation",
    operation: "RegisterResource",
    input,
    ...fields(to, locationKey(arn), "create", Phase.locations, `register location ${arn}`),
  };
}

/** UpdateResource: the role (and flags) a registered location is accessed with. */
export function updateResource(
  to: Destination,
  update: Json & { ResourceArn: string; RoleArn?: string },
  options: Described = {},
): OperationOf<"UpdateResource"> {
  const input = compact({
    ...update,
    RoleArn: shape<string>(update.RoleArn),
  } satisfies Sdk.UpdateResourceCommandInput);
  const role = update.RoleArn === undefined ? "" : ` to role ${update.RoleArn}`;
  const description = options.description ?? `update location ${update.ResourceArn}${role}`;
  return {
    service: "lakeformation",
    operation: "UpdateResource",
    input,
    ...fields(to, locationKey(update.ResourceArn), "upsert", Phase.locations, description),
  };
}

/** RegisterResource that updates the registration when the location is already registered. */
export function registerOrUpdateResource(
  to: Destination,
  registration: Json,
  update: Json & { ResourceArn: string; RoleArn?: string },
): OperationOf<"RegisterResource"> {
  return {
    ...registerResource(to, registration),
    onExists: asFallback(updateResource(to, update), "it is already registered"),
  };
}

export function deregisterResource(to: Destination, resourceArn: string): OperationOf<"DeregisterResource"> {
  const input = { ResourceArn: resourceArn } satisfies Sdk.DeregisterResourceCommandInput;
  return {
    service: "lakeformation",
    operation: "DeregisterResource",
    input,
    ...fields(to, locationKey(resourceArn), "delete", Phase.locations, `deregister location ${resourceArn}`),
  };
}

// ---- data cells filters ------------------------------------------------------------------------

/** The filter's identity: its table's catalog (else the destination's), database, table, name. */
interface FilterNaming {
  TableCatalogId?: unknown;
  DatabaseName?: unknown;
  TableName?: unknown;
  Name?: unknown;
}

const text = (value: unknown) => (typeof value === "string" ? value : "");
const filterKey = (to: Destination, filter: FilterNaming) =>
  resourceKeys.dataCellsFilter(
    typeof filter.TableCatalogId === "string" ? filter.TableCatalogId : catalogOf(to),
    text(filter.DatabaseName),
    text(filter.TableName),
    text(filter.Name),
  );
const filterName = (filter: FilterNaming) =>
  `${text(filter.DatabaseName)}.${text(filter.TableName)}/${text(filter.Name)}`;

export function createDataCellsFilter(
  to: Destination,
  tableData: Json,
  options: Described = {},
): OperationOf<"CreateDataCellsFilter"> {
  const input = {
    TableData: shape<Sdk.DataCellsFilter>(tableData),
  } satisfies Sdk.CreateDataCellsFilterCommandInput;
  const description = options.description ?? `create data cells filter ${filterName(tableData)}`;
  return {
    service: "lakeformation",
    operation: "CreateDataCellsFilter",
    input,
    ...fields(to, filterKey(to, tableData), "create", Phase.dataCellsFilters, description),
  };
}

export function updateDataCellsFilter(
  to: Destination,
  tableData: Json,
  options: Described = {},
): OperationOf<"UpdateDataCellsFilter"> {
  const input = {
    TableData: shape<Sdk.DataCellsFilter>(tableData),
  } satisfies Sdk.UpdateDataCellsFilterCommandInput;
  const description = options.description ?? `update data cells filter ${filterName(tableData)}`;
  return {
    service: "lakeformation",
    operation: "UpdateDataCellsFilter",
    input,
    ...fields(to, filterKey(to, tableData), "upsert", Phase.dataCellsFilters, description),
  };
}

/** CreateDataCellsFilter that updates the filter when it exists. */
export function createOrUpdateDataCellsFilter(
  to: Destination,
  tableData: Json,
  options: Described = {},
): OperationOf<"CreateDataCellsFilter"> {
  return {
    ...createDataCellsFilter(to, tableData, options),
    onExists: asFallback(updateDataCellsFilter(to, tableData)),
  };
}

export function deleteDataCellsFilter(
  to: Destination,
  filter: FilterNaming & Json,
  options: Described = {},
): OperationOf<"DeleteDataCellsFilter"> {
  const input = compact({
    ...filter,
    TableCatalogId: shape<string | undefined>(filter.TableCatalogId),
    DatabaseName: shape<string | undefined>(filter.DatabaseName),
    TableName: shape<string | undefined>(filter.TableName),
    Name: shape<string | undefined>(filter.Name),
  } satisfies Sdk.DeleteDataCellsFilterCommandInput);
  const description = options.description ?? `delete data cells filter ${filterName(filter)}`;
  return {
    service: "lakeformation",
    operation: "DeleteDataCellsFilter",
    input,
    ...fields(to, filterKey(to, filter), "delete", Phase.dataCellsFilters, description),
  };
}
