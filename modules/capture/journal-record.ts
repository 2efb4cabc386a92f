// The step both capture paths share: classify a validated record and journal it.
import { type CapturedBy, newJournalEvent } from "../journal/event-item.ts";
import type { CloudTrailRecord } from "../replication/cloudtrail-record.ts";
import { type Classification, classifyRecord } from "./classify.ts";
import type { BatchJournalWriter, JournalWriter } from "./ports.ts";

export type CaptureOutcome =
  | { result: "journaled" | "duplicate"; tracked: boolean }
  | { result: "skipped"; reason: Extract<Classification, { action: "skip" }>["reason"] };

export async function journalRecord(
  journal: JournalWriter,
  record: CloudTrailRecord,
  capturedBy: CapturedBy,
  capturedAt: Date,
): Promise<CaptureOutcome> {
  const classification = classifyRecord(record);
  if (classification.action === "skip") return { result: "skipped", reason: classification.reason };
  const event = newJournalEvent(record, { capturedBy, capturedAt, tracked: classification.tracked });
  const stored = await journal.putEvent(event);
  return { result: stored === "stored" ? "journaled" : "duplicate", tracked: classification.tracked };
}

/** journalRecord for many records (in order) with one batch write for those that are journaled. */
export async function journalRecords(
  journal: BatchJournalWriter,
  records: readonly CloudTrailRecord[],
  capturedBy: CapturedBy,
  capturedAt: Date,
): Promise<CaptureOutcome[]> {
  const classified = records.map((record) => ({ record, classification: classifyRecord(record) }));
  const events = classified.flatMap(({ record, classification }) =>
    classification.action === "journal"
      ? [newJournalEvent(record, { capturedBy, capturedAt, tracked: classification.tracked })]
      : [],
  );
  const stored = events.length > 0 ? await journal.putEvents(events) : [];
  let next = 0;
  return classified.map(({ classification }): CaptureOutcome => {
    if (classification.action === "skip") return { result: "skipped", reason: classification.reason };
    const result = stored[next++] === "stored" ? "journaled" : "duplicate";
    return { result, tracked: classification.tracked };
  });
}
