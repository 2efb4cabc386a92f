// What capture needs from the outside world; the AWS adapters in modules/aws implement these.
import type { JournalEvent } from "../journal/event-item.ts";
import type { CheckpointScope } from "../journal/keys.ts";

export type PutEventResult = "stored" | "duplicate";

export interface JournalWriter {
  putEvent(event: JournalEvent & { record: string }): Promise<PutEventResult>;
}

/** Journals many events in few calls, with putEvent's dedupe; results in input order. */
export interface BatchJournalWriter {
  putEvents(events: readonly (JournalEvent & { record: string })[]): Promise<PutEventResult[]>;
}

export interface PollCheckpoint {
  eventTime: string;
  updatedAt: string;
}

export interface CheckpointStore {
  getCheckpoint(scope: CheckpointScope): Promise<PollCheckpoint | undefined>;
  /** Never moves the checkpoint backwards (a concurrent poll may have read further). */
  putCheckpoint(scope: CheckpointScope, checkpoint: PollCheckpoint): Promise<void>;
  /**
   * Moves a checkpoint that is ahead of the clock back to `checkpoint`, only while it still holds
   * `aheadOf` (the value the poll read).
   */
  clampCheckpoint(scope: CheckpointScope, aheadOf: string, checkpoint: PollCheckpoint): Promise<void>;
}

/** One LookupEvents entry, as much as the poller reads before deciding to parse it. */
export interface LookupEntry {
  eventId: string;
  eventName: string;
  eventTime: Date;
  /** "true" | "false" as LookupEvents returns it. */
  readOnly?: string;
  cloudTrailEvent?: string;
}

export interface LookupPage {
  entries: LookupEntry[];
  nextToken?: string;
}

export interface LookupQuery {
  eventSource: string;
  startTime: Date;
  endTime: Date;
  pageSize: number;
  startingToken?: string;
}

/** Pages of LookupEvents for one source; throws LookupThrottledError once the SDK gave up retrying. */
export interface CloudTrailHistory {
  pages(query: LookupQuery): AsyncIterable<LookupPage>;
}

export class LookupThrottledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LookupThrottledError";
  }
}

export interface CaptureLog {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}
