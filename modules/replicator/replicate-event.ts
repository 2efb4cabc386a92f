// The replicator's core: one journaled event, every target. Per target: decode -> plan (re-reading
// the source first when CloudTrail omitted the parameters) -> ordering guard -> execute -> record
// the target state. A failure is recorded with its attempt count; once maxAttempts is reached it
// is final: the event goes to the dead-letter queue and an alert names it. Pure: I/O is injected.

import type { ReplicateConfig } from "../config/schema.ts";
import type { JournalEvent } from "../journal/event-item.ts";
import { DEFAULT_JOURNAL_RETENTION_DAYS, targetConcluded } from "../journal/retention.ts";
import type { TargetState, TargetStateName } from "../journal/target-state.ts";
import { type ExecuteDeps, execute, type OperationResult } from "../operations/executor.ts";
import type { CatalogLocation, TargetOperation } from "../operations/operation.ts";
import { operationBackoff } from "../operations/retry.ts";
import type { OperationOutput, Runner } from "../operations/runner.ts";
import type { CatalogChange, EventName } from "../replication/change.ts";
import { type CloudTrailRecord, parseCloudTrailInput } from "../replication/cloudtrail-record.ts";
import { planChange, readOperations } from "../replication/planner.ts";
import { type ConfiguredSource, foreignSourceReason } from "../replication/source-check.ts";
import { toChange } from "../replication/to-change.ts";
import { guardOperations } from "./high-water.ts";
import {
  type DeadLetterQueue,
  type FailureAlerts,
  type FailureNotice,
  type ReplicatorJournal,
  type ReplicatorLog,
  StaleTargetStateError,
} from "./ports.ts";
import { changeFromReads } from "./refetch.ts";
import { readSource } from "./source-reads.ts";
import { type ReplicationTarget, rulesFor, switchedOff } from "./targets.ts";

export interface ReplicatorDeps {
  journal: ReplicatorJournal;
  /** Sends target writes and source reads (modules/aws/operation-runner.ts). */
  run: Runner;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  deadLetters: DeadLetterQueue;
  alerts: FailureAlerts;
  log: ReplicatorLog;
  random?: () => number;
}

export interface ReplicatorSettings {
  targets: ReplicationTarget[];
  /** Role to read the source with (refetches); the ambient credentials when absent. */
  sourceRoleArn?: string;
  /** Attempts per event and target before it is failed for good (config realtime.maxAttempts). */
  maxAttempts: number;
  /** Days a concluded event stays in the journal (realtime.journalRetentionDays; default 30). */
  journalRetentionDays?: number;
  /** Calls per operation within one attempt (the executor's own backoff). Default 3. */
  operationAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  replicatorRoleArn?: string;
  replicate?: ReplicateConfig;
  /** The configured source: events from elsewhere end skipped (replication/source-check.ts). */
  source?: ConfiguredSource;
}

/** What one attempt concluded for one target. */
export interface TargetOutcome {
  eventId: string;
  eventName: string;
  eventTime: string;
  target: string;
  state: TargetStateName;
  reason?: string;
  attempts: number;
  /** False for a failure that will be attempted again. */
  final: boolean;
  /** Seconds from the source eventTime to this outcome. */
  lagSeconds: number;
}

interface Verdict {
  state: Exclude<TargetStateName, "pending">;
  reason?: string;
}

/** Whether the target still has work for this event (no settled state, attempts left). */
export function needsWork(state: TargetState | undefined, maxAttempts: number): boolean {
  return !targetConcluded(state, maxAttempts);
}

/**
 * One attempt of `event` on every target that still needs it. Targets already settled (a
 * duplicate delivery, a replay) are left alone; a target another worker updated meanwhile is
 * left to that worker. Returns the outcomes this call recorded.
 */
export async function replicateEvent(
  event: JournalEvent,
  deps: ReplicatorDeps,
  settings: ReplicatorSettings,
): Promise<TargetOutcome[]> {
  const pending = settings.targets.filter((t) =>
    needsWork(event.targets[t.location.name], settings.maxAttempts),
  );
  if (pending.length === 0) return [];
  let record: CloudTrailRecord | undefined;
  let recordProblem: string | undefined;
  try {
    if (event.record === undefined) throw new Error("the journal item has no record");
    const records = parseCloudTrailInput(event.record);
    if (records.length !== 1) throw new Error(`expected one CloudTrail record, got ${records.length}`);
    record = records[0];
  } catch (error) {
    recordProblem = `invalid record: ${(error as Error).message}`;
  }
  const outcomes = await Promise.all(
    pending.map(async (target) => {
      const verdict: Verdict = record
        ? await attempt(record, target, deps, settings)
        : { state: "failed", reason: recordProblem ?? "no record" };
      return recordVerdict(event, target.location.name, verdict, deps, settings);
    }),
  );
  return outcomes.filter((o): o is TargetOutcome => o !== undefined);
}

