// The mesh reconciler's pure core: the declared mesh -> the desired Lake Formation and Glue state
// per account -> diffed against the live state -> TargetOperations built with the shared
// builders (modules/operations/build), run by the shared executor. What is in place plans
// nothing; `prune` also removes what the config no longer declares, within the mesh's scope:
//   central: LF tags and values, tag assignments of declared keys, and tag-policy grants to
//            principals outside the central account;
//   consumers (and consumers removed from the config, found through the central grants to them):
//            resource links to the central catalog in the mesh's link databases, and grants on
//            them and on central resources, except to the account's data lake admins.
import type { PermissionValue, TagAssignmentValue } from "../catalog/model.ts";
import { recordKeys } from "../catalog/model.ts";
import { globToRegExp } from "../mapping/mapping.ts";
import { adminIds, adminList, settledAdmins } from "../mapping/settings.ts";
import {
  acceptResourceShareInvitation,
  addLfTagsToResource,
  addLfTagValues,
  createDatabase,
  createOrUpdateLfTag,
  createTable,
  type Destination,
  deleteDatabase,
  deleteLfTag,
  deleteTable,
  grantPermissions,
  putDataLakeSettings,
  removeLfTagsFromResource,
  revokePermissions,
  updateLfTag,
  updateTable,
} from "../operations/build/index.ts";
import type { TargetOperation } from "../operations/operation.ts";
import { dataTablesOf, emptyCatalog, isResourceLink, type LiveCatalog, tableKey } from "./live.ts";
import { accountOfPrincipal, type MeshAccount, type MeshConsumer, type MeshSpec } from "./spec.ts";
import {
  assignmentsAfterApply,
  desiredAssignments,
  effectiveTableTags,
  expressionMatches,
  governedDatabases,
  tagsOf,
} from "./tags.ts";

/** Database parameter marking a consumer database as a mesh link database (value: the central account). */
export const LINK_DATABASE_MARK = "lakesync:mesh-central";

export class MeshPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MeshPlanError";
  }
}

export interface AccountPlan {
  account: string;
  role: "central" | "consumer" | "removed consumer";
  operations: TargetOperation[];
}

export interface MeshPlan {
  accounts: AccountPlan[];
  operations: TargetOperation[];
}

/** Live state per account: the central account, the declared consumers, and removed ones when pruning. */
export type LiveState = ReadonlyMap<string, LiveCatalog>;

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
const minus = (a: readonly string[], b: readonly string[]) => a.filter((v) => !b.includes(v));

function destination(where: MeshAccount, name: string): Destination {
  return {
    target: {
      name,
      account: where.account,
      region: where.region,
      ...(where.roleArn ? { roleArn: where.roleArn } : {}),
    },
  };
}

export function planMesh(spec: MeshSpec, live: LiveState, options: { prune: boolean }): MeshPlan {
  const centralLive = live.get(spec.central.account) ?? emptyCatalog(spec.central.account);
  const assignments = desiredAssignments(spec.assignments, centralLive);
  const accounts: AccountPlan[] = [
    {
      account: spec.central.account,
      role: "central",
      operations: planCentral(spec, centralLive, assignments, options),
    },
  ];
  const after = assignmentsAfterApply(assignments, centralLive.tagAssignments);
  for (const consumer of spec.consumers) {
    const desired = consumerDesired(spec, consumer, centralLive, after);
    const consumerLive = live.get(consumer.account) ?? emptyCatalog(consumer.account);
    accounts.push({
      account: consumer.account,
      role: "consumer",
      operations: planConsumer(spec, consumer, desired, consumerLive, options),
    });
  }
  if (options.prune) {
    for (const account of removedConsumerAccounts(spec, centralLive)) {
      const removedLive = live.get(account);
      if (!removedLive) continue;
      const where = { account, region: spec.central.region };
      accounts.push({
        account,
        role: "removed consumer",
        operations: pruneConsumer(spec, where, removedLive, emptyDesired()),
      });
    }
  }
  return { accounts, operations: accounts.flatMap((a) => a.operations) };
}

// ---- central ---------------------------------------------------------------------------------

function planCentral(
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
    ...grantOperations(
      to,
      centralGrants(spec),
      live.permissions,
      (grant) => options.prune && isMeshGrantOfCentral(spec, grant),
    ),
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

function databaseOfResource(resource: Record<string, unknown>): string | undefined {
  const [kind, body] = Object.entries(resource)[0] ?? [];
  if (!body || typeof body !== "object") return undefined;
  const fields = body as Record<string, unknown>;
  const name = kind === "Database" ? fields.Name : fields.DatabaseName;
  return typeof name === "string" ? name : undefined;
}

/** The declared tag-policy grants, merged per principal and expression. */
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
  return grants;
}

