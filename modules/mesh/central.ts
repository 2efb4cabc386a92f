// The central account's desired state and its diff: data lake settings (admins added, current
// ones kept, IAMAllowedPrincipals defaults removed, cross-account version), the LF-tag ontology,
// tag assignments by rule over the live tables, and the tag-policy grants.
import type { PermissionValue, TagAssignmentValue } from "../catalog/model.ts";
import { adminIds, adminList, settledAdmins } from "../mapping/settings.ts";
import {
  addLfTagsToResource,
  addLfTagValues,
  createOrUpdateLfTag,
  type Destination,
  deleteLfTag,
  putDataLakeSettings,
  removeLfTagsFromResource,
  updateLfTag,
} from "../operations/build/index.ts";
import type { TargetOperation } from "../operations/operation.ts";
import {
  addGrant,
  databaseOfResource,
  destination,
  grantMissing,
  minus,
  revokeExtra,
  sorted,
} from "./grants.ts";
import type { LiveCatalog } from "./live.ts";
import { accountOfPrincipal, type MeshSpec } from "./spec.ts";
import { governedDatabases, tagsOf } from "./tags.ts";

/** The central account's operations. */
export function planCentral(
  spec: MeshSpec,
  live: LiveCatalog,
  assignments: Map<string, TagAssignmentValue>,
  options: { prune: boolean },
): TargetOperation[] {
  const to = destination(spec.central, "central");
  return [
    ...settingsOperations(spec, live, to),
    ...lfTagOperations(spec, live, to, options),
    ...assignmentOperations(spec, live, assignments, to, options),
    ...grantMissing(to, centralGrants(spec), live.permissions),
    ...(options.prune
      ? revokeExtra(to, centralGrants(spec), live.permissions, (grant) => isMeshGrantOfCentral(spec, grant))
      : []),
  ];
}

/** Admins merged (protected kept), IAMAllowedPrincipals defaults removed, cross-account version set. */
function settingsOperations(spec: MeshSpec, live: LiveCatalog, to: Destination): TargetOperation[] {
  const current = adminIds(live.settings);
  // Declared admins are added; every current admin is kept (protected), as the config says.
  const admins = settledAdmins({ current, desired: spec.central.admins, keep: current });
  const parameters = { ...((live.settings.Parameters as Record<string, string> | undefined) ?? {}) };
  const version = String(spec.central.crossAccountVersion);
  const defaults = ["CreateDatabaseDefaultPermissions", "CreateTableDefaultPermissions"].filter(
    (field) => ((live.settings[field] as unknown[] | undefined) ?? []).length > 0,
  );
  const changes = [
    ...(sorted(admins).join() !== sorted(current).join() ? [`admins ${admins.join(", ") || "none"}`] : []),
    ...(defaults.length > 0 ? ["IAMAllowedPrincipals defaults removed"] : []),
    ...(parameters.CROSS_ACCOUNT_VERSION !== version ? [`cross-account version ${version}`] : []),
  ];
  if (changes.length === 0) return [];
  const settings = {
    ...live.settings,
    DataLakeAdmins: adminList(admins),
    CreateDatabaseDefaultPermissions: [],
    CreateTableDefaultPermissions: [],
    Parameters: { ...parameters, CROSS_ACCOUNT_VERSION: version },
  };
  return [
    putDataLakeSettings(
      to,
      settings,
      { keepAdmins: current },
      { description: `merge data lake settings: ${changes.join("; ")}` },
    ),
  ];
}

function lfTagOperations(
  spec: MeshSpec,
  live: LiveCatalog,
  to: Destination,
  options: { prune: boolean },
): TargetOperation[] {
  const operations: TargetOperation[] = [];
  for (const [key, values] of Object.entries(spec.lfTags)) {
    const current = live.lfTags[key];
    if (!current) {
      operations.push(createOrUpdateLfTag(to, key, values));
      continue;
    }
    const missing = minus(values, current);
    if (missing.length > 0) {
      operations.push(
        addLfTagValues(to, key, missing, {
          description: `add values ${missing.join(", ")} to LF tag ${key}`,
        }),
      );
    }
    const extra = minus(current, values);
    if (options.prune && extra.length > 0) {
      operations.push(
        updateLfTag(
          to,
          key,
          { remove: extra },
          { description: `remove values ${extra.join(", ")} of LF tag ${key}` },
        ),
      );
    }
  }
  if (options.prune) {
    for (const key of Object.keys(live.lfTags)
      .filter((k) => !(k in spec.lfTags))
      .sort()) {
      operations.push(deleteLfTag(to, key));
    }
  }
  return operations;
}

