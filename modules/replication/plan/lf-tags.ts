// LF tags and their assignments. A replayed CreateLFTag on a key the target already has converges
// its values: onExists is an UpdateLFTag (merge) that adds only the values the target lacks.
import { excludedResource, mapLfResource } from "../../mapping/lf-resource.ts";
import { mapCatalogId } from "../../mapping/mapping.ts";
import { Phase, resourceKeys } from "../../operations/operation.ts";
import {
  apply,
  catalogField,
  catalogKey,
  type EventPlanners,
  ignore,
  isObject,
  type Json,
  operation,
  type Plan,
  type PlanContext,
} from "./context.ts";

function mapTagPairs(tags: Json[], ctx: PlanContext): Json[] {
  return tags.map((tag) =>
    typeof tag.CatalogId === "string" ? { ...tag, CatalogId: mapCatalogId(tag.CatalogId, ctx.rules) } : tag,
  );
}

function assignment(add: boolean) {
  return (
    { input }: { input: { CatalogId?: string; Resource: Json; LFTags: Json[] } },
    ctx: PlanContext,
  ): Plan => {
    const why = excludedResource(input.Resource, ctx.rules);
    if (why) return ignore(why);
    const resource = mapLfResource(input.Resource, ctx.rules);
    const keys = input.LFTags.map((t) => String(t.TagKey)).join(", ");
    return apply([
      operation(ctx, {
        service: "lakeformation",
        operation: add ? "AddLFTagsToResource" : "RemoveLFTagsFromResource",
        input: {
          ...catalogField(input.CatalogId, ctx.rules),
          Resource: resource,
          LFTags: mapTagPairs(input.LFTags, ctx),
        },
        resourceKey: resourceKeys.tagAssignment(resource),
        idempotency: add ? "upsert" : "delete",
        phase: Phase.tagAssignments,
        description: `${add ? "add" : "remove"} LF tags ${keys} ${add ? "to" : "from"} ${describe(resource)}`,
      }),
    ]);
  };
}

function describe(resource: Json): string {
  const [kind, value] = Object.entries(resource)[0] ?? ["resource", {}];
  if (!isObject(value)) return kind;
  const name = [value.DatabaseName, value.Name].filter((v) => typeof v === "string").join(".");
  return `${kind} ${name}`.trim();
}

export const tagPlanners: EventPlanners<
  "CreateLFTag" | "UpdateLFTag" | "DeleteLFTag" | "AddLFTagsToResource" | "RemoveLFTagsFromResource"
> = {
  CreateLFTag: ({ input }, ctx) => {
    const catalog = catalogField(input.CatalogId, ctx.rules);
    const key = resourceKeys.lfTag(catalogKey(input.CatalogId, ctx), input.TagKey);
    return apply([
      operation(ctx, {
        service: "lakeformation",
        operation: "CreateLFTag",
        input: { ...catalog, TagKey: input.TagKey, TagValues: input.TagValues },
        resourceKey: key,
        idempotency: "create",
        phase: Phase.lfTags,
        description: `create LF tag ${input.TagKey} = ${input.TagValues.join(", ")}`,
        onExists: {
          service: "lakeformation",
          operation: "UpdateLFTag",
          input: { ...catalog, TagKey: input.TagKey, TagValuesToAdd: input.TagValues },
          resourceKey: key,
          idempotency: "merge",
          phase: Phase.lfTags,
          description: `add the missing values of LF tag ${input.TagKey} (it already exists)`,
        },
      }),
    ]);
  },
  UpdateLFTag: ({ input }, ctx) =>
    apply([
      operation(ctx, {
        service: "lakeformation",
        operation: "UpdateLFTag",
        input: {
          ...catalogField(input.CatalogId, ctx.rules),
          TagKey: input.TagKey,
          ...(input.TagValuesToAdd ? { TagValuesToAdd: input.TagValuesToAdd } : {}),
          ...(input.TagValuesToDelete ? { TagValuesToDelete: input.TagValuesToDelete } : {}),
        },
        resourceKey: resourceKeys.lfTag(catalogKey(input.CatalogId, ctx), input.TagKey),
        // Not a merge: the executor's LF tag merge never removes values, and this replays removals.
        idempotency: "upsert",
        phase: Phase.lfTags,
        description: `update LF tag ${input.TagKey}`,
      }),
    ]),
  DeleteLFTag: ({ input }, ctx) =>
    apply([
      operation(ctx, {
        service: "lakeformation",
        operation: "DeleteLFTag",
        input: { ...catalogField(input.CatalogId, ctx.rules), TagKey: input.TagKey },
        resourceKey: resourceKeys.lfTag(catalogKey(input.CatalogId, ctx), input.TagKey),
        idempotency: "delete",
        phase: Phase.lfTags,
        description: `delete LF tag ${input.TagKey}`,
      }),
    ]),
  AddLFTagsToResource: assignment(true),
  RemoveLFTagsFromResource: assignment(false),
};