async function recordVerdict(
  event: JournalEvent,
  target: string,
  verdict: Verdict,
  deps: ReplicatorDeps,
  settings: ReplicatorSettings,
): Promise<TargetOutcome | undefined> {
  const before = event.targets[target]?.attempts ?? 0;
  let stored: TargetState;
  try {
    stored = await deps.journal.setTargetState(event.eventId, target, verdict.state, {
      ...(verdict.reason !== undefined ? { reason: verdict.reason } : {}),
      expectedAttempts: before,
      current: event,
      retention: {
        targets: settings.targets.map((t) => t.location.name),
        maxAttempts: settings.maxAttempts,
        retentionDays: settings.journalRetentionDays ?? DEFAULT_JOURNAL_RETENTION_DAYS,
      },
    });
  } catch (error) {
    if (!(error instanceof StaleTargetStateError)) throw error;
    deps.log.info("another worker recorded this target first", { eventId: event.eventId, target });
    return undefined;
  }
  const final = verdict.state !== "failed" || stored.attempts >= settings.maxAttempts;
  const outcome: TargetOutcome = {
    eventId: event.eventId,
    eventName: event.eventName,
    eventTime: event.eventTime,
    target,
    state: verdict.state,
    ...(verdict.reason !== undefined ? { reason: verdict.reason } : {}),
    attempts: stored.attempts,
    final,
    lagSeconds: Math.max(0, (deps.now().getTime() - Date.parse(event.eventTime)) / 1000),
  };
  if (verdict.state === "failed") {
    const extra = { eventId: event.eventId, eventName: event.eventName, target, reason: verdict.reason };
    if (final) {
      const notice: FailureNotice = {
        eventId: event.eventId,
        eventName: event.eventName,
        eventTime: event.eventTime,
        sourceAccount: event.sourceAccount,
        sourceRegion: event.sourceRegion,
        target,
        error: verdict.reason ?? "failed",
        attempts: stored.attempts,
      };
      deps.log.error("event failed for good; sent to the dead-letter queue", {
        ...extra,
        attempts: stored.attempts,
      });
      await deps.deadLetters.send(notice);
      await deps.alerts.publish(notice);
    } else {
      deps.log.warn("event failed; it will be attempted again", { ...extra, attempts: stored.attempts });
    }
  }
  return outcome;
}

