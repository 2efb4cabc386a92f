// Source reads of a refetch (CloudTrail omitted the parameters): retried on transient errors by
// the executor's own retry loop, followed to the last page, and "gone" when the object no longer
// exists in the source (a later event deletes it; replaying nothing is then right).
import { type RetryingCalls, runWithRetries } from "../operations/attempts.ts";
import { describeError } from "../operations/errors.ts";
import { rewritten, type TargetOperation } from "../operations/operation.ts";
import type { OperationOutput } from "../operations/runner.ts";

/** A source read with retries on transient errors; GetPartitions is followed to its last page. */
export async function readSource(
  read: TargetOperation,
  calls: RetryingCalls,
): Promise<OperationOutput | "gone"> {
  const partitions: unknown[] = [];
  let token: string | undefined;
  while (true) {
    const page = await readOnce(
      token === undefined ? read : rewritten(read, { input: { ...read.input, NextToken: token } }),
      calls,
    );
    if (page === "gone" || read.operation !== "GetPartitions") return page;
    partitions.push(...((page.Partitions as unknown[] | undefined) ?? []));
    token = typeof page.NextToken === "string" && page.NextToken !== "" ? page.NextToken : undefined;
    if (token === undefined) return { Partitions: partitions };
  }
}

async function readOnce(read: TargetOperation, calls: RetryingCalls): Promise<OperationOutput | "gone"> {
  const attempted = await runWithRetries(read, calls);
  if (attempted.ok) return attempted.output;
  if (attempted.unsupported !== undefined)
    throw new Error(`${read.description} failed: ${attempted.unsupported}`);
  if (attempted.error.kind === "NotFound") return "gone";
  throw new Error(`${read.description} failed: ${attempted.error.kind}: ${describeError(attempted.error)}`);
}
