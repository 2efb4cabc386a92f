// Glue database events. A replayed CreateDatabase converges on UpdateDatabase when the database
// already exists in the target.

import { mapDatabaseInput } from "../../mapping/catalog-inputs.ts";
import { isIncluded } from "../../mapping/mapping.ts";
import { createOrUpdateDatabase, deleteDatabase, updateDatabase } from "../../operations/build/index.ts";
import { apply, destination, type EventPlanners, ignore } from "./context.ts";

const excluded = (db: string) => ignore(`database ${db} is excluded by the filters`);

export const databasePlanners: EventPlanners<"CreateDatabase" | "UpdateDatabase" | "DeleteDatabase"> = {
  CreateDatabase: ({ input }, ctx) => {
    const name = input.DatabaseInput.Name;
    if (!isIncluded(ctx.rules, name)) return excluded(name);
    const databaseInput = mapDatabaseInput(input.DatabaseInput, ctx.rules);
    const tags = input.Tags ? { Tags: input.Tags } : {};
    return apply([createOrUpdateDatabase(destination(ctx, input.CatalogId), databaseInput, tags)]);
  },
  UpdateDatabase: ({ input }, ctx) => {
    if (!isIncluded(ctx.rules, input.Name)) return excluded(input.Name);
    const databaseInput = mapDatabaseInput(input.DatabaseInput, ctx.rules);
    return apply([updateDatabase(destination(ctx, input.CatalogId), input.Name, databaseInput)]);
  },
  DeleteDatabase: ({ input }, ctx) => {
    if (!isIncluded(ctx.rules, input.Name)) return excluded(input.Name);
    return apply([deleteDatabase(destination(ctx, input.CatalogId), input.Name)]);
  },
};