function assignmentOperations(
  spec: MeshSpec,
  live: LiveCatalog,
  desired: Map<string, TagAssignmentValue>,
  to: Destination,
  options: { prune: boolean },
): TargetOperation[] {
  const operations: TargetOperation[] = [];
  for (const [key, value] of desired) {
    const current = tagsOf(live.tagAssignments.get(key));
    const wanted = tagsOf(value);
    const toSet = Object.keys(wanted).filter((k) => current[k] !== wanted[k]);
    if (toSet.length === 0) continue;
    const pairs = toSet.sort().map((TagKey) => ({ TagKey, TagValues: [wanted[TagKey] as string] }));
    operations.push(addLfTagsToResource(to, value.Resource, pairs));
  }
  if (!options.prune) return operations;
  const governed = new Set(governedDatabases(spec.assignments, spec.central.databases, live));
  for (const [key, value] of live.tagAssignments) {
    const database = databaseOfResource(value.Resource);
    if (database === undefined || !governed.has(database)) continue;
    const wanted = tagsOf(desired.get(key));
    const stale = value.LFTags.filter((t) => t.TagKey in spec.lfTags && wanted[t.TagKey] === undefined);
    if (stale.length > 0) operations.push(removeLfTagsFromResource(to, value.Resource, stale));
  }
  return operations;
}

/** The crawler role's grants: tables in its databases, data in the registered locations. */
function crawlerGrants(spec: MeshSpec, grants: Map<string, PermissionValue>): void {
  const crawler = spec.central.crawler;
  if (!crawler) return;
  for (const Name of crawler.databases) {
    addGrant(grants, crawler.roleArn, { Database: { Name } }, ["ALTER", "CREATE_TABLE", "DESCRIBE"]);
  }
  for (const ResourceArn of crawler.locations) {
    addGrant(grants, crawler.roleArn, { DataLocation: { ResourceArn } }, ["DATA_LOCATION_ACCESS"]);
  }
}

/** The declared tag-policy grants, merged per principal and expression, and the crawler role's. */
function centralGrants(spec: MeshSpec): Map<string, PermissionValue> {
  const grants = new Map<string, PermissionValue>();
  for (const grant of spec.grants) {
    const Resource = {
      LFTagPolicy: {
        ResourceType: grant.resourceType,
        Expression: Object.keys(grant.expression)
          .sort()
          .map((TagKey) => ({ TagKey, TagValues: sorted(grant.expression[TagKey] ?? []) })),
      },
    };
    addGrant(grants, grant.principal, Resource, grant.permissions, grant.permissionsWithGrantOption);
  }
  crawlerGrants(spec, grants);
  return grants;
}

/** Tag-policy grants to principals outside the central account: what the mesh declares there. */
function isMeshGrantOfCentral(spec: MeshSpec, grant: PermissionValue): boolean {
  const owner = accountOfPrincipal(grant.Principal.DataLakePrincipalIdentifier);
  return "LFTagPolicy" in grant.Resource && owner !== undefined && owner !== spec.central.account;
}

/** Accounts holding mesh grants in the central catalog that the config no longer declares (neither consumer nor producer). */
export function removedConsumerAccounts(spec: MeshSpec, centralLive: LiveCatalog): string[] {
  const declared = new Set([...spec.consumers, ...spec.producers].map((a) => a.account));
  const accounts = [...centralLive.permissions.values()]
    .filter((grant) => isMeshGrantOfCentral(spec, grant))
    .map((grant) => accountOfPrincipal(grant.Principal.DataLakePrincipalIdentifier) as string)
    .filter((account) => !declared.has(account));
  return sorted(accounts);
}
