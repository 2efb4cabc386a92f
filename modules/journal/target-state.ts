// Per-target replication state of one journaled event, and the rules for changing it.

export const TARGET_STATES = ["pending", "applied", "noop", "skipped", "unsupported", "failed"] as const;
export type TargetStateName = (typeof TARGET_STATES)[number];

export interface TargetState {
  state: TargetStateName;
  reason?: string;
  /** How many attempts have concluded (every recorded state except `pending` counts one). */
  attempts: number;
  updatedAt: string;
}

/**
 * pending -> anything; failed -> anything (a retry); a settled state (applied, noop, skipped,
 * unsupported) only back to pending, which is an explicit replay. Recording the same settled state
 * twice is refused: it would mean two workers applied one event.
 */
export function canTransition(from: TargetStateName | undefined, to: TargetStateName): boolean {
  if (from === undefined || from === "pending" || from === "failed") return true;
  return to === "pending";
}

/** Aggregate status of an event, by urgency: what an operator lists first. */
export const EVENT_STATUSES = ["failed", "pending", "unsupported", "skipped", "noop", "applied"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** An event with no target state yet is pending: the replicator has not looked at it. */
export function aggregateStatus(targets: Record<string, TargetState>): EventStatus {
  const states = new Set(Object.values(targets).map((t) => t.state));
  if (states.size === 0) return "pending";
  for (const status of EVENT_STATUSES) if (states.has(status)) return status;
  return "pending";
}

export function nextTargetState(
  current: TargetState | undefined,
  state: TargetStateName,
  updatedAt: string,
  reason?: string,
): TargetState {
  const attempts = (current?.attempts ?? 0) + (state === "pending" ? 0 : 1);
  return { state, attempts, updatedAt, ...(reason !== undefined ? { reason } : {}) };
}
