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

/** What retried calls need: the runner, the attempt budget and the wait before each retry. */
export interface RetryingCalls {
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

export type Attempted =
  | { ok: true; output: OperationOutput; attempts: number }
  /** Not sent: no command (unsupported), or a directive ended it first (`skipped`, see OperationSkippedError). */
  | { ok: false; unsupported: string; skipped?: true; attempts: number }
  | { ok: false; unsupported?: undefined; error: ClassifiedError; retryable: boolean; attempts: number };

/** Calls `operation` until it succeeds, fails for good, or the attempts run out. Never throws. */
export async function runWithRetries(operation: TargetOperation, calls: RetryingCalls): Promise<Attempted> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, output: await calls.run(operation), attempts: attempt };
    } catch (thrown) {
      if (thrown instanceof UnsupportedOperationError)
        return { ok: false, unsupported: thrown.message, attempts: attempt };
      if (thrown instanceof OperationSkippedError)
        return { ok: false, unsupported: thrown.message, skipped: true, attempts: attempt };
      const error = classifyAwsError(thrown);
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
