// Execution order: operations run in stages. Creates, upserts, grants and merges run first with
// phases ascending (settings, locations, databases ... permissions); deletes and revokes run after
// them with phases descending (permissions ... databases). Additions first means the data lake
// admins are in place before anything needs them, and consumers never see less access than both
// the old and the new state grant. Operations on one resourceKey keep their input order whatever
// their stage (a later operation on a key never runs before an earlier one).
import { type Idempotency, Phase, type TargetOperation } from "./operation.ts";

const maxPhase = Math.max(...Object.values(Phase));

export function isRemoval(idempotency: Idempotency): boolean {
  return idempotency === "delete" || idempotency === "revoke";
}

/** The stage an operation would run in on its own (before per-key ordering). */
export function stageOf(operation: Pick<TargetOperation, "idempotency" | "phase">): number {
  return isRemoval(operation.idempotency) ? maxPhase + 1 + (maxPhase - operation.phase) : operation.phase;
}

export const phaseNames: Record<number, string> = Object.fromEntries(
  Object.entries(Phase).map(([name, value]) => [value, name]),
);

/** A run of operations on one resourceKey that must execute one after another, in input order. */
export interface KeyChain {
  resourceKey: string;
  /** Indexes into the input array. */
  indexes: number[];
}

export interface Stage {
  stage: number;
  chains: KeyChain[];
}

/**
 * Groups operations into stages (ascending) of per-key chains. An operation's stage is at least its
 * own and at least that of the previous operation on the same key, so key order is never inverted.
 */
export function schedule(
  operations: readonly Pick<TargetOperation, "idempotency" | "phase" | "resourceKey">[],
): Stage[] {
  const lastStageOfKey = new Map<string, number>();
  const stages = new Map<number, Map<string, KeyChain>>();
  operations.forEach((operation, index) => {
    const stage = Math.max(stageOf(operation), lastStageOfKey.get(operation.resourceKey) ?? 0);
    lastStageOfKey.set(operation.resourceKey, stage);
    let chains = stages.get(stage);
    if (!chains) {
      chains = new Map();
      stages.set(stage, chains);
    }
    let chain = chains.get(operation.resourceKey);
    if (!chain) {
      chain = { resourceKey: operation.resourceKey, indexes: [] };
      chains.set(operation.resourceKey, chain);
    }
    chain.indexes.push(index);
  });
  return [...stages.entries()]
    .sort(([a], [b]) => a - b)
    .map(([stage, chains]) => ({ stage, chains: [...chains.values()] }));
}
