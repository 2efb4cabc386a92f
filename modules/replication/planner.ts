// The realtime planner: a CatalogChange (or a whole CloudTrail record) becomes the
// TargetOperations that replay it on one target, with every identity mapped. Pure.
import type { MappingRules } from "../mapping/mapping.ts";
import { readOperation } from "../operations/build/index.ts";
import type { CatalogLocation, TargetOperation } from "../operations/operation.ts";
import type { CatalogChange, EventName, SourceRead } from "./change.ts";
import type { CloudTrailRecord } from "./cloudtrail-record.ts";
import type {
  EventPlanner,
  EventPlanners,
  Plan,
  PlanContext,
  PlanOptions,
  ReplicateSwitches,
} from "./plan/context.ts";
import { databasePlanners } from "./plan/glue-database.ts";
import { partitionPlanners } from "./plan/glue-partition.ts";
import { tablePlanners } from "./plan/glue-table.ts";
import { dataCellsPlanners } from "./plan/lf-data-cells.ts";
import { permissionPlanners } from "./plan/lf-permissions.ts";
import { settingsPlanners } from "./plan/lf-settings.ts";
import { tagPlanners } from "./plan/lf-tags.ts";
import { toChange } from "./to-change.ts";

export type { Plan, PlanOptions, PlanOutcome, ReplicateSwitches } from "./plan/context.ts";

const planners: EventPlanners<EventName> = {
  ...databasePlanners,
  ...tablePlanners,
  ...partitionPlanners,
  ...permissionPlanners,
  ...tagPlanners,
  ...settingsPlanners,
  ...dataCellsPlanners,
};

/** The `replicate` switch that governs each event. */
const switchOf: Record<EventName, keyof ReplicateSwitches> = {
  CreateDatabase: "catalog",
  UpdateDatabase: "catalog",
  DeleteDatabase: "catalog",
  CreateTable: "catalog",
  UpdateTable: "catalog",
  DeleteTable: "catalog",
  BatchDeleteTable: "catalog",
  CreatePartition: "catalog",
  BatchCreatePartition: "catalog",
  UpdatePartition: "catalog",
  BatchUpdatePartition: "catalog",
  DeletePartition: "catalog",
  BatchDeletePartition: "catalog",
  GrantPermissions: "permissions",
  RevokePermissions: "permissions",
  BatchGrantPermissions: "permissions",
  BatchRevokePermissions: "permissions",
  CreateLFTag: "lfTags",
  UpdateLFTag: "lfTags",
  DeleteLFTag: "lfTags",
  AddLFTagsToResource: "lfTags",
  RemoveLFTagsFromResource: "lfTags",
  PutDataLakeSettings: "dataLakeSettings",
  RegisterResource: "dataLakeSettings",
  DeregisterResource: "dataLakeSettings",
  CreateDataCellsFilter: "dataCellsFilters",
  UpdateDataCellsFilter: "dataCellsFilters",
  DeleteDataCellsFilter: "dataCellsFilters",
};

/** Deletes of catalog objects, governed by `replicate.deletes` as well. */
const catalogDeletes = new Set<EventName>([
  "DeleteDatabase",
  "DeleteTable",
  "BatchDeleteTable",
  "DeletePartition",
  "BatchDeletePartition",
]);

/** Why the config's `replicate` switches turn this event off, or undefined when it is replicated. */
export function switchedOff(eventName: EventName, switches: ReplicateSwitches = {}): string | undefined {
  const governing = switchOf[eventName];
  if (switches[governing] === false) return `replicate.${governing} is off`;
  if (catalogDeletes.has(eventName) && switches.deletes === false) return "replicate.deletes is off";
  return undefined;
}

export function planChange(
  change: CatalogChange,
  target: CatalogLocation,
  rules: MappingRules,
  options: PlanOptions = {},
): Plan {
  const off = switchedOff(change.kind, options.replicate);
  if (off) return { outcome: "ignore", reason: off, operations: [] };
  const ctx: PlanContext = { target, rules, options, source: change.source };
  const planner = planners[change.kind] as EventPlanner<typeof change.kind>;
  return planner(change as never, ctx);
}

/** Source reads as operations against the source catalog (idempotency "read"). */
export function readOperations(
  reads: SourceRead[],
  source: CatalogLocation,
  sourceTime: string,
): TargetOperation[] {
  return reads.map((read) => readOperation({ target: source, sourceTime }, read));
}

/**
 * Decodes and plans one record. Throws TranslateError (a member the model does not know) or
 * UnrecoverableEventError (omitted parameters nothing can re-read): the event then fails.
 */
export function planRecord(
  record: CloudTrailRecord,
  target: CatalogLocation,
  rules: MappingRules,
  options: PlanOptions = {},
): Plan {
  const decoded = toChange(record);
  switch (decoded.outcome) {
    case "change":
      return planChange(decoded.change, target, rules, options);
    case "refetch": {
      const source: CatalogLocation = {
        name: "source",
        account: decoded.source.account,
        region: decoded.source.region,
      };
      return {
        outcome: "refetch",
        reason: decoded.reason,
        operations: readOperations(decoded.reads, source, decoded.source.eventTime),
      };
    }
    default:
      return { outcome: decoded.outcome, reason: decoded.reason, operations: [] };
  }
}
