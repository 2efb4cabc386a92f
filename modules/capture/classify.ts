// Decides what capture does with one validated CloudTrail record.
import type { CloudTrailRecord } from "../replication/cloudtrail-record.ts";
import { isCapturedSource, isReadOnlyName, isTracked } from "./tracked-events.ts";

export type Classification =
  | { action: "journal"; tracked: boolean }
  | { action: "skip"; reason: "read-only" | "failed" | "foreign-source" };

/**
 * A call that failed (any errorCode) changed nothing, so it is not journaled. A successful batch
 * call with some failed entries (Glue `Errors`, LF `Failures`) did change something and IS
 * journaled; the replicator decides per entry.
 */
export function classifyRecord(record: CloudTrailRecord): Classification {
  if (!isCapturedSource(record.eventSource)) return { action: "skip", reason: "foreign-source" };
  if (record.errorCode) return { action: "skip", reason: "failed" };
  if (record.readOnly ?? isReadOnlyName(record.eventName)) return { action: "skip", reason: "read-only" };
  return { action: "journal", tracked: isTracked(record.eventSource, record.eventName) };
}
