// The one executor: runs TargetOperations in dependency order with bounded concurrency, retries
// what is transient, turns "already done" answers into noops by idempotency class, handles batch
// APIs entry by entry and does read-modify-write for merges. Pure: the runner (AWS or in-memory),
// sleep, clock and randomness are injected. The contract is in modules/operations/README.md.
import pLimit from "p-limit";
import {
  alreadyInPlace,
  type Context,
  failed,
  type Performed,
  type RetryCounts,
  runWithRetries,
} from "./attempts.ts";
import { batchSpecFor } from "./batch-entries.ts";
import { performBatch } from "./batch-execution.ts";
import type { OutcomeStatus, TargetOperation } from "./operation.ts";
import { schedule } from "./ordering.ts";
import { performMerge } from "./read-modify-write.ts";
import { operationBackoff } from "./retry.ts";
import type { Runner } from "./runner.ts";

export interface ExecuteDeps {
  run: Runner;
  sleep: (ms: number) => Promise<void>;
  /** Milliseconds clock, for per-operation durations. */
  now?: () => number;
  /** Jitter source in [0, 1); defaults to Math.random. */
  random?: () => number;
  /** Attempts per operation (and per batch entry), the first one included. */
  maxAttempts: number;
  /** Operations in flight at once within a stage (default 8). */
  concurrency?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  onProgress?: (progress: Progress) => void;
}

export type { EntryOutcome } from "./attempts.ts";

export interface OperationResult extends Performed {
  operation: TargetOperation;
  durationMs?: number;
  /** Retries (the executor's and the SDK's) and throttled calls while performing it. */
  retries?: number;
  throttled?: number;
}

export interface Progress {
  done: number;
  total: number;
  result: OperationResult;
}

export type ExecutionSummary = Record<OutcomeStatus, number> & {
  total: number;
  /** Failed operations worth re-queueing (transient errors or missing parents after maxAttempts). */
  retryable: number;
  /** Calls retried, by the executor or inside the SDK (adaptive retry), over all operations. */
  retries: number;
  /** Calls answered with a throttling error, over all operations. */
  throttled: number;
};

export interface ExecutionReport {
  /** One result per input operation, in input order. */
  results: OperationResult[];
  summary: ExecutionSummary;
}

export async function execute(
  operations: readonly TargetOperation[],
  deps: ExecuteDeps,
): Promise<ExecutionReport> {
  const context: Context = {
    run: deps.run,
    sleep: deps.sleep,
    maxAttempts: deps.maxAttempts,
    delay: operationBackoff(deps),
    perform: (operation) => perform(operation, context),
  };
  const limit = pLimit(deps.concurrency ?? 8);
  const results: OperationResult[] = new Array(operations.length);
  let done = 0;

  // Keys with a failed operation: later operations on them assume it happened, so running them
  // could invert the key's order; they are skipped (in this and later stages).
  const failedKeys = new Map<string, string>();

  for (const stage of schedule(operations)) {
    await Promise.all(
      stage.chains.map((chain) =>
        limit(async () => {
          for (const index of chain.indexes) {
            const operation = operations[index] as TargetOperation;
            const failedBefore = failedKeys.get(chain.resourceKey);
            const result: OperationResult = failedBefore
              ? { operation, outcome: { status: "skipped", reason: failedBefore }, attempts: 0 }
              : await timed(operation, context, deps.now);
            if (result.outcome.status === "failed") {
              failedKeys.set(
                chain.resourceKey,
                `an earlier operation on ${chain.resourceKey} failed: ${operation.description}`,
              );
            }
            results[index] = result;
            done += 1;
            deps.onProgress?.({ done, total: operations.length, result });
          }
        }),
      ),
    );
  }
  return { results, summary: summarize(results) };
}

async function timed(
  operation: TargetOperation,
  shared: Context,
  now: (() => number) | undefined,
): Promise<OperationResult> {
  // The operation's own counts: its fallbacks and merge reads go through this context too.
  const counts: RetryCounts = { retries: 0, throttled: 0 };
  const context: Context = { ...shared, counts, perform: (op) => perform(op, context) };
  const start = now?.();
  const performed = await perform(operation, context);
  const end = now?.();
  return {
    operation,
    ...performed,
    ...(start !== undefined && end !== undefined ? { durationMs: end - start } : {}),
    retries: counts.retries,
    throttled: counts.throttled,
  };
}

function perform(operation: TargetOperation, context: Context): Promise<Performed> {
  if (batchSpecFor(operation.operation)) return performBatch(operation, context);
  if (operation.idempotency === "merge") return performMerge(operation, context);
  return performSingle(operation, context);
}

// ---- single operations -----------------------------------------------------------------------

async function performSingle(operation: TargetOperation, context: Context): Promise<Performed> {
  const attempted = await runWithRetries(operation, context);
  if (attempted.ok) return { outcome: { status: "applied" }, attempts: attempted.attempts };
  if (attempted.unsupported !== undefined) {
    return {
      outcome: { status: attempted.skipped ? "skipped" : "unsupported", reason: attempted.unsupported },
      attempts: attempted.attempts,
    };
  }
  const { error, attempts } = attempted;
  if (operation.idempotency === "create" && error.kind === "AlreadyExists" && operation.onExists) {
    const fallback = await perform(operation.onExists, context);
    const total = attempts + fallback.attempts;
    if (fallback.outcome.status === "failed") {
      const reason = `exists; ${operation.onExists.description} failed: ${fallback.outcome.reason}`;
      return { outcome: { ...fallback.outcome, reason, attempts: total }, attempts: total };
    }
    return { ...fallback, attempts: total };
  }
  const noop = alreadyInPlace(operation.idempotency, error);
  if (noop) return { outcome: { status: "noop", reason: noop }, attempts };
  return { outcome: failed(error, attempts, attempted.retryable), attempts };
}

// ---- summaries -------------------------------------------------------------------------------

export function summarize(results: readonly OperationResult[]): ExecutionSummary {
  const summary: ExecutionSummary = {
    total: results.length,
    applied: 0,
    noop: 0,
    skipped: 0,
    unsupported: 0,
    failed: 0,
    retryable: 0,
    retries: 0,
    throttled: 0,
  };
  for (const { outcome, retries, throttled } of results) {
    summary[outcome.status] += 1;
    summary.retries += retries ?? 0;
    summary.throttled += throttled ?? 0;
    if (outcome.status === "failed" && outcome.retryable) summary.retryable += 1;
  }
  return summary;
}

export { type PlanSummary, planSummary } from "./plan-summary.ts";
