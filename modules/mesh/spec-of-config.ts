// The config's `mesh` section (modules/config/mesh-schema.ts) as the reconciler's MeshSpec.
import type { MeshConfig } from "../config/mesh-schema.ts";
import { sharedLocations } from "../deploy/mesh-locations.ts";
import type { MeshSpec, TagRule } from "./spec.ts";

/** `db_glob` or `db_glob.table_glob`: the first dot splits the database part from the table part. */
function tagRule(resource: string, columns: string[] | undefined, tags: Record<string, string>): TagRule {
  const dot = resource.indexOf(".");
  return {
    databases: dot < 0 ? resource : resource.slice(0, dot),
    ...(dot < 0 ? {} : { tables: resource.slice(dot + 1) }),
    ...(columns ? { columns } : {}),
    tags,
  };
}

const roleName = (arn: string) => arn.slice(arn.indexOf(":role/") + ":role/".length);

/** How the deployed reconciler reaches each account (its own writer roles), instead of the config's roles. */
export interface MeshRoles {
  /** Account id -> role ARN. */
  accountRoles: Record<string, string>;
  /** Role of an account the config no longer declares: "{account}" is replaced. */
  accountRoleTemplate: string;
}

/** How the crawlers are reached: their role's ARN (the central stack's naming). */
export interface MeshCrawlerRole {
  crawlerRoleArn?: string;
}

export function meshSpecOf(mesh: MeshConfig, roles?: MeshRoles, crawlers: MeshCrawlerRole = {}): MeshSpec {
  const roleOf = (account: string, configured: string) => roles?.accountRoles[account] ?? configured;
  const databases = mesh.producers.flatMap((p) => [
    ...p.crawlers.map((c) => c.database),
    ...p.tables.map((t) => t.database),
  ]);
  const crawlerDatabases = [
    ...new Set(mesh.producers.flatMap((p) => p.crawlers.map((c) => c.database))),
  ].sort();
  // A consumer removed from the config is reached with the role name the declared consumers use.
  const template = mesh.consumers[0] ?? mesh.central;
  return {
    central: {
      account: mesh.central.account,
      region: mesh.central.region,
      roleArn: roleOf(mesh.central.account, mesh.central.roleArn),
      admins: mesh.central.admins,
      crossAccountVersion: mesh.central.crossAccountVersion,
      databases: [...new Set(databases)].sort(),
      ...(crawlers.crawlerRoleArn && crawlerDatabases.length > 0
        ? {
            crawler: {
              roleArn: crawlers.crawlerRoleArn,
              databases: crawlerDatabases,
              locations: sharedLocations(mesh).map((l) => l.registeredArn),
            },
          }
        : {}),
    },
    producers: mesh.producers.map((p) => ({
      account: p.account,
      region: mesh.central.region,
      roleArn: roleOf(p.account, p.roleArn),
    })),
    sameOrganization: mesh.sameOrganization,
    lfTags: mesh.lfTags,
    assignments: mesh.tagAssignments.map((a) => tagRule(a.resource, a.columns, a.lfTags)),
    grants: mesh.grants.flatMap((grant) =>
      grant.principals.map((principal) => ({
        principal,
        resourceType: grant.resourceType,
        expression: grant.lfTags,
        permissions: grant.permissions,
        permissionsWithGrantOption: grant.permissionsWithGrantOption,
      })),
    ),
    consumers: mesh.consumers.map((consumer) => ({
      account: consumer.account,
      region: mesh.central.region,
      roleArn: roleOf(consumer.account, consumer.roleArn),
      admins: consumer.admins,
      principals: consumer.principals,
      ...(consumer.resourceLinks
        ? { links: { database: consumer.resourceLinks.database, tables: consumer.resourceLinks.tables } }
        : {}),
    })),
    accountRoleTemplate:
      roles?.accountRoleTemplate ?? `arn:aws:iam::{account}:role/${roleName(template.roleArn)}`,
  };
}
