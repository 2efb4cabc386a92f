// The CloudTrail poller: fills the gaps EventBridge (best effort) leaves, by reading LookupEvents
// for each captured event source over a window computed per invocation.
import { isoSeconds } from "../journal/event-item.ts";
import { type CloudTrailRecord, cloudTrailRecordSchema } from "../replication/cloudtrail-record.ts";
import { clampCheckpoint, lateness, nextCheckpoint } from "./checkpoint.ts";
import { type CaptureOutcome, journalRecords } from "./journal-record.ts";
import {
  type BatchJournalWriter,
  type CaptureLog,
  type CheckpointStore,
  type CloudTrailHistory,
  type LookupEntry,
  LookupThrottledError,
} from "./ports.ts";
import { throttleBackoffMs } from "./rate-limiter.ts";
import { CAPTURED_EVENT_SOURCES } from "./tracked-events.ts";
import { DEFAULT_LOOKBACK_MINUTES, pollWindow } from "./window.ts";

export interface PollDeps {
  history: CloudTrailHistory;
  journal: BatchJournalWriter;
  checkpoints: CheckpointStore;
  /** Shared by both sources of one account+region (LookupEvents: 2 requests/s there). */
  limiter: { acquire(): Promise<void> };
  sleep(ms: number): Promise<void>;
  log: CaptureLog;
}

export interface PollOptions {
  account: string;
  region: string;
  now: Date;
  lookbackMinutes?: number;
  /** Page budget per event source; a source that runs out keeps its checkpoint and is re-read. */
  maxPages?: number;
  /** LookupEvents MaxResults, 1..50. */
  pageSize?: number;
  /** Own retries after the SDK's retry strategy gave up on a throttled request. */
  maxThrottleRetries?: number;
  throttleBaseMs?: number;
}

export interface LateEvent {
  eventId: string;
  eventTime: string;
  lagSeconds: number;
}

export interface PollSummary {
  read: number;
  readOnlySkipped: number;
  failedSkipped: number;
  /** Entries whose CloudTrailEvent is not a valid record: logged as errors, counted here. */
  invalid: number;
  journaled: number;
  duplicates: number;
  late: number;
  lateEvents: LateEvent[];
  pages: number;
  throttled: number;
  /** Largest capturedAt - eventTime among newly journaled events, in seconds. */
  maxLagSeconds: number;
  /** Sources whose window was read to the end (their checkpoint advanced). */
  complete: string[];
  incomplete: string[];
  /** Sources whose stored checkpoint was ahead of the clock: reported and clamped to now. */
  checkpointsAhead: string[];
}

function emptySummary(): PollSummary {
  return {
    read: 0,
    readOnlySkipped: 0,
    failedSkipped: 0,
    invalid: 0,
    journaled: 0,
    duplicates: 0,
    late: 0,
    lateEvents: [],
    pages: 0,
    throttled: 0,
    maxLagSeconds: 0,
    complete: [],
    incomplete: [],
    checkpointsAhead: [],
  };
}

/** A write event read from LookupEvents, waiting to be journaled in order. */
interface FoundWrite {
  record: CloudTrailRecord;
  eventTime: string;
  eventSource: string;
  /** Position in the read (LookupEvents pages are newest first). */
  readIndex: number;
  /** The source's checkpoint before this poll, for lateness. */
  previousCheckpoint: string | undefined;
}

/**
 * Reads both sources' windows, then journals their write events oldest first, Glue and Lake
 * Formation interleaved, so the journal's stream (what the replicator consumes in order) follows
 * the order of the calls: LookupEvents answers newest first and one source at a time. Checkpoints
 * advance only after their writes are journaled.
 */
export async function pollCloudTrail(deps: PollDeps, options: PollOptions): Promise<PollSummary> {
  const summary = emptySummary();
  const found: FoundWrite[] = [];
  const checkpoints: PendingCheckpoint[] = [];
  for (const eventSource of CAPTURED_EVENT_SOURCES) {
    checkpoints.push(await pollSource(deps, options, eventSource, summary, found));
  }
  // Same second: the later read (further down a newest-first page) happened first.
  found.sort((a, b) =>
    a.eventTime === b.eventTime ? b.readIndex - a.readIndex : a.eventTime < b.eventTime ? -1 : 1,
  );
  for (let start = 0; start < found.length; start += JOURNAL_BATCH) {
    const writes = found.slice(start, start + JOURNAL_BATCH);
    const outcomes = await journalRecords(
      deps.journal,
      writes.map((write) => write.record),
      "poller",
      options.now,
    );
    writes.forEach((write, i) => {
      countJournaled(deps, write, outcomes[i] as CaptureOutcome, options, summary);
    });
  }
  for (const pending of checkpoints) {
    if (pending.next !== undefined && pending.next !== pending.previous) {
      await deps.checkpoints.putCheckpoint(pending.scope, {
        eventTime: pending.next,
        updatedAt: isoSeconds(options.now),
      });
    }
  }
  return summary;
}

interface PendingCheckpoint {
  scope: { account: string; region: string; eventSource: string };
  previous: string | undefined;
  next: string | undefined;
}

/** Writes journaled per batch call, in order (the journal store splits them into transactions). */
const JOURNAL_BATCH = 100;

