// The one operation vocabulary. The realtime planner (CloudTrail event -> change -> operations),
// the batch diff (snapshot vs snapshot -> operations) and the mesh reconciler all emit
// TargetOperation values; the executor is the only code that turns them into write calls.
import type { GlueApi, LakeFormationApi, RamApi } from "./apis.ts";
import type { GlueInputs, LakeFormationInputs, RamInputs } from "./sdk-inputs.ts";

/** A catalog that operations are applied to (a configured target, or the source for refetches). */
export interface CatalogLocation {
  /** The configured name ("dr-west"); "source" for reads against the source. */
  name: string;
  account: string;
  region: string;
  roleArn?: string;
}

export type Service = "glue" | "lakeformation" | "ram";

/**
 * How the executor treats "already done" answers:
 * - create: AlreadyExists means the object is there -> noop (the executor may fall back to an update op
 *   given in `onExists`).
 * - upsert: a write that is correct whether or not the object exists (UpdateTable, PutDataLakeSettings).
 * - delete: EntityNotFound -> noop.
 * - grant / revoke: Lake Formation grants; already granted / not granted -> noop.
 * - merge: read-modify-write of a shared object (data lake admins, LF tag values).
 * - read: a source read (refetch), never a write.
 */
export type Idempotency = "create" | "upsert" | "delete" | "grant" | "revoke" | "merge" | "read";

/**
 * Dependency order used by batch restore/sync (and to order operations of one realtime event):
 * databases -> tables -> partitions -> LF tags -> tag assignments -> permissions -> settings.
 * Deletes run in the reverse order.
 */
export const Phase = {
  settings: 0, // data lake settings first when creating: admins must exist before grants
  locations: 1,
  databases: 2,
  tables: 3,
  partitions: 4,
  lfTags: 5,
  dataCellsFilters: 6,
  tagAssignments: 7,
  permissions: 8,
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

type Json = Record<string, unknown>;

/** What every operation carries besides the API call itself. */
interface OperationFields {
  target: CatalogLocation;
  /** Identifies the resource written, for ordering, dedupe and high-water marks (see resourceKeys). */
  resourceKey: string;
  idempotency: Idempotency;
  phase: Phase;
  /** Source eventTime (ISO 8601) of the change that produced the operation (realtime only). */
  sourceTime?: string;
  /** Human-readable summary for plans: "create table sales.orders". */
  description: string;
}

/**
 * The AWS SDK v3 command input, exactly as the command takes it (plus executor directives, see
 * directives.ts). Also a plain record, so code that handles every operation alike (batch entries,
 * high-water guards, runners) reads fields by name.
 */
export type OperationInput<Input> = Input & Json;

type GlueOperationOf<Api extends GlueApi> = OperationFields & {
  service: "glue";
  operation: Api;
  input: OperationInput<GlueInputs[Api]>;
};
type LakeFormationOperationOf<Api extends LakeFormationApi> = OperationFields & {
  service: "lakeformation";
  operation: Api;
  input: OperationInput<LakeFormationInputs[Api]>;
};

type RamOperationOf<Api extends RamApi> = OperationFields & {
  service: "ram";
  operation: Api;
  input: OperationInput<RamInputs[Api]>;
};

/** One API call, without a fallback: what `onExists` holds. */
export type SingleOperation =
  | { [Api in GlueApi]: GlueOperationOf<Api> }[GlueApi]
  | { [Api in LakeFormationApi]: LakeFormationOperationOf<Api> }[LakeFormationApi]
  | { [Api in RamApi]: RamOperationOf<Api> }[RamApi];

/**
 * A write (or read) on one catalog, keyed by the AWS API name: `op.operation === "CreateTable"`
 * narrows `op.input` to the CreateTable input. Built by modules/operations/build/.
 */
export type TargetOperation = SingleOperation & {
  /** For `create`: the operation to run instead when the object already exists (e.g. UpdateTable). */
  onExists?: SingleOperation;
};

export type OperationName = TargetOperation["operation"];
export type OperationOf<Name extends OperationName> = Extract<TargetOperation, { operation: Name }>;

/**
 * The same operation with its input (or name) changed by code that handles every operation alike:
 * batch chunks, merge reads and writes, entries a guard dropped. The caller keeps the API's shape.
 */
export function rewritten(
  operation: SingleOperation,
  change: { operation?: OperationName; input: Json; idempotency?: Idempotency; description?: string },
): TargetOperation {
  return { ...operation, ...change } as TargetOperation;
}

export type Outcome =
  | { status: "applied" }
  | { status: "noop"; reason: string }
  | { status: "skipped"; reason: string }
  | { status: "unsupported"; reason: string }
  | { status: "failed"; reason: string; attempts: number; retryable: boolean };

export type OutcomeStatus = Outcome["status"];

/** Builders for resourceKey, so every producer names a resource the same way. */
export const resourceKeys = {
  catalog: (catalogId: string) => `catalog:${catalogId}`,
  database: (catalogId: string, database: string) => `database:${catalogId}/${database}`,
  table: (catalogId: string, database: string, table: string) => `table:${catalogId}/${database}/${table}`,
  partition: (catalogId: string, database: string, table: string, values: readonly string[]) =>
    `partition:${catalogId}/${database}/${table}/${JSON.stringify(values)}`,
  lfTag: (catalogId: string, key: string) => `lftag:${catalogId}/${key}`,
  dataCellsFilter: (catalogId: string, database: string, table: string, name: string) =>
    `datacellsfilter:${catalogId}/${database}/${table}/${name}`,
  location: (arn: string) => `location:${arn}`,
  settings: (catalogId: string) => `settings:${catalogId}`,
  /** A RAM resource share invitation (the mesh's consumers accept the central account's). */
  shareInvitation: (arn: string) => `share-invitation:${arn}`,
  /** Permissions are keyed by principal and resource: one grant identity. */
  permission: (principal: string, resource: unknown) => `permission:${principal}|${stableJson(resource)}`,
  tagAssignment: (resource: unknown) => `lftags-on:${stableJson(resource)}`,
  partitionIndex: (catalogId: string, database: string, table: string, index: string) =>
    `table:${catalogId}/${database}/${table}#index:${index}`,
} as const;

/** JSON with sorted object keys: equal values give equal strings. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
