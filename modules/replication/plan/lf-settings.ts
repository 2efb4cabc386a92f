// Data lake settings and registered locations. PutDataLakeSettings replaces the whole settings
// object in AWS, and the replay does the same with the mapped settings, except for the protected
// admins of the mapping rules (`__merge.keepAdmins`): it is planned as a `merge` so the executor
// keeps those the target has (never adding absent ones), as `sync --delete` does
// (modules/mapping/settings.ts settledAdmins, modules/operations/merge.ts).
import { mapRegisteredLocation } from "../../mapping/lf-resource.ts";
import { mapDataLakeSettings } from "../../mapping/settings.ts";
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
    const directives: MergeDirectives = { keepAdmins: protectedAdmins(ctx) };
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
