// The one path restore and sync share: a source snapshot (live or from a backup) mapped into
// target terms vs the target's snapshot -> differences -> operations -> the executor. Unchanged
// objects produce no difference and so no write. `diff` stops after the differences.
import { type Difference, type DiffScope, diffSnapshots, mapSnapshot } from "../catalog/diff.ts";
import { differencesToOperations, streamOperations } from "../catalog/diff-to-operations.ts";
import type { RecordStream, SnapshotKind } from "../catalog/model.ts";
import type { MappingRules } from "../mapping/mapping.ts";
import {
  type ExecuteDeps,
  type ExecutionReport,
  type ExecutionSummary,
  execute,
  type OperationResult,
  summarize,
} from "../operations/executor.ts";
import type { CatalogLocation, TargetOperation } from "../operations/operation.ts";
import { isRemoval, schedule } from "../operations/ordering.ts";
import { type DeleteGuard, MassDeleteError, massDeleteProblem } from "./delete-guard.ts";

export interface ReconcileInput {
  /** Source records in source terms; they are mapped with `rules` here. */
  source: RecordStream;
  target: RecordStream;
  rules: MappingRules;
  location: CatalogLocation;
  deleteSync: boolean;
  kinds?: readonly SnapshotKind[];
  /** Refuses deletes over a share of the target, or from an empty source (delete-guard.ts). */
  deleteGuard?: DeleteGuard;
}

export interface ReconcilePlan {
  location: CatalogLocation;
  differences: Difference[];
  operations: TargetOperation[];
  /** Target-only objects (or parts) left in place because delete-sync is off. */
  kept: number;
  /** Target-only objects the plan deletes: every plan states this count. */
  deletes: number;
  /** Why the guard refuses the deletes (a dry run shows it; applying throws MassDeleteError). */
  refusedDeletes?: string;
}

/**
 * The whole plan in memory (differences and operations): for showing a plan. Applying a large
 * catalog goes through reconcileInWindows, which holds a window of operations, not the plan.
 */
export async function planReconcile(input: ReconcileInput): Promise<ReconcilePlan> {
  const scope: DiffScope = { filters: input.rules.filters, ...(input.kinds ? { kinds: input.kinds } : {}) };
  const differences: Difference[] = [];
  const counted = countedSides(input);
  for await (const difference of diffSnapshots(counted.source, counted.target, {
    deleteSync: input.deleteSync,
    scope,
    protectedAdmins: input.rules.protectedAdmins,
  })) {
    differences.push(difference);
  }
  const operations = differencesToOperations(differences, input.location, input.rules);
  const deletes = differences.filter(isAppliedDelete).length;
  const refusedDeletes = massDeleteProblem({ ...counted.counts, deletes }, input.deleteGuard);
  return {
    location: input.location,
    differences,
    operations,
    kept: differences.filter((d) => d.kept).length,
    deletes,
    ...(refusedDeletes ? { refusedDeletes } : {}),
  };
}

export async function applyPlan(plan: ReconcilePlan, deps: ExecuteDeps): Promise<ExecutionReport> {
  return execute(plan.operations, deps);
}

/** A target-only object the plan deletes (delete-sync on): what the guard weighs. */
const isAppliedDelete = (d: Difference) => d.change === "delete" && !d.kept;

/**
 * The guard decided before anything is written: the diff streamed once, counting, holding
 * nothing. Applying streams additions as it goes, so a refusal found only at the end would come
 * after them; commands that apply a delete-sync run this first. Throws MassDeleteError.
 */
export async function checkDeleteGuard(input: ReconcileInput): Promise<void> {
  if (!input.deleteSync || !input.deleteGuard || input.deleteGuard.allowMassDelete) return;
  const scope: DiffScope = { filters: input.rules.filters, ...(input.kinds ? { kinds: input.kinds } : {}) };
  const counted = countedSides(input);
  let deletes = 0;
  for await (const difference of diffSnapshots(counted.source, counted.target, {
    deleteSync: true,
    scope,
    protectedAdmins: input.rules.protectedAdmins,
  })) {
    if (isAppliedDelete(difference)) deletes += 1;
  }
  const refused = massDeleteProblem({ ...counted.counts, deletes }, input.deleteGuard);
  if (refused) throw new MassDeleteError(`${input.location.name}: ${refused}`);
}

const catalogKinds: ReadonlySet<SnapshotKind> = new Set(["database", "table", "partition"]);

/** The mapped source and the target, counting what the delete guard weighs as they stream by. */
function countedSides(input: ReconcileInput) {
  const counts = { sourceCatalogObjects: 0, targetObjects: 0 };
  const source = async function* () {
    for await (const record of mapSnapshot(input.source, input.rules)) {
      if (catalogKinds.has(record.kind)) counts.sourceCatalogObjects += 1;
      yield record;
    }
  };
  const target = async function* () {
    for await (const record of input.target) {
      counts.targetObjects += 1;
      yield record;
    }
  };
  return { source: source(), target: target(), counts };
}

/** Kinds a sync touches, from batch.syncCatalog / batch.syncPermissions. */
export function syncedKinds(options: {
  syncCatalog: boolean;
  syncPermissions: boolean;
}): SnapshotKind[] | undefined {
  if (options.syncCatalog && options.syncPermissions) return undefined;
  const catalog: SnapshotKind[] = ["database", "table", "partition", "partitionIndex"];
  const permissions: SnapshotKind[] = ["permission", "dataCellsFilter"];
  const all: SnapshotKind[] = [
    "dataLakeSettings",
    "registeredLocation",
    ...catalog,
    "lfTag",
    "dataCellsFilter",
    "tagAssignment",
    "permission",
  ];
  return all.filter(
    (kind) =>
      (options.syncCatalog || !catalog.includes(kind)) &&
      (options.syncPermissions || !permissions.includes(kind)),
  );
}

