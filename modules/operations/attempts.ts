// One operation's calls: the one retry loop (backoff for what is transient), and the rules that
// read an error as "already in place" per idempotency class. Shared by single, merge and batch
// execution, and by the replicator's source reads.
import { type ClassifiedError, classifyAwsError, describeError } from "./errors.ts";
import type { Idempotency, Outcome, TargetOperation } from "./operation.ts";
import { isRetryable } from "./retry.ts";
import {
  type OperationOutput,
  OperationSkippedError,
  type Runner,
  UnsupportedOperationError,
} from "./runner.ts";

/**
 * Retries and throttles seen while performing one operation: the executor's own retries, the
 * retries the SDK made inside one call (its `$metadata.attempts`, adaptive mode) and the calls
 * answered with a throttling error (counted when the error reached the executor; the SDK's
 * internal retries of a call that ended throttled count as throttles too).
 */
export interface RetryCounts {
  retries: number;
  throttled: number;
}

/** What retried calls need: the runner, the attempt budget and the wait before each retry. */
export interface RetryingCalls {
  /** Where the calls' retries and throttles are added up, when the caller keeps count. */
  counts?: RetryCounts;
  run: Runner;
  sleep: (ms: number) => Promise<void>;
  /** Calls per operation, the first one included. */
  maxAttempts: number;
  /** Milliseconds to wait after failed attempt number `attempt` (see operationBackoff). */
  delay: (attempt: number) => number;
}

export interface Context extends RetryingCalls {
  /** Runs any operation (used for onExists fallbacks and merge writes). */
  perform: (operation: TargetOperation) => Promise<Performed>;
}

export interface EntryOutcome {
  /** The entry's name: partition values as JSON, table name, permission entry Id, tag key. */
  entry: string;
  outcome: Outcome;
}

/** What performing one operation concluded. */
export interface Performed {
  outcome: Outcome;
  /** Calls made (rounds, for batch operations), the onExists fallback and merge reads included. */
  attempts: number;
  /** Batch operations: one outcome per entry. */
  entries?: EntryOutcome[];
}

/** Retries the SDK made within one call that answered `value` (an output or an error). */
function sdkRetries(value: unknown): number {
  const attempts = (value as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
  return typeof attempts === "number" && attempts > 1 ? attempts - 1 : 0;
}

/**
 * Adds one call's answer (an output, or the error it threw) to `counts`: the SDK's retries inside
 * it, and whether it ended throttled (then its SDK retries were throttled too). `retried` is true
 * when this call is itself the executor's retry.
 */
export function countCall(
  counts: RetryCounts | undefined,
  answer: unknown,
  options: { throttled?: boolean; retried?: boolean } = {},
): void {
  if (!counts) return;
  const inner = sdkRetries(answer);
  counts.retries += inner + (options.retried ? 1 : 0);
  if (options.throttled) counts.throttled += 1 + inner;
}

export type Attempted =
  | { ok: true; output: OperationOutput; attempts: number }
  /** Not sent: no command (unsupported), or a directive ended it first (`skipped`, see OperationSkippedError). */
  | { ok: false; unsupported: string; skipped?: true; attempts: number }
  | { ok: false; unsupported?: undefined; error: ClassifiedError; retryable: boolean; attempts: number };

/** Calls `operation` until it succeeds, fails for good, or the attempts run out. Never throws. */
export async function runWithRetries(operation: TargetOperation, calls: RetryingCalls): Promise<Attempted> {
  for (let attempt = 1; ; attempt++) {
    try {
      const output = await calls.run(operation);
      countCall(calls.counts, output, { retried: attempt > 1 });
      return { ok: true, output, attempts: attempt };
    } catch (thrown) {
      if (thrown instanceof UnsupportedOperationError)
        return { ok: false, unsupported: thrown.message, attempts: attempt };
      if (thrown instanceof OperationSkippedError)
        return { ok: false, unsupported: thrown.message, skipped: true, attempts: attempt };
      const error = classifyAwsError(thrown);
      countCall(calls.counts, thrown, { throttled: error.kind === "Throttled", retried: attempt > 1 });
      const retryable = isRetryable(error.kind, operation.idempotency);
      if (!retryable || attempt >= calls.maxAttempts)
        return { ok: false, error, retryable, attempts: attempt };
      await calls.sleep(calls.delay(attempt));
    }
  }
}

/** The noop reason when an error means the operation's effect is already in place. */
export function alreadyInPlace(idempotency: Idempotency, error: ClassifiedError): string | undefined {
  const why = describeError(error);
  switch (idempotency) {
    case "create":
      return error.kind === "AlreadyExists" ? `already exists (${why})` : undefined;
    case "delete":
      return error.kind === "NotFound" ? `already absent (${why})` : undefined;
    case "grant":
      return error.kind === "AlreadyExists" || error.permissionUnchanged
        ? `already granted (${why})`
        : undefined;
    case "revoke":
      return error.kind === "NotFound" || error.permissionUnchanged ? `not granted (${why})` : undefined;
    default:
      return undefined;
  }
}

export function failed(error: ClassifiedError, attempts: number, retryable: boolean): Outcome {
  return { status: "failed", reason: `${error.kind}: ${describeError(error)}`, attempts, retryable };
}