function addGrant(
  grants: Map<string, PermissionValue>,
  principal: string,
  Resource: Record<string, unknown>,
  permissions: readonly string[],
  withGrant: readonly string[] = [],
): void {
  const key = recordKeys.permission(principal, Resource);
  const existing = grants.get(key);
  grants.set(key, {
    Principal: { DataLakePrincipalIdentifier: principal },
    Resource,
    Permissions: sorted([...(existing?.Permissions ?? []), ...permissions, ...withGrant]),
    PermissionsWithGrantOption: sorted([...(existing?.PermissionsWithGrantOption ?? []), ...withGrant]),
  });
}

/** Tag-policy grants to principals outside the central account: what the mesh declares there. */
function isMeshGrantOfCentral(spec: MeshSpec, grant: PermissionValue): boolean {
  const owner = accountOfPrincipal(grant.Principal.DataLakePrincipalIdentifier);
  return "LFTagPolicy" in grant.Resource && owner !== undefined && owner !== spec.central.account;
}

/** Accounts holding mesh grants in the central catalog that the config no longer declares. */
export function removedConsumerAccounts(spec: MeshSpec, centralLive: LiveCatalog): string[] {
  const declared = new Set(spec.consumers.map((c) => c.account));
  const accounts = [...centralLive.permissions.values()]
    .filter((grant) => isMeshGrantOfCentral(spec, grant))
    .map((grant) => accountOfPrincipal(grant.Principal.DataLakePrincipalIdentifier) as string)
    .filter((account) => !declared.has(account));
  return sorted(accounts);
}

// ---- grants, shared by both sides ------------------------------------------------------------

function describeResource(resource: Record<string, unknown>): string {
  const [kind, raw] = Object.entries(resource)[0] ?? ["resource", {}];
  const body = (raw ?? {}) as Record<string, unknown>;
  const catalog = typeof body.CatalogId === "string" ? `${body.CatalogId}:` : "";
  if (kind === "LFTagPolicy") {
    const expression = ((body.Expression as { TagKey: string; TagValues: string[] }[]) ?? [])
      .map((e) => `${e.TagKey}=${e.TagValues.join("|")}`)
      .join(" AND ");
    return `${String(body.ResourceType).toLowerCase()}s tagged ${expression}`;
  }
  if (kind === "Database") return `database ${catalog}${String(body.Name)}`;
  if (kind === "Table") return `table ${catalog}${String(body.DatabaseName)}.${String(body.Name ?? "*")}`;
  return kind.toLowerCase();
}

/**
 * Grants the missing permissions (and grant options) of each desired grant; with `prunable`
 * true for a live grant, revokes what it holds beyond the desired grant (all of it when none).
 */
function grantOperations(
  to: Destination,
  desired: ReadonlyMap<string, PermissionValue>,
  live: ReadonlyMap<string, PermissionValue>,
  prunable: (grant: PermissionValue) => boolean,
): TargetOperation[] {
  const operations: TargetOperation[] = [];
  for (const [key, want] of desired) {
    const have = live.get(key);
    const missingGrant = minus(want.PermissionsWithGrantOption, have?.PermissionsWithGrantOption ?? []);
    const missing = sorted([...minus(want.Permissions, have?.Permissions ?? []), ...missingGrant]);
    if (missing.length === 0) continue;
    const principal = want.Principal.DataLakePrincipalIdentifier;
    const option = missingGrant.length > 0 ? ` (grant option ${missingGrant.join(", ")})` : "";
    operations.push(
      grantPermissions(
        to,
        {
          Principal: want.Principal,
          Resource: want.Resource,
          Permissions: missing,
          PermissionsWithGrantOption: missingGrant,
        },
        {
          description: `grant ${missing.join(", ")}${option} on ${describeResource(want.Resource)} to ${principal}`,
        },
      ),
    );
  }
  for (const [key, have] of live) {
    if (!prunable(have)) continue;
    const want = desired.get(key);
    const extra = minus(have.Permissions, want?.Permissions ?? []);
    const extraGrant = minus(have.PermissionsWithGrantOption, want?.PermissionsWithGrantOption ?? []);
    if (extra.length === 0 && extraGrant.length === 0) continue;
    const principal = have.Principal.DataLakePrincipalIdentifier;
    operations.push(
      revokePermissions(
        to,
        {
          Principal: have.Principal,
          Resource: have.Resource,
          Permissions: extra,
          PermissionsWithGrantOption: extraGrant,
        },
        {
          description: `revoke ${sorted([...extra, ...extraGrant]).join(", ")} on ${describeResource(have.Resource)} from ${principal}`,
        },
      ),
    );
  }
  return operations;
}

