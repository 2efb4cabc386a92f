// What the central and consumer plans share: where an operation goes, grants keyed as the catalog
// reader keys them, and the grant/revoke operations that bring a catalog's grants to the desired ones.
import type { PermissionValue } from "../catalog/model.ts";
import { recordKeys } from "../catalog/model.ts";
import { type Destination, grantPermissions, revokePermissions } from "../operations/build/index.ts";
import type { TargetOperation } from "../operations/operation.ts";
import type { MeshAccount } from "./spec.ts";

export const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
export const minus = (a: readonly string[], b: readonly string[]) => a.filter((v) => !b.includes(v));

export function destination(where: MeshAccount, name: string): Destination {
  return {
    target: {
      name,
      account: where.account,
      region: where.region,
      ...(where.roleArn ? { roleArn: where.roleArn } : {}),
    },
  };
}

/** Adds a grant to `grants` under the catalog reader's key, merged with one already there. */
export function addGrant(
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

/** The database a Database, Table or TableWithColumns resource is in. */
export function databaseOfResource(resource: Record<string, unknown>): string | undefined {
  const [kind, body] = Object.entries(resource)[0] ?? [];
  if (!body || typeof body !== "object") return undefined;
  const fields = body as Record<string, unknown>;
  const name = kind === "Database" ? fields.Name : fields.DatabaseName;
  return typeof name === "string" ? name : undefined;
}

/** A grant's resource in a plan line: "table 111111111111:sales.orders", "tables tagged k=v". */
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
  if (kind === "DataLocation") return `location ${String(body.ResourceArn)}`;
  if (kind === "Database") return `database ${catalog}${String(body.Name)}`;
  if (kind === "Table") return `table ${catalog}${String(body.DatabaseName)}.${String(body.Name ?? "*")}`;
  return kind.toLowerCase();
}

/** Grants the missing permissions (and grant options) of each desired grant. */
export function grantMissing(
  to: Destination,
  desired: ReadonlyMap<string, PermissionValue>,
  live: ReadonlyMap<string, PermissionValue>,
): TargetOperation[] {
  const operations: TargetOperation[] = [];
  for (const [key, want] of desired) {
    const have = live.get(key);
    const missingGrant = minus(want.PermissionsWithGrantOption, have?.PermissionsWithGrantOption ?? []);
    const missing = sorted([...minus(want.Permissions, have?.Permissions ?? []), ...missingGrant]);
    if (missing.length === 0) continue;
    const principal = want.Principal.DataLakePrincipalIdentifier;
    const option = missingGrant.length > 0 ? ` (grant option ${missingGrant.join(", ")})` : "";
    const entry = {
      Principal: want.Principal,
      Resource: want.Resource,
      Permissions: missing,
      PermissionsWithGrantOption: missingGrant,
    };
    const description = `grant ${missing.join(", ")}${option} on ${describeResource(want.Resource)} to ${principal}`;
    operations.push(grantPermissions(to, entry, { description }));
  }
  return operations;
}

/** For each live grant `prunable` accepts, revokes what it holds beyond the desired grant (all of it when none). */
export function revokeExtra(
  to: Destination,
  desired: ReadonlyMap<string, PermissionValue>,
  live: ReadonlyMap<string, PermissionValue>,
  prunable: (grant: PermissionValue) => boolean,
): TargetOperation[] {
  const operations: TargetOperation[] = [];
  for (const [key, have] of live) {
    if (!prunable(have)) continue;
    const want = desired.get(key);
    const extra = minus(have.Permissions, want?.Permissions ?? []);
    const extraGrant = minus(have.PermissionsWithGrantOption, want?.PermissionsWithGrantOption ?? []);
    if (extra.length === 0 && extraGrant.length === 0) continue;
    const principal = have.Principal.DataLakePrincipalIdentifier;
    const entry = {
      Principal: have.Principal,
      Resource: have.Resource,
      Permissions: extra,
      PermissionsWithGrantOption: extraGrant,
    };
    const description = `revoke ${sorted([...extra, ...extraGrant]).join(", ")} on ${describeResource(have.Resource)} from ${principal}`;
    operations.push(revokePermissions(to, entry, { description }));
  }
  return operations;
}
