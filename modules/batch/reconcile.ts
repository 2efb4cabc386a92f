// The one path restore and sync share: a source snapshot (live or from a backup) mapped into
// target terms vs the target's snapshot -> differences -> operations -> the executor. Unchanged
// objects produce no difference and so no write. `diff` stops after the differences.
import { type Difference, type DiffScope, diffSnapshots, mapSnapshot } from "../catalog/diff.ts";
import { differencesToOperations } from "../catalog/diff-to-operations.ts";
import type { RecordStream, SnapshotKind } from "../catalog/model.ts";
import type { MappingRules } from "../mapping/mapping.ts";
import { type ExecuteDeps, type ExecutionReport, execute } from "../operations/executor.ts";
import type { CatalogLocation, TargetOperation } from "../operations/operation.ts";

export interface ReconcileInput {
  /** Source records in source terms; they are mapped with `rules` here. */
  source: RecordStream;
  target: RecordStream;
  rules: MappingRules;
  location: CatalogLocation;
  deleteSync: boolean;
  kinds?: readonly SnapshotKind[];
}

export interface ReconcilePlan {
  location: CatalogLocation;
  differences: Difference[];
  operations: TargetOperation[];
  /** Target-only objects (or parts) left in place because delete-sync is off. */
  kept: number;
}

export async function planReconcile(input: ReconcileInput): Promise<ReconcilePlan> {
  const scope: DiffScope = { filters: input.rules.filters, ...(input.kinds ? { kinds: input.kinds } : {}) };
  const differences: Difference[] = [];
  for await (const difference of diffSnapshots(mapSnapshot(input.source, input.rules), input.target, {
    deleteSync: input.deleteSync,
    scope,
  })) {
    differences.push(difference);
  }
  const operations = differencesToOperations(differences, input.location);
  return {
    location: input.location,
    differences,
    operations,
    kept: differences.filter((d) => d.kept).length,
  };
}

export async function applyPlan(plan: ReconcilePlan, deps: ExecuteDeps): Promise<ExecutionReport> {
  return execute(plan.operations, deps);
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
