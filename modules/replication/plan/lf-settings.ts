// Data lake settings and registered locations. PutDataLakeSettings replaces the whole settings
// object in AWS, so it is planned as a `merge`: the executor unions the admins with the target's
// current admins and with `__merge.keepAdmins` (the replicator role), so a replay never removes
// the target's own admins nor the role that replicates (see modules/operations/runner.ts).
import { mapAccount, mapArn, mapPrincipal } from "../../mapping/mapping.ts";
import {
  deregisterResource,
  putDataLakeSettings,
  registerOrUpdateResource,
  registerResource,
} from "../../operations/build/index.ts";
import type { MergeDirectives } from "../../operations/directives.ts";
import {
  apply,
  compact,
  destination,
  type EventPlanners,
  type Json,
  mapDataLakePrincipal,
  mapPrincipalPermissions,
  type PlanContext,
} from "./context.ts";

function mapPrincipals(list: unknown, ctx: PlanContext): unknown {
  return Array.isArray(list) ? list.map((p) => mapDataLakePrincipal(p, ctx.rules)) : list;
}

function adminIds(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((p) =>
    typeof p?.DataLakePrincipalIdentifier === "string" ? [p.DataLakePrincipalIdentifier] : [],
  );
}

export function mapDataLakeSettings(settings: Json, ctx: PlanContext): Json {
  const out: Json = {
    ...settings,
    DataLakeAdmins: mapPrincipals(settings.DataLakeAdmins, ctx),
    ReadOnlyAdmins: mapPrincipals(settings.ReadOnlyAdmins, ctx),
    CreateDatabaseDefaultPermissions: mapPrincipalPermissions(
      settings.CreateDatabaseDefaultPermissions,
      ctx.rules,
    ),
    CreateTableDefaultPermissions: mapPrincipalPermissions(settings.CreateTableDefaultPermissions, ctx.rules),
    ExternalDataFilteringAllowList: mapPrincipals(settings.ExternalDataFilteringAllowList, ctx),
    TrustedResourceOwners: Array.isArray(settings.TrustedResourceOwners)
      ? settings.TrustedResourceOwners.map((a) => (typeof a === "string" ? mapAccount(a, ctx.rules) : a))
      : undefined,
  };
  return compact(out);
}

export const settingsPlanners: EventPlanners<
  "PutDataLakeSettings" | "RegisterResource" | "DeregisterResource"
> = {
  PutDataLakeSettings: ({ input }, ctx) => {
    const settings = mapDataLakeSettings(input.DataLakeSettings, ctx);
    const role = ctx.options.replicatorRoleArn;
    const keepAdmins = role ? [role] : [];
    const admins = adminIds(settings.DataLakeAdmins);
    // The desired list itself already keeps the replicator, so even a plain put stays safe.
    for (const id of keepAdmins) if (!admins.includes(id)) admins.push(id);
    settings.DataLakeAdmins = admins.map((id) => ({ DataLakePrincipalIdentifier: id }));
    const directives: MergeDirectives = { keepAdmins };
    return apply([putDataLakeSettings(destination(ctx, input.CatalogId), settings, directives)]);
  },
  RegisterResource: ({ input }, ctx) => {
    const resourceArn = mapArn(input.ResourceArn, ctx.rules);
    const roleArn = typeof input.RoleArn === "string" ? mapPrincipal(input.RoleArn, ctx.rules) : undefined;
    const registration = compact({ ...input, ResourceArn: resourceArn, RoleArn: roleArn });
    const to = destination(ctx);
    return apply([
      roleArn
        ? registerOrUpdateResource(to, registration, { ResourceArn: resourceArn, RoleArn: roleArn })
        : registerResource(to, registration),
    ]);
  },
  DeregisterResource: ({ input }, ctx) =>
    apply([deregisterResource(destination(ctx), mapArn(input.ResourceArn, ctx.rules))]),
};