function countJournaled(
  deps: PollDeps,
  write: FoundWrite,
  outcome: CaptureOutcome,
  options: PollOptions,
  summary: PollSummary,
) {
  const { record, eventTime } = write;
  if (outcome.result === "skipped") {
    if (outcome.reason === "failed") summary.failedSkipped++;
    else if (outcome.reason === "read-only") summary.readOnlySkipped++;
    else summary.invalid++;
    return;
  }
  if (outcome.result === "duplicate") {
    summary.duplicates++;
    return;
  }
  summary.journaled++;
  const lagSeconds = (options.now.getTime() - Date.parse(eventTime)) / 1000;
  summary.maxLagSeconds = Math.max(summary.maxLagSeconds, lagSeconds);
  const late = lateness(eventTime, write.previousCheckpoint);
  if (late.late) {
    summary.late++;
    summary.lateEvents.push({ eventId: record.eventID, eventTime, lagSeconds: late.lagSeconds });
    deps.log.warn(`late: ${record.eventID}, ${eventTime}, ${late.lagSeconds}s`, {
      eventId: record.eventID,
      eventTime,
      lagSeconds: late.lagSeconds,
      checkpoint: write.previousCheckpoint,
      eventSource: write.eventSource,
    });
  }
}

async function pollSource(
  deps: PollDeps,
  options: PollOptions,
  eventSource: string,
  summary: PollSummary,
  found: FoundWrite[],
): Promise<PendingCheckpoint> {
  const scope = { account: options.account, region: options.region, eventSource };
  const stored = (await deps.checkpoints.getCheckpoint(scope))?.eventTime;
  const previous = clampCheckpoint(stored, options.now);
  if (previous !== stored && previous !== undefined && stored !== undefined) {
    summary.checkpointsAhead.push(eventSource);
    await deps.checkpoints.clampCheckpoint(scope, stored, { eventTime: previous, updatedAt: previous });
    deps.log.warn("checkpoint is ahead of the clock; clamped to now", {
      eventSource,
      checkpoint: stored,
      now: previous,
    });
  }
  const window = pollWindow({
    checkpoint: previous,
    now: options.now,
    lookbackMinutes: options.lookbackMinutes ?? DEFAULT_LOOKBACK_MINUTES,
  });
  const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
  const maxThrottleRetries = options.maxThrottleRetries ?? 5;

  let newestSeen: string | undefined;
  let token: string | undefined;
  let pages = 0;
  let throttleRetries = 0;
  let complete = false;

  const handle = async (entry: LookupEntry) => {
    summary.read++;
    const eventTime = isoSeconds(entry.eventTime);
    if (newestSeen === undefined || eventTime > newestSeen) newestSeen = eventTime;
    // Most of a Glue source's history is reads (Athena, EMR); skip them before parsing JSON.
    if (entry.readOnly === "true") {
      summary.readOnlySkipped++;
      return;
    }
    const parsed = parseEntry(entry);
    if (!parsed.success) {
      summary.invalid++;
      deps.log.error("invalid CloudTrail event in LookupEvents", {
        eventId: entry.eventId,
        problem: parsed.problem,
      });
      return;
    }
    found.push({
      record: parsed.record,
      eventTime,
      eventSource,
      readIndex: found.length,
      previousCheckpoint: previous,
    });
  };

  read: while (true) {
    try {
      await deps.limiter.acquire();
      const query = {
        eventSource,
        startTime: window.start,
        endTime: window.end,
        pageSize: options.pageSize ?? 50,
        ...(token !== undefined ? { startingToken: token } : {}),
      };
      for await (const page of deps.history.pages(query)) {
        pages++;
        summary.pages++;
        for (const entry of page.entries) await handle(entry);
        token = page.nextToken;
        throttleRetries = 0; // the limit is on consecutive throttles
        if (token === undefined) {
          complete = true;
          break read;
        }
        if (pages >= maxPages) break read;
        // The paginator sends the next request when the loop asks for the next page.
        await deps.limiter.acquire();
      }
      complete = true;
      break;
    } catch (error) {
      if (!(error instanceof LookupThrottledError) || throttleRetries >= maxThrottleRetries) throw error;
      summary.throttled++;
      const delay = throttleBackoffMs(throttleRetries++, options.throttleBaseMs);
      deps.log.warn("LookupEvents throttled; backing off", { eventSource, delayMs: delay, pages });
      await deps.sleep(delay);
      // Resume from the last page fully handled (token); re-reading it would only make duplicates.
    }
  }

  if (complete) summary.complete.push(eventSource);
  else {
    summary.incomplete.push(eventSource);
    deps.log.warn("window not fully read; checkpoint kept", { eventSource, pages, maxPages });
  }
  return { scope, previous, next: nextCheckpoint(previous, newestSeen, complete) };
}

function parseEntry(entry: LookupEntry) {
  if (!entry.cloudTrailEvent) return { success: false as const, problem: "no CloudTrailEvent" };
  let value: unknown;
  try {
    value = JSON.parse(entry.cloudTrailEvent);
  } catch (error) {
    return { success: false as const, problem: `not JSON: ${(error as Error).message}` };
  }
  const parsed = cloudTrailRecordSchema.safeParse(value);
  if (!parsed.success)
    return { success: false as const, problem: parsed.error.issues[0]?.message ?? "invalid" };
  return { success: true as const, record: parsed.data };
}