// ---- consumers -------------------------------------------------------------------------------

interface ConsumerDesired {
  links: Map<string, { name: string; database: string; table: string }>;
  grants: Map<string, PermissionValue>;
}

const emptyDesired = (): ConsumerDesired => ({ links: new Map(), grants: new Map() });

/** The central tables a consumer receives and links: tables whose tags a TABLE grant to it selects. */
export function sharedTables(
  spec: MeshSpec,
  consumer: MeshConsumer,
  centralLive: LiveCatalog,
  assignments: ReadonlyMap<string, TagAssignmentValue>,
): { database: string; table: string }[] {
  const receivers = new Set([consumer.account, ...consumer.principals]);
  const grants = spec.grants.filter((g) => g.resourceType === "TABLE" && receivers.has(g.principal));
  const listed = consumer.links?.tables ?? "all";
  const patterns = listed === "all" ? undefined : listed.map(globToRegExp);
  return governedDatabases(spec.assignments, spec.central.databases, centralLive).flatMap((database) =>
    dataTablesOf(centralLive, database)
      .filter((table) => !patterns || patterns.some((p) => p.test(`${database}.${table}`)))
      .filter((table) => {
        const tags = effectiveTableTags(assignments, database, table);
        return grants.some((g) => expressionMatches(g.expression, tags));
      })
      .map((table) => ({ database, table })),
  );
}

function consumerDesired(
  spec: MeshSpec,
  consumer: MeshConsumer,
  centralLive: LiveCatalog,
  assignments: ReadonlyMap<string, TagAssignmentValue>,
): ConsumerDesired {
  const desired = emptyDesired();
  const links = consumer.links;
  if (!links) return desired;
  for (const shared of sharedTables(spec, consumer, centralLive, assignments)) {
    const clash = desired.links.get(shared.table);
    if (clash) {
      throw new MeshPlanError(
        `mesh.consumers (${consumer.account}).resourceLinks: link ${links.database}.${shared.table} would point at both ${clash.database}.${clash.table} and ${shared.database}.${shared.table}; list the tables to link`,
      );
    }
    desired.links.set(shared.table, { name: shared.table, ...shared });
  }
  for (const principal of consumer.principals) {
    addGrant(desired.grants, principal, { Database: { Name: links.database } }, ["DESCRIBE"]);
    for (const link of desired.links.values()) {
      addGrant(desired.grants, principal, { Table: { DatabaseName: links.database, Name: link.name } }, [
        "DESCRIBE",
      ]);
      const target = { CatalogId: spec.central.account, DatabaseName: link.database, Name: link.table };
      addGrant(desired.grants, principal, { Table: target }, ["DESCRIBE", "SELECT"]);
    }
  }
  return desired;
}

function linkTarget(spec: MeshSpec, consumer: MeshAccount, link: { database: string; table: string }) {
  return {
    CatalogId: spec.central.account,
    DatabaseName: link.database,
    Name: link.table,
    ...(consumer.region !== spec.central.region ? { Region: spec.central.region } : {}),
  };
}

function planConsumer(
  spec: MeshSpec,
  consumer: MeshConsumer,
  desired: ConsumerDesired,
  live: LiveCatalog,
  options: { prune: boolean },
): TargetOperation[] {
  const to = destination(consumer, `consumer ${consumer.account}`);
  const operations: TargetOperation[] = [
    ...consumerAdminOperations(consumer, live, to),
    ...invitationOperations(spec, live, to),
  ];
  const database = consumer.links?.database;
  if (database !== undefined && !live.databases.has(database)) {
    operations.push(
      createDatabase(to, {
        Name: database,
        Description: `Resource links to the mesh's central catalog ${spec.central.account}`,
        Parameters: { [LINK_DATABASE_MARK]: spec.central.account },
      }),
    );
  }
  for (const link of desired.links.values()) {
    const DatabaseName = database as string; // links are only desired with a link database
    const TableInput = { Name: link.name, TargetTable: linkTarget(spec, consumer, link) };
    const current = live.tables.get(tableKey(DatabaseName, link.name));
    if (!current) operations.push(createTable(to, { DatabaseName, TableInput }));
    else if (!sameTarget(current.TableInput.TargetTable, TableInput.TargetTable)) {
      operations.push(updateTable(to, { DatabaseName, TableInput }));
    }
  }
  operations.push(...grantOperations(to, desired.grants, live.permissions, () => false));
  if (options.prune) operations.push(...pruneConsumer(spec, consumer, live, desired));
  return operations;
}

