// Glue database events. A replayed CreateDatabase converges on UpdateDatabase when the database
// already exists in the target.

import { mapDatabaseInput } from "../../mapping/catalog-inputs.ts";
import { isIncluded } from "../../mapping/mapping.ts";
import { createOrUpdateDatabase, deleteDatabase, updateDatabase } from "../../operations/build/index.ts";
import type { DatabaseInput } from "../change.ts";
import {
  apply,
  destination,
  type EventPlanners,
  ignore,
  type Json,
  mapPrincipalPermissions,
  type PlanContext,
} from "./context.ts";

function targetDatabaseInput(input: DatabaseInput, ctx: PlanContext): Json {
  const mapped = mapDatabaseInput(input, ctx.rules);
  if (mapped.CreateTableDefaultPermissions !== undefined) {
    mapped.CreateTableDefaultPermissions = mapPrincipalPermissions(
      mapped.CreateTableDefaultPermissions,
      ctx.rules,
    );
  }
  return mapped;
}

const excluded = (db: string) => ignore(`database ${db} is excluded by the filters`);

export const databasePlanners: EventPlanners<"CreateDatabase" | "UpdateDatabase" | "DeleteDatabase"> = {
  CreateDatabase: ({ input }, ctx) => {
    const name = input.DatabaseInput.Name;
    if (!isIncluded(ctx.rules, name)) return excluded(name);
    const databaseInput = targetDatabaseInput(input.DatabaseInput, ctx);
    const tags = input.Tags ? { Tags: input.Tags } : {};
    return apply([createOrUpdateDatabase(destination(ctx, input.CatalogId), databaseInput, tags)]);
  },
  UpdateDatabase: ({ input }, ctx) => {
    if (!isIncluded(ctx.rules, input.Name)) return excluded(input.Name);
    const databaseInput = targetDatabaseInput(input.DatabaseInput, ctx);
    return apply([updateDatabase(destination(ctx, input.CatalogId), input.Name, databaseInput)]);
  },
  DeleteDatabase: ({ input }, ctx) => {
    if (!isIncluded(ctx.rules, input.Name)) return excluded(input.Name);
    return apply([deleteDatabase(destination(ctx, input.CatalogId), input.Name)]);
  },
};
