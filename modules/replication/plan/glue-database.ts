// Glue database events. A replayed CreateDatabase converges on UpdateDatabase when the database
// already exists in the target.

import { mapDatabaseInput } from "../../mapping/catalog-inputs.ts";
import { isIncluded } from "../../mapping/mapping.ts";
import { Phase, resourceKeys } from "../../operations/operation.ts";
import { apply, catalogField, catalogKey, type EventPlanners, ignore, operation } from "./context.ts";

const excluded = (db: string) => ignore(`database ${db} is excluded by the filters`);

export const databasePlanners: EventPlanners<"CreateDatabase" | "UpdateDatabase" | "DeleteDatabase"> = {
  CreateDatabase: ({ input }, ctx) => {
    const name = input.DatabaseInput.Name;
    if (!isIncluded(ctx.rules, name)) return excluded(name);
    const catalog = catalogField(input.CatalogId, ctx.rules);
    const databaseInput = mapDatabaseInput(input.DatabaseInput, ctx.rules);
    const key = resourceKeys.database(catalogKey(input.CatalogId, ctx), name);
    return apply([
      operation(ctx, {
        service: "glue",
        operation: "CreateDatabase",
        input: { ...catalog, DatabaseInput: databaseInput, ...(input.Tags ? { Tags: input.Tags } : {}) },
        resourceKey: key,
        idempotency: "create",
        phase: Phase.databases,
        description: `create database ${name}`,
        onExists: {
          service: "glue",
          operation: "UpdateDatabase",
          input: { ...catalog, Name: name, DatabaseInput: databaseInput },
          resourceKey: key,
          idempotency: "upsert",
          phase: Phase.databases,
          description: `update database ${name} (it already exists)`,
        },
      }),
    ]);
  },
  UpdateDatabase: ({ input }, ctx) => {
    if (!isIncluded(ctx.rules, input.Name)) return excluded(input.Name);
    return apply([
      operation(ctx, {
        service: "glue",
        operation: "UpdateDatabase",
        input: {
          ...catalogField(input.CatalogId, ctx.rules),
          Name: input.Name,
          DatabaseInput: mapDatabaseInput(input.DatabaseInput, ctx.rules),
        },
        resourceKey: resourceKeys.database(catalogKey(input.CatalogId, ctx), input.Name),
        idempotency: "upsert",
        phase: Phase.databases,
        description: `update database ${input.Name}`,
      }),
    ]);
  },
  DeleteDatabase: ({ input }, ctx) => {
    if (!isIncluded(ctx.rules, input.Name)) return excluded(input.Name);
    return apply([
      operation(ctx, {
        service: "glue",
        operation: "DeleteDatabase",
        input: { ...catalogField(input.CatalogId, ctx.rules), Name: input.Name },
        resourceKey: resourceKeys.database(catalogKey(input.CatalogId, ctx), input.Name),
        idempotency: "delete",
        phase: Phase.databases,
        description: `delete database ${input.Name}`,
      }),
    ]);
  },
};
