// What every event planner needs: the target, the mapping, the change's source, and
// `destination`, which the operation builders (modules/operations/build/) take.
import type { Json } from "../../mapping/json.ts";
import { type MappingRules, mapCatalogId } from "../../mapping/mapping.ts";
import type { Destination } from "../../operations/build/index.ts";
import type { CatalogLocation, TargetOperation } from "../../operations/operation.ts";
import type { CatalogChange, ChangeSource, EventName } from "../change.ts";

export { isObject, type Json } from "../../mapping/json.ts";

/** Which kinds of change are replicated (config `replicate`); everything when absent. */
export interface ReplicateSwitches {
  catalog?: boolean;
  permissions?: boolean;
  lfTags?: boolean;
  dataLakeSettings?: boolean;
  dataCellsFilters?: boolean;
  deletes?: boolean;
}

export interface PlanOptions {
  /**
   * The role the replicator runs as in the target: it must stay a data lake admin there. A
   * protected admin like MappingRules.protectedAdmins, which will name it once every caller
   * builds its rules with the target resolver.
   */
  replicatorRoleArn?: string;
  replicate?: ReplicateSwitches;
}

export type PlanOutcome = "apply" | "ignore" | "unsupported" | "refetch";

export interface Plan {
  outcome: PlanOutcome;
  reason?: string;
  operations: TargetOperation[];
}

export interface PlanContext {
  target: CatalogLocation;
  rules: MappingRules;
  options: PlanOptions;
  source: ChangeSource;
}

export type EventPlanner<K extends EventName> = (
  change: Extract<CatalogChange, { kind: K }>,
  ctx: PlanContext,
) => Plan;

export type EventPlanners<K extends EventName> = { [E in K]: EventPlanner<E> };

export const apply = (operations: TargetOperation[]): Plan => ({ outcome: "apply", operations });
export const ignore = (reason: string): Plan => ({ outcome: "ignore", reason, operations: [] });

/**
 * Where the change's operations go: the target, the catalog the source call named (mapped; none
 * means the target's default catalog) and the change's time. Builders take it as is.
 */
export function destination(ctx: PlanContext, catalogId?: unknown): Destination {
  return {
    target: ctx.target,
    ...(typeof catalogId === "string" ? { catalogId: mapCatalogId(catalogId, ctx.rules) } : {}),
    sourceTime: ctx.source.eventTime,
  };
}

/** Drops undefined members so inputs print and compare cleanly. */
export function compact(input: Json): Json {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
