// Lake Formation grants and revokes, with principals and resources mapped; batches split at 20.
import { excludedResource, mapLfResource } from "../../mapping/lf-resource.ts";
import { mapPrincipal } from "../../mapping/mapping.ts";
import { mapDataLakePrincipal } from "../../mapping/settings.ts";
import { Phase, resourceKeys } from "../../operations/operation.ts";
import type { PermissionsEntry } from "../change.ts";
import {
  apply,
  batchLimits,
  catalogField,
  chunk,
  compact,
  type EventPlanners,
  ignore,
  isObject,
  type Json,
  operation,
  type Plan,
  type PlanContext,
} from "./context.ts";

function mapEntry(entry: PermissionsEntry, ctx: PlanContext): Json {
  return compact({
    ...entry,
    Principal: mapDataLakePrincipal(entry.Principal, ctx.rules),
    Resource: isObject(entry.Resource) ? mapLfResource(entry.Resource, ctx.rules) : entry.Resource,
  });
}

function keyOf(entry: Json): string {
  const principal = isObject(entry.Principal) ? String(entry.Principal.DataLakePrincipalIdentifier) : "";
  return resourceKeys.permission(principal, entry.Resource);
}

const verb = (grant: boolean) => (grant ? "grant" : "revoke");

function single(grant: boolean) {
  return ({ input }: { input: { CatalogId?: string } & PermissionsEntry }, ctx: PlanContext): Plan => {
    const { CatalogId, ...entry } = input;
    const why = isObject(entry.Resource) ? excludedResource(entry.Resource, ctx.rules) : undefined;
    if (why) return ignore(why);
    const mapped = mapEntry(entry, ctx);
    const principal = mapPrincipal(entry.Principal?.DataLakePrincipalIdentifier ?? "", ctx.rules);
    return apply([
      operation(ctx, {
        service: "lakeformation",
        operation: grant ? "GrantPermissions" : "RevokePermissions",
        input: { ...catalogField(CatalogId, ctx.rules), ...mapped },
        resourceKey: keyOf(mapped),
        idempotency: verb(grant),
        phase: Phase.permissions,
        description: `${verb(grant)} ${(entry.Permissions ?? []).join(",")} to ${principal}`,
      }),
    ]);
  };
}

function batch(grant: boolean) {
  return (
    { input }: { input: { CatalogId?: string; Entries: PermissionsEntry[] } },
    ctx: PlanContext,
  ): Plan => {
    const entries = input.Entries.filter(
      (e) => !(isObject(e.Resource) && excludedResource(e.Resource, ctx.rules)),
    ).map((e) => mapEntry(e, ctx));
    if (entries.length === 0) return ignore("every entry of the batch names an excluded database or table");
    const operationName = grant ? "BatchGrantPermissions" : "BatchRevokePermissions";
    return apply(
      chunk(entries, batchLimits[operationName]).map((part) =>
        operation(ctx, {
          service: "lakeformation",
          operation: operationName,
          input: { ...catalogField(input.CatalogId, ctx.rules), Entries: part },
          resourceKey: keyOf(part[0]!),
          idempotency: verb(grant),
          phase: Phase.permissions,
          description: `${verb(grant)} ${part.length} permission entr${part.length === 1 ? "y" : "ies"}`,
        }),
      ),
    );
  };
}

export const permissionPlanners: EventPlanners<
  "GrantPermissions" | "RevokePermissions" | "BatchGrantPermissions" | "BatchRevokePermissions"
> = {
  GrantPermissions: single(true),
  RevokePermissions: single(false),
  BatchGrantPermissions: batch(true),
  BatchRevokePermissions: batch(false),
};
