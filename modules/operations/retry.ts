// Which failures are worth another attempt, and how long to wait before it.
import type { AwsErrorKind } from "./errors.ts";
import type { Idempotency } from "./operation.ts";

const transientKinds: ReadonlySet<AwsErrorKind> = new Set([
  "Throttled",
  "Retryable",
  "ConcurrentModification",
]);

/**
 * Transient errors are retried for every operation. NotFound is retried for creates and grants
 * because their parent (the database of a table, the table of a partition or grant) may be created
 * by another operation or event that has not landed yet.
 */
export function isRetryable(kind: AwsErrorKind, idempotency: Idempotency): boolean {
  if (transientKinds.has(kind)) return true;
  return kind === "NotFound" && (idempotency === "create" || idempotency === "grant");
}

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** A number in [0, 1): Math.random in production, fixed in tests. */
  random: () => number;
}

/** "Full jitter" exponential backoff: uniform in [0, min(max, base * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(options.random() * ceiling);
}

/** The delay before each retry of one operation: base 200 ms, at most 20 s, Math.random jitter. */
export function operationBackoff(options: Partial<BackoffOptions>): (attempt: number) => number {
  const resolved: BackoffOptions = {
    baseDelayMs: options.baseDelayMs ?? 200,
    maxDelayMs: options.maxDelayMs ?? 20_000,
    random: options.random ?? Math.random,
  };
  return (attempt) => backoffDelay(attempt, resolved);
}
