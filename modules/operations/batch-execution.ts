// Batch APIs, entry by entry: each entry gets the idempotency rules of its operation, only entries
// that failed transiently are resent, and existing partitions can be updated instead (onExists).

import { alreadyInPlace, type Context, countCall, failed, type Performed } from "./attempts.ts";
import { batchSpecFor, chunk, partitionUpdateEntries } from "./batch-entries.ts";
import { type ClassifiedError, classifyAwsError, classifyErrorCode } from "./errors.ts";
import { type Outcome, rewritten, type TargetOperation } from "./operation.ts";
import { isRetryable } from "./retry.ts";
import { UnsupportedOperationError } from "./runner.ts";

interface EntryState {
  entry: unknown;
  key: string;
  outcome?: Outcome;
  lastError?: ClassifiedError;
  /** BatchCreatePartition entries that already existed (candidates for the onExists update). */
  existed?: boolean;
}

export async function performBatch(operation: TargetOperation, context: Context): Promise<Performed> {
  const spec = batchSpecFor(operation.operation);
  if (!spec) throw new Error(`not a batch operation: ${operation.operation}`);
  const { run, sleep, maxAttempts } = context;
  const entries = (operation.input[spec.entriesField] ?? []) as unknown[];
  const states: EntryState[] = entries.map((entry) => ({ entry, key: spec.entryKey(entry) }));
  if (states.length === 0) return { outcome: { status: "noop", reason: "no entries" }, attempts: 0 };

  const settle = (state: EntryState, error: ClassifiedError, attempt: number) => {
    state.lastError = error;
    const noop = alreadyInPlace(operation.idempotency, error);
    if (noop) {
      state.outcome = { status: "noop", reason: noop };
      state.existed = error.kind === "AlreadyExists";
    } else if (!isRetryable(error.kind, operation.idempotency)) {
      state.outcome = failed(error, attempt, false);
    }
  };

  let attempts = 0;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const pending = states.filter((state) => !state.outcome);
    if (pending.length === 0) break;
    if (attempt > 1) await sleep(context.delay(attempt - 1));
    attempts = attempt;
    for (const part of chunk(pending, spec.chunkSize)) {
      const call = rewritten(operation, {
        input: { ...operation.input, [spec.entriesField]: part.map((s) => s.entry) },
      });
      try {
        const output = await run(call);
        countCall(context.counts, output, { retried: attempt > 1 });
        const failures = new Map(spec.failures(output).map((failure) => [failure.key, failure]));
        for (const state of part) {
          const failure = failures.get(state.key);
          if (!failure) state.outcome = { status: "applied" };
          else {
            const error = classifyErrorCode(failure.code || "Unknown", failure.message);
            if (error.kind === "Throttled" && context.counts) context.counts.throttled += 1;
            settle(state, error, attempt);
          }
        }
      } catch (thrown) {
        if (thrown instanceof UnsupportedOperationError) {
          return { outcome: { status: "unsupported", reason: thrown.message }, attempts: attempt };
        }
        const error = classifyAwsError(thrown);
        countCall(context.counts, thrown, { throttled: error.kind === "Throttled", retried: attempt > 1 });
        for (const state of part) settle(state, error, attempt);
      }
    }
  }
  for (const state of states) {
    if (!state.outcome && state.lastError) state.outcome = failed(state.lastError, attempts, true);
  }

  const update = operation.onExists;
  const existing = states.filter((state) => state.existed);
  if (
    operation.operation === "BatchCreatePartition" &&
    update?.operation === "BatchUpdatePartition" &&
    existing.length
  ) {
    const updated = await performBatch(
      rewritten(update, {
        input: { ...update.input, Entries: partitionUpdateEntries(existing.map((s) => s.entry)) },
      }),
      context,
    );
    attempts += updated.attempts;
    const byKey = new Map((updated.entries ?? []).map((e) => [e.entry, e.outcome]));
    for (const state of existing) state.outcome = byKey.get(state.key) ?? updated.outcome;
  }
  return batchResult(states, attempts);
}

function batchResult(states: EntryState[], attempts: number): Performed {
  const entries = states.map((state) => ({ entry: state.key, outcome: state.outcome as Outcome }));
  const failures = entries.filter((e) => e.outcome.status === "failed");
  if (failures.length) {
    const reasons = failures.map((e) => `${e.entry}: ${(e.outcome as { reason: string }).reason}`);
    const retryable = failures.every((e) => e.outcome.status === "failed" && e.outcome.retryable);
    const reason = `${failures.length} of ${entries.length} entries failed: ${reasons.join("; ")}`;
    return { outcome: { status: "failed", reason, attempts, retryable }, attempts, entries };
  }
  if (entries.every((e) => e.outcome.status === "noop")) {
    return {
      outcome: { status: "noop", reason: `all ${entries.length} entries already in place` },
      attempts,
      entries,
    };
  }
  return { outcome: { status: "applied" }, attempts, entries };
}
