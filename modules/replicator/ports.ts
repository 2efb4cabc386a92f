// What the replicator needs from the outside world. modules/aws/journal-store.ts (JournalStore)
// and modules/aws/replicator-ports.ts implement these; the core below never imports the SDK.
import type { JournalEvent } from "../journal/event-item.ts";
import type { HighWaterMark } from "../journal/high-water-mark.ts";
import type { RetentionRule } from "../journal/retention.ts";
import type { TargetState, TargetStateName } from "../journal/target-state.ts";

/** The target's attempts changed since the caller read them: another worker got there first. */
export class StaleTargetStateError extends Error {
  override readonly name = "StaleTargetStateError";
  constructor(eventId: string, target: string, expected: number, actual: number) {
    super(`event ${eventId} target ${target}: expected ${expected} attempts, found ${actual}`);
  }
}

export interface ReplicatorJournal {
  /** The events found, by eventId (a drain reads its round's events in a few calls). */
  getEvents(eventIds: readonly string[]): Promise<Map<string, JournalEvent>>;
  /**
   * Throws StaleTargetStateError when `expectedAttempts` no longer holds. `current` is the event
   * as last read, so the write need not read it again.
   */
  setTargetState(
    eventId: string,
    target: string,
    state: TargetStateName,
    options?: {
      reason?: string;
      expectedAttempts?: number;
      retention?: RetentionRule;
      current?: JournalEvent;
    },
  ): Promise<TargetState>;
  /**
   * Pending events named `eventNames` with eventTime <= `notAfter`, newest first, at most `limit`:
   * where the drain looks for the parent of an event that failed for a missing one (drain.ts).
   * Optional: without it a missing parent is only waited for in retry rounds.
   */
  pendingEvents?(query: PendingEventQuery): Promise<PendingEventRef[]>;
  /**
   * Claims each resource for the event at `eventTime` (see modules/journal/high-water-mark.ts),
   * all in as few calls as the store can. Answers the resources a newer event owns, with its mark.
   */
  advanceHighWaterMarks(
    resourceKeys: readonly string[],
    eventTime: string,
    eventId: string,
  ): Promise<Map<string, HighWaterMark>>;
}

export interface PendingEventQuery {
  notAfter: string;
  eventNames: readonly string[];
  limit: number;
}

/** What the journal's status index tells of a pending event: enough to order it (drain.ts). */
export interface PendingEventRef {
  eventId: string;
  eventTime: string;
  eventName: string;
}

/** An event that failed on a target after every attempt: what the DLQ and the alert carry. */
export interface FailureNotice {
  eventId: string;
  eventName: string;
  eventTime: string;
  sourceAccount: string;
  sourceRegion: string;
  target: string;
  error: string;
  attempts: number;
}

export interface DeadLetterQueue {
  send(notice: FailureNotice): Promise<void>;
}

export interface FailureAlerts {
  publish(notice: FailureNotice): Promise<void>;
}

export interface ReplicatorLog {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const silentLog: ReplicatorLog = { info() {}, warn() {}, error() {} };
