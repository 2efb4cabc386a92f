// When a journal item may be deleted. DynamoDB's TTL deletes an item some time after the epoch
// second in its TTL attribute (JOURNAL_TABLE.ttlAttribute). Only events every target has concluded
// get one: an event with work left (pending, or failed with attempts left) stays, and so do
// checkpoints and high-water marks, which never carry the attribute.
import type { TargetState } from "./target-state.ts";

export const DEFAULT_JOURNAL_RETENTION_DAYS = 30;

export interface RetentionRule {
  /** The targets an event is replicated to; each must have concluded. */
  targets: readonly string[];
  /** Attempts after which a failure is final (realtime.maxAttempts). */
  maxAttempts: number;
  /** How long a concluded event is kept (realtime.journalRetentionDays). */
  retentionDays: number;
}

const settledStates: ReadonlySet<string> = new Set(["applied", "noop", "skipped", "unsupported"]);

/** Whether a target's state will not change again without an explicit replay. */
export function targetConcluded(state: TargetState | undefined, maxAttempts: number): boolean {
  if (!state) return false;
  if (settledStates.has(state.state)) return true;
  return state.state === "failed" && state.attempts >= maxAttempts;
}

/** Epoch seconds at which the event may be deleted, or undefined while any target has work left. */
export function expiresAt(
  targets: Record<string, TargetState>,
  rule: RetentionRule,
  now: Date,
): number | undefined {
  if (rule.targets.length === 0) return undefined;
  if (!rule.targets.every((name) => targetConcluded(targets[name], rule.maxAttempts))) return undefined;
  return Math.floor(now.getTime() / 1000) + rule.retentionDays * 24 * 3600;
}
