// Source reads of a refetch (CloudTrail omitted the parameters): retried on transient errors
// with the executor's backoff, followed to the last page, and "gone" when the object no longer
// exists in the source (a later event deletes it; replaying nothing is then right).
import { classifyAwsError, describeError } from "../aws/errors.ts";
import { rewritten, type TargetOperation } from "../operations/operation.ts";
import { backoffDelay, isRetryable } from "../operations/retry.ts";
import type { OperationOutput } from "../operations/runner.ts";
import type { ReplicatorDeps, ReplicatorSettings } from "./replicate-event.ts";

type ReadDeps = Pick<ReplicatorDeps, "run" | "sleep" | "random">;
type ReadSettings = Pick<ReplicatorSettings, "operationAttempts" | "baseDelayMs" | "maxDelayMs">;

/** A source read with retries on transient errors; GetPartitions is followed to its last page. */
export async function readSource(
  read: TargetOperation,
  deps: ReadDeps,
  settings: ReadSettings,
): Promise<OperationOutput | "gone"> {
  const partitions: unknown[] = [];
  let token: string | undefined;
  while (true) {
    const page = await readOnce(
      token === undefined ? read : rewritten(read, { input: { ...read.input, NextToken: token } }),
      deps,
      settings,
    );
    if (page === "gone" || read.operation !== "GetPartitions") return page;
    partitions.push(...((page.Partitions as unknown[] | undefined) ?? []));
    token = typeof page.NextToken === "string" && page.NextToken !== "" ? page.NextToken : undefined;
    if (token === undefined) return { Partitions: partitions };
  }
}

async function readOnce(
  read: TargetOperation,
  deps: ReadDeps,
  settings: ReadSettings,
): Promise<OperationOutput | "gone"> {
  const maxAttempts = settings.operationAttempts ?? 3;
  for (let n = 1; ; n++) {
    try {
      return await deps.run(read);
    } catch (thrown) {
      const error = classifyAwsError(thrown);
      if (error.kind === "NotFound") return "gone";
      if (!isRetryable(error.kind, "read") || n >= maxAttempts) {
        throw new Error(`${read.description} failed: ${error.kind}: ${describeError(error)}`);
      }
      await deps.sleep(delay(n, deps, settings));
    }
  }
}

function delay(attempt: number, deps: ReadDeps, settings: ReadSettings): number {
  return backoffDelay(attempt, {
    baseDelayMs: settings.baseDelayMs ?? 200,
    maxDelayMs: settings.maxDelayMs ?? 20_000,
    random: deps.random ?? Math.random,
  });
}
