// The delete-sync guard: a source that reads as empty (wrong region, lost permissions, a misspelt
// scope) would otherwise make `sync --delete` remove every database, tag, grant and location of
// the target. Deletes run only after every addition (reconcile.ts holds them), so the guard is
// decided on the counts of the whole stream before any delete is sent.

export interface DeleteGuard {
  /** batch.maxDeleteShare: deletes may be at most this share of the target's objects. */
  maxDeleteShare: number;
  /** --allow-mass-delete: the operator has seen the count and wants it. */
  allowMassDelete: boolean;
  /**
   * Whether a source without databases, tables or partitions refuses every delete (default yes);
   * off for a batch work unit of catalog-wide records only, which never holds catalog objects.
   */
  emptySourceCheck?: boolean;
  /** How the refusal can be lifted, as the refusal says it (default: the CLI's --allow-mass-delete). */
  override?: string;
}

export const DEFAULT_MAX_DELETE_SHARE = 0.5;

export interface DeleteCounts {
  /** Source records (after mapping) of catalog kinds: databases, tables, partitions. */
  sourceCatalogObjects: number;
  /** Target records read. */
  targetObjects: number;
  /** Deletes (and revokes) the plan would apply. */
  deletes: number;
}

/** Why the deletes are refused, or undefined when they may run. */
export function massDeleteProblem(counts: DeleteCounts, guard: DeleteGuard | undefined): string | undefined {
  if (!guard || guard.allowMassDelete || counts.deletes === 0) return undefined;
  const what = `${counts.deletes} delete(s) of ${counts.targetObjects} target object(s)`;
  const override = guard.override ?? "pass --allow-mass-delete to apply them";
  if (counts.sourceCatalogObjects === 0 && guard.emptySourceCheck !== false)
    return `refusing ${what}: the source has no catalog objects (wrong source or scope?); ${override}`;
  const share = counts.targetObjects === 0 ? 1 : counts.deletes / counts.targetObjects;
  if (share > guard.maxDeleteShare)
    return `refusing ${what} (${Math.round(share * 100)}%, over batch.maxDeleteShare ${guard.maxDeleteShare}); ${override}`;
  return undefined;
}

/** Raised before any delete is sent; additions already applied are kept (they are safe). */
export class MassDeleteError extends Error {
  override readonly name = "MassDeleteError";
}
