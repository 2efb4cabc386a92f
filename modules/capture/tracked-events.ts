// Which CloudTrail events lakesync captures, and which of those the replicator handles.
//
// Decision: every successful, non-read-only Glue or Lake Formation call is journaled. Events in
// TRACKED_EVENTS are replicated; any other write (CreateCrawler, UpdateColumnStatistics...) is
// journaled with tracked=false so the replicator records it as `unsupported` where an operator can
// see it, instead of it vanishing. Failed calls (any errorCode) and read-only calls are not journaled.

import { glueEvents, lakeFormationEvents } from "../replication/change.ts";

export const GLUE_EVENT_SOURCE = "glue.amazonaws.com";
export const LAKE_FORMATION_EVENT_SOURCE = "lakeformation.amazonaws.com";
export const CAPTURED_EVENT_SOURCES = [GLUE_EVENT_SOURCE, LAKE_FORMATION_EVENT_SOURCE] as const;
export type CapturedEventSource = (typeof CAPTURED_EVENT_SOURCES)[number];

// The replicator's list is the one source of truth for what is tracked.
export const TRACKED_GLUE_EVENTS: readonly string[] = glueEvents;
export const TRACKED_LAKE_FORMATION_EVENTS: readonly string[] = lakeFormationEvents;

/** The write events the replicator replicates, per event source. */
export const TRACKED_EVENTS: Readonly<Record<CapturedEventSource, readonly string[]>> = {
  [GLUE_EVENT_SOURCE]: TRACKED_GLUE_EVENTS,
  [LAKE_FORMATION_EVENT_SOURCE]: TRACKED_LAKE_FORMATION_EVENTS,
};

export function isCapturedSource(eventSource: string): eventSource is CapturedEventSource {
  return (CAPTURED_EVENT_SOURCES as readonly string[]).includes(eventSource);
}

export function isTracked(eventSource: string, eventName: string): boolean {
  return isCapturedSource(eventSource) && TRACKED_EVENTS[eventSource].includes(eventName);
}

// CloudTrail marks Glue Get*/BatchGet*/Search* and LF Get*/List*/Search* calls readOnly. Used only
// when a record lacks the readOnly field (older records, hand-made input).
const READ_ONLY_NAME = /^(Get|BatchGet|List|Search|Describe)/;

export function isReadOnlyName(eventName: string): boolean {
  return READ_ONLY_NAME.test(eventName);
}
