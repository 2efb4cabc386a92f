// Data lake settings and registered locations. PutDataLakeSettings replaces the whole settings
// object in AWS, so it is planned as a `merge`: the executor unions the admins with the target's
// current admins and with `__merge.keepAdmins` (the protected admins of the mapping rules), so a
// replay never removes the target's own admins nor lakesync's roles (see modules/operations/merge.ts).
import { mapRegisteredLocation } from "../../mapping/lf-resource.ts";
import { adminIds, adminList, mapDataLakeSettings, settledAdmins } from "../../mapping/settings.ts";
import {
  deregisterResource,
  putDataLakeSettings,
  registerOrUpdateResource,
  registerResource,
} from "../../operations/build/index.ts";
import type { MergeDirectives } from "../../operations/directives.ts";
import { apply, compact, destination, type EventPlanners, type PlanContext } from "./context.ts";

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
    return apply([putDataLakeSettings(destination(ctx, input.CatalogId), settings, directives)]);
  },
  RegisterResource: ({ input }, ctx) => {
    const location = mapRegisteredLocation(input, ctx.rules);
    const resourceArn = String(location.ResourceArn);
    const roleArn = typeof location.RoleArn === "string" ? location.RoleArn : undefined;
    const registration = compact(location);
    const to = destination(ctx);
    return apply([
      roleArn
        ? registerOrUpdateResource(to, registration, { ResourceArn: resourceArn, RoleArn: roleArn })
        : registerResource(to, registration),
    ]);
  },
  DeregisterResource: ({ input }, ctx) =>
    apply([
      deregisterResource(
        destination(ctx),
        String(mapRegisteredLocation({ ResourceArn: input.ResourceArn }, ctx.rules).ResourceArn),
      ),
    ]),
};
