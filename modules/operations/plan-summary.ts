// Dry-run output: what the executor would do, grouped the way it would do it (per target, then in
// stage order), with counts per operation and per idempotency class.
import type { Idempotency, TargetOperation } from "./operation.ts";
import { isRemoval, phaseNames, schedule } from "./ordering.ts";

export interface PlanSummary {
  lines: string[];
  counts: {
    total: number;
    /** Per AWS API, e.g. { CreateTable: 3, BatchGrantPermissions: 1 }. */
    byOperation: Record<string, number>;
    byIdempotency: Partial<Record<Idempotency, number>>;
  };
}

const marks: Record<Idempotency, string> = {
  create: "+",
  grant: "+",
  upsert: "~",
  merge: "~",
  delete: "-",
  revoke: "-",
  read: "?",
};

export function planSummary(operations: readonly TargetOperation[]): PlanSummary {
  const byOperation: Record<string, number> = {};
  const byIdempotency: Partial<Record<Idempotency, number>> = {};
  for (const op of operations) {
    byOperation[op.operation] = (byOperation[op.operation] ?? 0) + 1;
    byIdempotency[op.idempotency] = (byIdempotency[op.idempotency] ?? 0) + 1;
  }

  const targets = new Map<string, TargetOperation[]>();
  for (const op of operations) {
    const name = `${op.target.name} (${op.target.account}, ${op.target.region})`;
    targets.set(name, [...(targets.get(name) ?? []), op]);
  }

  const lines: string[] = [];
  for (const [target, ops] of targets) {
    lines.push(`${target}: ${ops.length} operation${ops.length === 1 ? "" : "s"}`);
    for (const stage of schedule(ops)) {
      const indexes = stage.chains.flatMap((chain) => chain.indexes).sort((a, b) => a - b);
      const first = ops[indexes[0] as number] as TargetOperation;
      const heading = `${phaseNames[first.phase] ?? `phase ${first.phase}`}${isRemoval(first.idempotency) ? " (removals)" : ""}`;
      lines.push(`  ${heading}:`);
      for (const index of indexes) {
        const op = ops[index] as TargetOperation;
        lines.push(`    ${marks[op.idempotency]} ${op.description}`);
      }
    }
  }
  const counted = Object.entries(byOperation)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, count]) => `${name} ${count}`);
  lines.push(`total: ${operations.length} (${counted.join(", ") || "nothing to do"})`);
  return { lines, counts: { total: operations.length, byOperation, byIdempotency } };
}
