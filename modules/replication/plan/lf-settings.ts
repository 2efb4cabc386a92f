// Data lake settings and registered locations. PutDataLakeSettings replaces the whole settings
// object in AWS, so it is planned as a `merge`: the executor unions the admins with the target's
// current admins and with `__merge.keepAdmins` (the protected admins of the mapping rules), so a
// replay never removes the target's own admins nor lakesync's roles (see modules/operations/merge.ts).
import { mapRegisteredLocation } from "../../mapping/lf-resource.ts";
import {
  adminIds,
  adminList,
  mapDataLakeSettings,
  protectedAdminsNote,
  settledAdmins,
} from "../../mapping/settings.ts";
import { Phase, resourceKeys } from "../../operations/operation.ts";
import { type MergeDirectives, mergeField } from "../../operations/runner.ts";
import {
  apply,
  catalogField,
  catalogKey,
  compact,
  type EventPlanners,
  operation,
  type PlanContext,
} from "./context.ts";

/** The rules' protected admins, and the replicator role callers still name in the options. */
function protectedAdmins(ctx: PlanContext): string[] {
  const role = ctx.options.replicatorRoleArn;
  return [...new Set([...ctx.rules.protectedAdmins, ...(role ? [role] : [])])];
}

export const settingsPlanners: EventPlanners<
  "PutDataLakeSettings" | "RegisterResource" | "DeregisterResource"
> = {
  PutDataLakeSettings: ({ input }, ctx) => {
    const settings = compact(mapDataLakeSettings(input.DataLakeSettings, ctx.rules));
    const keepAdmins = protectedAdmins(ctx);
    // The desired list itself already keeps the protected admins, so even a plain put stays safe.
    const admins = settledAdmins({ current: [], desired: adminIds(settings), keep: keepAdmins, remove: [] });
    settings.DataLakeAdmins = adminList(admins);
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
        description: `merge data lake settings (admins: ${admins.join(", ") || "none"}; target admins kept${keepAdmins.length > 0 ? `; ${protectedAdminsNote(keepAdmins)}` : ""})`,
      }),
    ]);
  },
  RegisterResource: ({ input }, ctx) => {
    const location = mapRegisteredLocation(input, ctx.rules);
    const resourceArn = String(location.ResourceArn);
    const roleArn = typeof location.RoleArn === "string" ? location.RoleArn : undefined;
    const key = resourceKeys.location(resourceArn);
    return apply([
      operation(ctx, {
        service: "lakeformation",
        operation: "RegisterResource",
        input: compact(location),
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
    const resourceArn = String(
      mapRegisteredLocation({ ResourceArn: input.ResourceArn }, ctx.rules).ResourceArn,
    );
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