/** One attempt of one record on one target. Never throws: every problem is a verdict. */
async function attempt(
  record: CloudTrailRecord,
  target: ReplicationTarget,
  deps: ReplicatorDeps,
  settings: ReplicatorSettings,
): Promise<Verdict> {
  try {
    const foreign = foreignSourceReason(record, settings.source);
    if (foreign) return { state: "skipped", reason: foreign };
    const change = await decode(record, deps, settings);
    if ("state" in change) return change;
    const off = switchedOff(change.kind as EventName, settings.replicate);
    if (off) return { state: "skipped", reason: off };
    const plan = planChange(change, target.location, rulesFor(target, record), {
      ...(settings.replicatorRoleArn ? { replicatorRoleArn: settings.replicatorRoleArn } : {}),
    });
    if (plan.outcome === "ignore") return { state: "skipped", reason: plan.reason ?? "ignored" };
    if (plan.outcome === "unsupported") return { state: "unsupported", reason: plan.reason ?? "unsupported" };
    if (plan.outcome === "refetch")
      return { state: "failed", reason: "the planner asked for a second refetch" };
    return await apply(plan.operations, record, target, deps, settings);
  } catch (error) {
    return { state: "failed", reason: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** The record's change, re-read from the source when CloudTrail omitted the parameters. */
async function decode(
  record: CloudTrailRecord,
  deps: ReplicatorDeps,
  settings: ReplicatorSettings,
): Promise<CatalogChange | Verdict> {
  const decoded = toChange(record);
  switch (decoded.outcome) {
    case "change":
      return decoded.change;
    case "ignore":
      return { state: "skipped", reason: decoded.reason };
    case "unsupported":
      return { state: "unsupported", reason: decoded.reason };
    case "refetch": {
      const source: CatalogLocation = {
        name: "source",
        account: decoded.source.account,
        region: decoded.source.region,
        ...(settings.sourceRoleArn ? { roleArn: settings.sourceRoleArn } : {}),
      };
      const reads = readOperations(decoded.reads, source, decoded.source.eventTime);
      const calls = executeDeps(deps, settings);
      const outputs: OperationOutput[] = [];
      for (const read of reads) {
        const output = await readSource(read, { ...calls, delay: operationBackoff(calls) });
        if (output === "gone") {
          return {
            state: "skipped",
            reason: `${read.description}: it no longer exists in the source (a later event removes it)`,
          };
        }
        outputs.push(output);
      }
      return changeFromReads(decoded.source, decoded.reads, outputs);
    }
  }
}

async function apply(
  planned: TargetOperation[],
  record: CloudTrailRecord,
  target: ReplicationTarget,
  deps: ReplicatorDeps,
  settings: ReplicatorSettings,
): Promise<Verdict> {
  if (planned.length === 0) return { state: "noop", reason: "nothing to change on this target" };
  const eventTime = new Date(record.eventTime).toISOString();
  // Marks are per target: the same resource on two targets is claimed twice.
  const markKey = (resourceKey: string) => `${target.location.name}|${resourceKey}`;
  const guarded = await guardOperations(planned, async (resourceKeys) => {
    const refused = await deps.journal.advanceHighWaterMarks(
      resourceKeys.map(markKey),
      eventTime,
      record.eventID,
    );
    return new Map(
      resourceKeys.flatMap((key) => {
        const newer = refused.get(markKey(key));
        return newer ? [[key, newer] as const] : [];
      }),
    );
  });
  const newer = guarded.stale
    .map((s) => `${s.resourceKey} was changed by newer event ${s.newer.eventId} (${s.newer.eventTime})`)
    .join("; ");
  if (guarded.operations.length === 0) return { state: "skipped", reason: newer };
  const report = await execute(guarded.operations, executeDeps(deps, settings));
  return verdictOf(report.results, newer);
}

/** The executor's calls for target writes and source reads alike. */
function executeDeps(deps: ReplicatorDeps, settings: ReplicatorSettings): ExecuteDeps {
  return {
    run: deps.run,
    sleep: deps.sleep,
    now: () => deps.now().getTime(),
    maxAttempts: settings.operationAttempts ?? 3,
    ...(deps.random ? { random: deps.random } : {}),
    ...(settings.baseDelayMs !== undefined ? { baseDelayMs: settings.baseDelayMs } : {}),
    ...(settings.maxDelayMs !== undefined ? { maxDelayMs: settings.maxDelayMs } : {}),
  };
}

function verdictOf(results: OperationResult[], newer: string): Verdict {
  const note = (reason: string | undefined) =>
    [reason, newer ? `not replayed: ${newer}` : ""].filter(Boolean).join("; ") || undefined;
  const withReason = (state: Verdict["state"], reason: string | undefined): Verdict => {
    const text = note(reason);
    return text ? { state, reason: text } : { state };
  };
  const failed = results.filter((r) => r.outcome.status === "failed");
  if (failed.length > 0) {
    const reasons = failed.map((r) => `${r.operation.description}: ${reasonOf(r)}`);
    return withReason("failed", reasons.join("; "));
  }
  if (results.some((r) => r.outcome.status === "applied")) return withReason("applied", undefined);
  // A table a directive kept out (an Iceberg table that cannot be rewritten, or the target's
  // iceberg setting is skip) is reported skipped with why, never as done.
  const skipped = results.filter((r) => r.outcome.status === "skipped");
  if (skipped.length > 0) return withReason("skipped", skipped.map(reasonOf).join("; "));
  const unsupported = results.filter((r) => r.outcome.status === "unsupported");
  if (unsupported.length > 0) return withReason("unsupported", unsupported.map(reasonOf).join("; "));
  return withReason("noop", results.map(reasonOf).filter(Boolean).join("; "));
}

function reasonOf(result: OperationResult): string {
  return "reason" in result.outcome ? result.outcome.reason : "";
}