/**
 * The central account's pending RAM invitations, accepted: outside one Organization a consumer
 * sees nothing shared until it does (LF dg "accepting-ram-invite").
 */
function invitationOperations(spec: MeshSpec, live: LiveCatalog, to: Destination): TargetOperation[] {
  if (spec.sameOrganization) return [];
  return live.invitations
    .filter((i) => i.sender === spec.central.account && i.status === "PENDING")
    .map((i) => acceptResourceShareInvitation(to, i));
}

/** The consumer's declared admins added to its data lake settings (none removed). */
function consumerAdminOperations(
  consumer: MeshConsumer,
  live: LiveCatalog,
  to: Destination,
): TargetOperation[] {
  const current = adminIds(live.settings);
  const missing = minus(consumer.admins, current);
  if (missing.length === 0) return [];
  const admins = settledAdmins({ current, desired: consumer.admins, keep: current });
  return [
    putDataLakeSettings(
      to,
      { ...live.settings, DataLakeAdmins: adminList(admins) },
      { keepAdmins: current },
      { description: `merge data lake settings: admins ${missing.join(", ")} added` },
    ),
  ];
}

function sameTarget(current: unknown, wanted: Record<string, unknown>): boolean {
  const fields = (current ?? {}) as Record<string, unknown>;
  return ["CatalogId", "DatabaseName", "Name"].every((f) => fields[f] === wanted[f]);
}

/** Mesh link databases of an account: those carrying the central account's mark. */
function linkDatabases(spec: MeshSpec, live: LiveCatalog): string[] {
  return [...live.databases.entries()]
    .filter(
      ([, input]) =>
        (input.Parameters as Record<string, string> | undefined)?.[LINK_DATABASE_MARK] ===
        spec.central.account,
    )
    .map(([name]) => name)
    .sort();
}

/**
 * Removes, in one consumer account, the links and grants the mesh made that `desired` no longer
 * holds: links to the central catalog in the mesh's link databases, grants on them and on central
 * resources (the account's data lake admins keep theirs). A removed consumer's link databases go too.
 */
function pruneConsumer(
  spec: MeshSpec,
  where: MeshAccount,
  live: LiveCatalog,
  desired: ConsumerDesired,
): TargetOperation[] {
  const removed = !spec.consumers.some((c) => c.account === where.account);
  const to = destination(where, `${removed ? "removed consumer" : "consumer"} ${where.account}`);
  const databases = new Set(linkDatabases(spec, live));
  const admins = new Set(adminIds(live.settings));
  const inScope = (grant: PermissionValue) => {
    const principal = grant.Principal.DataLakePrincipalIdentifier;
    // Admins keep theirs; IAMAllowedPrincipals holds the account's default grants, not the mesh's.
    if (admins.has(principal) || principal === "IAM_ALLOWED_PRINCIPALS") return false;
    const [, body] = Object.entries(grant.Resource)[0] ?? [];
    const fields = (body ?? {}) as Record<string, unknown>;
    if (fields.CatalogId === spec.central.account) return true;
    const database = databaseOfResource(grant.Resource);
    return fields.CatalogId === undefined && database !== undefined && databases.has(database);
  };
  const operations = grantOperations(to, new Map(), live.permissions, (grant) => {
    if (!inScope(grant)) return false;
    return !desired.grants.has(
      recordKeys.permission(grant.Principal.DataLakePrincipalIdentifier, grant.Resource),
    );
  }).concat(partialRevokes(to, desired, live, inScope));
  for (const table of live.tables.values()) {
    if (!databases.has(table.DatabaseName) || !isResourceLink(table)) continue;
    const target = table.TableInput.TargetTable as Record<string, unknown>;
    if (target.CatalogId !== spec.central.account) continue;
    const name = String(table.TableInput.Name);
    if (!removed && desired.links.has(name)) continue;
    operations.push(deleteTable(to, table.DatabaseName, name));
  }
  if (removed) for (const database of databases) operations.push(deleteDatabase(to, database));
  return operations;
}

/** Grants the consumer still wants but that hold more than it wants: the extra revoked. */
function partialRevokes(
  to: Destination,
  desired: ConsumerDesired,
  live: LiveCatalog,
  inScope: (grant: PermissionValue) => boolean,
): TargetOperation[] {
  const wanted = new Map(
    [...live.permissions].filter(([key, grant]) => desired.grants.has(key) && inScope(grant)),
  );
  return grantOperations(to, desired.grants, wanted, () => true).filter(
    (op) => op.operation === "RevokePermissions",
  );
}
