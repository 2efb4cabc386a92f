// Data lake settings and registered locations. PutDataLakeSettings replaces the whole settings
// object in AWS, so it is planned as a `merge`: the executor unions the admins with the target's
// current admins and with `__merge.keepAdmins` (the replicator role), so a replay never removes
// the target's own admins nor the role that replicates (see modules/operations/runner.ts).
import { mapAccount, mapArn, mapPrincipal } from "../../mapping/mapping.ts";
import { Phase, resourceKeys } from "../../operations/operation.ts";
import { type MergeDirectives, mergeField } from "../../operations/runner.ts";
import {
  apply,
  catalogField,
  catalogKey,
  compact,
  type EventPlanners,
  type Json,
  mapDataLakePrincipal,
  mapPrincipalPermissions,
  operation,
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
    return apply([
      operation(ctx, {
        service: "lakeformation",
        operation: "PutDataLakeSettings",
        input: {
          ...catalogField(input.CatalogId, ctx.rules),
          DataLakeSettings: settings,
          [mergeField]: directives,
        },
        resourceKey: resourceKeys.settings(catalogKey(input.CatalogId, ctx)),
        idempotency: "merge",
        phase: Phase.settings,
        description: `merge data lake settings (admins: ${admins.join(", ") || "none"}; target admins kept)`,
      }),
    ]);
  },
  RegisterResource: ({ input }, ctx) => {
    const resourceArn = mapArn(input.ResourceArn, ctx.rules);
    const roleArn = typeof input.RoleArn === "string" ? mapPrincipal(input.RoleArn, ctx.rules) : undefined;
    const key = resourceKeys.location(resourceArn);
    return apply([
      operation(ctx, {
        service: "lakeformation",
        operation: "RegisterResource",
        input: compact({ ...input, ResourceArn: resourceArn, RoleArn: roleArn }),
        resourceKey: key,
        idempotency: "create",
        phase: Phase.locations,
        description: `register location ${resourceArn}`,
        ...(roleArn
          ? {
              onExists: {
                service: "lakeformation" as const,
                operation: "UpdateResource",
                input: { ResourceArn: resourceArn, RoleArn: roleArn },
                resourceKey: key,
                idempotency: "upsert" as const,
                phase: Phase.locations,
                description: `update location ${resourceArn} to role ${roleArn} (it is already registered)`,
              },
            }
          : {}),
      }),
    ]);
  },
  DeregisterResource: ({ input }, ctx) => {
    const resourceArn = mapArn(input.ResourceArn, ctx.rules);
    return apply([
      operation(ctx, {
        service: "lakeformation",
        operation: "DeregisterResource",
        input: { ResourceArn: resourceArn },
        resourceKey: resourceKeys.location(resourceArn),
        idempotency: "delete",
        phase: Phase.locations,
        description: `deregister location ${resourceArn}`,
      }),
    ]);
  },
};
