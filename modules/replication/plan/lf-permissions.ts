// Lake Formation grants and revokes, with principals and resources mapped; batches split at 20.
import { excludedResource, mapLfResource } from "../../mapping/lf-resource.ts";
import { mapDataLakePrincipal } from "../../mapping/settings.ts";
import {
  batchGrantPermissions,
  batchRevokePermissions,
  grantPermissions,
  revokePermissions,
} from "../../operations/build/index.ts";
import type { PermissionsEntry } from "../change.ts";
import {
  apply,
  compact,
  destination,
  type EventPlanners,
  ignore,
  isObject,
  type Json,
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

function single(grant: boolean) {
  return ({ input }: { input: { CatalogId?: string } & PermissionsEntry }, ctx: PlanContext): Plan => {
    const { CatalogId, ...entry } = input;
    const why = isObject(entry.Resource) ? excludedResource(entry.Resource, ctx.rules) : undefined;
    if (why) return ignore(why);
    const build = grant ? grantPermissions : revokePermissions;
    return apply([build(destination(ctx, CatalogId), mapEntry(entry, ctx))]);
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
    const build = grant ? batchGrantPermissions : batchRevokePermissions;
    return apply(build(destination(ctx, input.CatalogId), entries));
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
