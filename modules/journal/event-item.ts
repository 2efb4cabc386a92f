// The journal's event item: one per CloudTrail eventID, whichever path captured it first.
import type { CloudTrailRecord } from "../replication/cloudtrail-record.ts";
import { aggregateStatus, type EventStatus, type TargetState } from "./target-state.ts";

export type CapturedBy = "eventbridge" | "poller";

export interface JournalEvent {
  eventId: string;
  eventName: string;
  eventSource: string;
  /** Source eventTime, normalised to `YYYY-MM-DDTHH:MM:SSZ` so strings sort by time. */
  eventTime: string;
  sourceAccount: string;
  sourceRegion: string;
  capturedBy: CapturedBy;
  capturedAt: string;
  /** Whether the replicator handles this event name; untracked writes are kept to show as unsupported. */
  tracked: boolean;
  /** The record as JSON text; absent when it lives in S3 (see recordS3). */
  record?: string;
  /** `s3://bucket/key` of the record when the item would exceed DynamoDB's 400 KB item limit. */
  recordS3?: string;
  targets: Record<string, TargetState>;
  status: EventStatus;
  /** Optimistic-locking counter for target state updates. */
  version: number;
  /** Epoch seconds after which DynamoDB may delete the item; only on concluded events (retention.ts). */
  expiresAt?: number;
}

/**
 * DynamoDB items are at most 400 KB. The record stays inline below this size, which leaves room
 * for the other attributes and a target map that grows with each target's state and reason.
 */
export const RECORD_INLINE_LIMIT_BYTES = 300 * 1024;

export function recordFitsInline(recordJson: string): boolean {
  return new TextEncoder().encode(recordJson).length <= RECORD_INLINE_LIMIT_BYTES;
}

/** CloudTrail times have 1 s resolution; normalise any ISO form (or a Date) to the fixed-width one. */
export function isoSeconds(time: string | Date): string {
  const date = typeof time === "string" ? new Date(time) : time;
  if (Number.isNaN(date.getTime())) throw new Error(`not a time: ${String(time)}`);
  return `${date.toISOString().slice(0, 19)}Z`;
}

export interface CaptureContext {
  capturedBy: CapturedBy;
  capturedAt: Date;
  tracked: boolean;
}

/** A new journal event for a validated record (the store decides inline vs S3 placement). */
export function newJournalEvent(
  record: CloudTrailRecord,
  context: CaptureContext,
): JournalEvent & { record: string } {
  return {
    eventId: record.eventID,
    eventName: record.eventName,
    eventSource: record.eventSource,
    eventTime: isoSeconds(record.eventTime),
    sourceAccount: record.recipientAccountId,
    sourceRegion: record.awsRegion,
    capturedBy: context.capturedBy,
    capturedAt: isoSeconds(context.capturedAt),
    tracked: context.tracked,
    record: JSON.stringify(record),
    targets: {},
    status: aggregateStatus({}),
    version: 0,
  };
}

/** `s3://bucket/key` <-> parts. */
export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new Error(`not an s3:// URI: ${uri}`);
  return { bucket: match[1]!, key: match[2]! };
}
