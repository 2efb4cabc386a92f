// Ordering guard: CloudTrail does not deliver in order, and the journal replays late events, so an
// operation is dropped when a newer event already changed the same resource on the target. Only
// operations that replace an object's state are guarded (create/update/delete of databases,
// tables, partitions, data cells filters, settings, locations, LF tags). Grants, revokes, tag
// assignments and LF tag value edits change one member of a set, so an older one does not undo a
// newer change to a different member; they are not guarded.
import type { HighWaterMark } from "../journal/high-water-mark.ts";
import { resourceKeys, rewritten, type TargetOperation } from "../operations/operation.ts";

const setMemberOperations: ReadonlySet<string> = new Set([
  "GrantPermissions",
  "RevokePermissions",
  "BatchGrantPermissions",
  "BatchRevokePermissions",
  "AddLFTagsToResource",
  "RemoveLFTagsFromResource",
  "UpdateLFTag",
]);

type Json = Record<string, unknown>;

interface Guard {
  keys: string[];
  /** The operation without the entries on stale keys, or undefined when nothing is left. */
  without(stale: ReadonlySet<string>): TargetOperation | undefined;
}

function batchGuard(op: TargetOperation, field: string, keyOf: (entry: unknown) => string): Guard {
  const entries = Array.isArray(op.input[field]) ? (op.input[field] as unknown[]) : [];
  return {
    keys: entries.map(keyOf),
    without: (stale) => {
      const kept = entries.filter((entry) => !stale.has(keyOf(entry)));
      if (kept.length === 0) return undefined;
      return kept.length === entries.length ? op : rewritten(op, { input: { ...op.input, [field]: kept } });
    },
  };
}

function guardOf(op: TargetOperation): Guard | undefined {
  if (op.idempotency === "read" || setMemberOperations.has(op.operation)) return undefined;
  const input = op.input;
  const catalog = typeof input.CatalogId === "string" ? input.CatalogId : op.target.account;
  const db = String(input.DatabaseName ?? "");
  const table = String(input.TableName ?? "");
  const partition = (values: unknown) =>
    resourceKeys.partition(catalog, db, table, Array.isArray(values) ? (values as string[]) : []);
  switch (op.operation) {
    case "BatchCreatePartition":
      return batchGuard(op, "PartitionInputList", (e) => partition((e as Json).Values));
    case "BatchUpdatePartition":
      return batchGuard(op, "Entries", (e) => partition((e as Json).PartitionValueList));
    case "BatchDeletePartition":
      return batchGuard(op, "PartitionsToDelete", (e) => partition((e as Json).Values));
    case "BatchDeleteTable":
      return batchGuard(op, "TablesToDelete", (name) => resourceKeys.table(catalog, db, String(name)));
    default:
      return {
        keys: [op.resourceKey],
        without: (stale) => (stale.has(op.resourceKey) ? undefined : op),
      };
  }
}

export interface StaleResource {
  resourceKey: string;
  newer: HighWaterMark;
}

export interface Guarded {
  operations: TargetOperation[];
  stale: StaleResource[];
}

/**
 * Claims every guarded resource for the event (advancing its mark, which equal times may share)
 * and drops what a newer event already owns. Each resource keeps its own mark (a partition's is
 * not its table's: an older batch on other partitions of the table must still land), but the
 * claims of one event go together: `advance` takes them all and answers, per refused resource,
 * the newer mark.
 */
export async function guardOperations(
  operations: readonly TargetOperation[],
  advance: (resourceKeys: readonly string[]) => Promise<ReadonlyMap<string, HighWaterMark>>,
): Promise<Guarded> {
  const guards = operations.map(guardOf);
  const keys = [...new Set(guards.flatMap((g) => g?.keys ?? []))];
  const refused = keys.length > 0 ? await advance(keys) : new Map<string, HighWaterMark>();
  const stale: StaleResource[] = keys.flatMap((key) => {
    const newer = refused.get(key);
    return newer ? [{ resourceKey: key, newer }] : [];
  });
  if (stale.length === 0) return { operations: [...operations], stale };
  const staleKeys = new Set(stale.map((s) => s.resourceKey));
  const kept = operations.flatMap((op, i) => {
    const guard = guards[i];
    if (!guard) return [op];
    const rest = guard.without(staleKeys);
    return rest ? [rest] : [];
  });
  return { operations: kept, stale };
}