/** A difference as one human line: "+ table sales/orders", "~ permission …", "- (kept) table …". */
export function describeDifference(d: Difference): string {
  const mark = d.change === "create" ? "+" : d.change === "update" ? "~" : "-";
  const kept = d.kept
    ? d.change === "delete"
      ? " (kept: delete-sync off)"
      : " (target-only parts kept)"
    : "";
  return `${mark} ${d.kind} ${d.key}${kept}`;
}

export interface WindowedApplyDeps {
  /** The executor (modules/operations/executor.ts) bound to its runner. */
  execute: (operations: TargetOperation[]) => Promise<ExecutionReport>;
  /** Operations handed to `execute` at once (default 500): with removals, what a sync holds. */
  window?: number;
  /** Each window just before it runs (progress; tests assert the bound). */
  onWindow?: (operations: readonly TargetOperation[]) => void;
  /** Each difference as it streams by (a dry run prints the plan from here). */
  onDifference?: (difference: Difference) => void;
  /** Stream the differences and operations, execute nothing. */
  dryRun?: boolean;
}

export interface WindowedApplyResult {
  location: CatalogLocation;
  differences: number;
  kept: number;
  operations: number;
  /** Operations kept back until every addition ran (deletes, revokes, and what follows them on a key). */
  heldRemovals: number;
  /** Target-only objects deleted (delete-sync on). */
  deletes: number;
  summary: ExecutionSummary;
  /** Failed and skipped operations only (successes are counted, not kept). */
  problems: OperationResult[];
}

/**
 * planReconcile + execute without holding the plan: differences stream into operations, and
 * additions run in windows of `window` operations as they come. The stream is canonically ordered,
 * so additions already come in dependency order (phases ascending) and a window never needs a later
 * one. Removals (deletes, revokes) must run after every addition, phases descending: they are held
 * until the stream ends (none when delete-sync is off), with any later operation on the same
 * resource key so a key's operations keep their order, then run stage by stage in windows. A key
 * whose operation failed is skipped in later windows, as one execute call would.
 */
export async function reconcileInWindows(
  input: ReconcileInput,
  deps: WindowedApplyDeps,
): Promise<WindowedApplyResult> {
  const size = Math.max(1, deps.window ?? 500);
  const scope: DiffScope = { filters: input.rules.filters, ...(input.kinds ? { kinds: input.kinds } : {}) };
  const results: OperationResult[] = [];
  const summaries: ExecutionSummary[] = [];
  const failedKeys = new Map<string, string>();
  let differences = 0;
  let kept = 0;
  let deletes = 0;
  let operations = 0;

  const run = async (batch: TargetOperation[]) => {
    if (batch.length === 0 || deps.dryRun) return;
    const runnable: TargetOperation[] = [];
    const skipped: OperationResult[] = [];
    for (const operation of batch) {
      const reason = failedKeys.get(operation.resourceKey);
      if (reason) skipped.push({ operation, outcome: { status: "skipped", reason }, attempts: 0 });
      else runnable.push(operation);
    }
    deps.onWindow?.(runnable);
    const report = runnable.length > 0 ? await deps.execute(runnable) : undefined;
    const window = [...(report?.results ?? []), ...skipped];
    summaries.push(summarize(window));
    for (const result of window) {
      if (result.outcome.status === "failed" && !failedKeys.has(result.operation.resourceKey)) {
        failedKeys.set(
          result.operation.resourceKey,
          `an earlier operation on ${result.operation.resourceKey} failed: ${result.operation.description}`,
        );
      }
      if (result.outcome.status === "failed" || result.outcome.status === "skipped") results.push(result);
    }
  };

  const countDifferences = async function* (stream: AsyncIterable<Difference>) {
    for await (const difference of stream) {
      differences += 1;
      if (difference.kept) kept += 1;
      if (isAppliedDelete(difference)) deletes += 1;
      deps.onDifference?.(difference);
      yield difference;
    }
  };

  const held: TargetOperation[] = [];
  const heldKeys = new Set<string>();
  let window: TargetOperation[] = [];
  const counted = countedSides(input);
  const stream = diffSnapshots(counted.source, counted.target, {
    deleteSync: input.deleteSync,
    scope,
    protectedAdmins: input.rules.protectedAdmins,
  });
  for await (const operation of streamOperations(countDifferences(stream), input.location, input.rules)) {
    operations += 1;
    if (deps.dryRun) continue;
    if (isRemoval(operation.idempotency) || heldKeys.has(operation.resourceKey)) {
      held.push(operation);
      heldKeys.add(operation.resourceKey);
      continue;
    }
    window.push(operation);
    if (window.length >= size) {
      await run(window);
      window = [];
    }
  }
  await run(window);
  window = [];

  const refused = deps.dryRun
    ? undefined
    : massDeleteProblem({ ...counted.counts, deletes }, input.deleteGuard);
  if (refused) throw new MassDeleteError(`${input.location.name}: ${refused}`);

  // Held operations: stage by stage (removals phases descending), each stage in windows of whole chains.
  for (const stage of schedule(held)) {
    for (const chain of stage.chains) {
      for (const index of chain.indexes) window.push(held[index]!);
      if (window.length >= size) {
        await run(window);
        window = [];
      }
    }
    await run(window);
    window = [];
  }

  const summary = summarize([]);
  for (const s of summaries) {
    for (const key of Object.keys(summary) as (keyof ExecutionSummary)[]) summary[key] += s[key];
  }
  return {
    location: input.location,
    differences,
    kept,
    operations,
    heldRemovals: held.length,
    deletes,
    summary,
    problems: results,
  };
}
