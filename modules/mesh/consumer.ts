// A consumer account's desired state and its diff: the central account's RAM invitations accepted,
// its admins added, the link database and one resource link per shared central table (tables a
// crawler adds later included), and its principals' grants: DESCRIBE on the links, SELECT and
// DESCRIBE on the targets with CatalogId = central. Pruning removes the links and grants the mesh
// made that the config no longer asks for, and a removed consumer's link databases.
import type { PermissionValue, TagAssignmentValue } from "../catalog/model.ts";
import { globToRegExp } from "../mapping/mapping.ts";
import { adminIds, adminList, settledAdmins } from "../mapping/settings.ts";
import {
  acceptResourceShareInvitation,
  createDatabase,
  createTable,
  type Destination,
  deleteDatabase,
  deleteTable,
  putDataLakeSettings,
  updateTable,
} from "../operations/build/index.ts";
import type { TargetOperation } from "../operations/operation.ts";
import { addGrant, databaseOfResource, destination, grantMissing, minus, revokeExtra } from "./grants.ts";
import { dataTablesOf, isResourceLink, type LiveCatalog, tableKey } from "./live.ts";
import type { MeshAccount, MeshConsumer, MeshSpec } from "./spec.ts";
import { effectiveTableTags, expressionMatches, governedDatabases } from "./tags.ts";

/** Database parameter marking a consumer database as a mesh link database (value: the central account). */
export const LINK_DATABASE_MARK = "lakesync:mesh-central";

export class MeshPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MeshPlanError";
  }
}

export interface ConsumerDesired {
  links: Map<string, { name: string; database: string; table: string }>;
  grants: Map<string, PermissionValue>;
}

export const emptyDesired = (): ConsumerDesired => ({ links: new Map(), grants: new Map() });

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

export function consumerDesired(
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

export function planConsumer(
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
  operations.push(...grantMissing(to, desired.grants, live.permissions));
  if (options.prune) operations.push(...pruneConsumer(spec, consumer, live, desired));
  return operations;
}

/**
 * The central account's pending RAM invitations, accepted: outside one Organization a consumer
 * sees nothing shared until it does (LF dg "accepting-ram-invite").
 */
export function invitationOperations(spec: MeshSpec, live: LiveCatalog, to: Destination): TargetOperation[] {
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
export function pruneConsumer(
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
  const operations = revokeExtra(to, desired.grants, live.permissions, inScope);
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
