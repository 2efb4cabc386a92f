// What every event planner needs: the target, the mapping, the change's source, and small
// helpers that build TargetOperations consistently (target, sourceTime, catalog ids).
import type { Json } from "../../mapping/json.ts";
import { type MappingRules, mapCatalogId } from "../../mapping/mapping.ts";
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

type OperationSpec = Omit<TargetOperation, "target" | "sourceTime" | "onExists"> & {
  onExists?: Omit<TargetOperation, "target" | "sourceTime" | "onExists">;
};

export function operation(ctx: PlanContext, spec: OperationSpec): TargetOperation {
  const { onExists, ...rest } = spec;
  const op: TargetOperation = { target: ctx.target, ...rest, sourceTime: ctx.source.eventTime };
  if (onExists) op.onExists = { target: ctx.target, ...onExists, sourceTime: ctx.source.eventTime };
  return op;
}

/** `{CatalogId: mapped}` when the source call named a catalog; nothing otherwise (caller's default). */
export function catalogField(catalogId: unknown, rules: MappingRules, field = "CatalogId"): Json {
  return typeof catalogId === "string" ? { [field]: mapCatalogId(catalogId, rules) } : {};
}

/** The target catalog id used in resource keys. */
export function catalogKey(catalogId: unknown, ctx: PlanContext): string {
  return typeof catalogId === "string" ? mapCatalogId(catalogId, ctx.rules) : ctx.target.account;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** API limits on entries per batch call. */
export const batchLimits = {
  BatchCreatePartition: 100,
  BatchUpdatePartition: 100,
  BatchDeletePartition: 25,
  BatchDeleteTable: 100,
  BatchGrantPermissions: 20,
  BatchRevokePermissions: 20,
} as const;

/** Drops undefined members so inputs print and compare cleanly. */
export function compact(input: Json): Json {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
