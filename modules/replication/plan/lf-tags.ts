// LF tags and their assignments. A replayed CreateLFTag on a key the target already has converges
// its values: onExists is an UpdateLFTag (merge) that adds only the values the target lacks.
import { excludedResource, mapLfResource } from "../../mapping/lf-resource.ts";
import { mapCatalogId } from "../../mapping/mapping.ts";
import {
  addLfTagsToResource,
  createOrUpdateLfTag,
  deleteLfTag,
  removeLfTagsFromResource,
  type TagPair,
  updateLfTag,
} from "../../operations/build/index.ts";
import {
  apply,
  destination,
  type EventPlanners,
  ignore,
  type Json,
  type Plan,
  type PlanContext,
} from "./context.ts";

function mapTagPairs(tags: Json[], ctx: PlanContext): TagPair[] {
  return tags.map((tag) =>
    typeof tag.CatalogId === "string" ? { ...tag, CatalogId: mapCatalogId(tag.CatalogId, ctx.rules) } : tag,
  ) as TagPair[];
}

function assignment(add: boolean) {
  return (
    { input }: { input: { CatalogId?: string; Resource: Json; LFTags: Json[] } },
    ctx: PlanContext,
  ): Plan => {
    const why = excludedResource(input.Resource, ctx.rules);
    if (why) return ignore(why);
    const build = add ? addLfTagsToResource : removeLfTagsFromResource;
    const resource = mapLfResource(input.Resource, ctx.rules);
    return apply([build(destination(ctx, input.CatalogId), resource, mapTagPairs(input.LFTags, ctx))]);
  };
}

export const tagPlanners: EventPlanners<
  "CreateLFTag" | "UpdateLFTag" | "DeleteLFTag" | "AddLFTagsToResource" | "RemoveLFTagsFromResource"
> = {
  CreateLFTag: ({ input }, ctx) =>
    apply([createOrUpdateLfTag(destination(ctx, input.CatalogId), input.TagKey, input.TagValues)]),
  // Not a merge: the executor's LF tag merge never removes values, and this replays removals.
  UpdateLFTag: ({ input }, ctx) =>
    apply([
      updateLfTag(destination(ctx, input.CatalogId), input.TagKey, {
        add: input.TagValuesToAdd,
        remove: input.TagValuesToDelete,
      }),
    ]),
  DeleteLFTag: ({ input }, ctx) => apply([deleteLfTag(destination(ctx, input.CatalogId), input.TagKey)]),
  AddLFTagsToResource: assignment(true),
  RemoveLFTagsFromResource: assignment(false),
};
