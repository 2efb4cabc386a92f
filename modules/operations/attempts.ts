// One operation's calls: retries with backoff for what is transient, and the rules that read an
// error as "already in place" per idempotency class. Shared by single, merge and batch execution.
import { type ClassifiedError, classifyAwsError, describeError } from "../aws/errors.ts";
import type { ExecuteDeps, OperationResult } from "./executor.ts";
import type { Idempotency, Outcome, TargetOperation } from "./operation.ts";
import { isRetryable } from "./retry.ts";
import { type OperationOutput, UnsupportedOperationError } from "./runner.ts";

export interface Context {
  deps: ExecuteDeps;
  delay: (attempt: number) => number;
  /** Runs any operation (used for onExists fallbacks and merge writes). */
  perform: (operation: TargetOperation) => Promise<Performed>;
}

export type Performed = Omit<OperationResult, "operation" | "durationMs">;

export type Attempted =
  | { ok: true; output: OperationOutput; attempts: number }
  | { ok: false; unsupported: string; attempts: number }
  | { ok: false; unsupported?: undefined; error: ClassifiedError; retryable: boolean; attempts: number };

export async function runWithRetries(operation: TargetOperation, context: Context): Promise<Attempted> {
  const { run, sleep, maxAttempts } = context.deps;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, output: await run(operation), attempts: attempt };
    } catch (thrown) {
      if (thrown instanceof UnsupportedOperationError)
        return { ok: false, unsupported: thrown.message, attempts: attempt };
      const error = classifyAwsError(thrown);
      const retryable = isRetryable(error.kind, operation.idempotency);
      if (!retryable || attempt >= maxAttempts) return { ok: false, error, retryable, attempts: attempt };
      await sleep(context.delay(attempt));
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
