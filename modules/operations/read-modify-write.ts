// Read-modify-write for `merge` operations: read the target's current state, let the pure rules in
// merge.ts decide what to write, and write only when something changes.
import { type Attempted, type Context, failed, type Performed, runWithRetries } from "./attempts.ts";
import { type DataLakeSettings, mergeDataLakeSettings, missingTagValues } from "./merge.ts";
import { rewritten, type TargetOperation } from "./operation.ts";
import { commandInput, mergeDirectives } from "./runner.ts";

export async function performMerge(operation: TargetOperation, context: Context): Promise<Performed> {
  switch (operation.operation) {
    case "PutDataLakeSettings":
      return mergeSettings(operation, context);
    case "CreateLFTag":
    case "UpdateLFTag":
      return convergeLfTag(operation, context);
    default:
      return {
        outcome: { status: "unsupported", reason: `no merge rule for ${operation.operation}` },
        attempts: 0,
      };
  }
}

function readOf(
  operation: TargetOperation,
  name: "GetDataLakeSettings" | "GetLFTag",
  input: Record<string, unknown>,
): TargetOperation {
  const { onExists: _none, ...rest } = operation;
  return rewritten(rest, {
    operation: name,
    input,
    idempotency: "read",
    description: `read for ${operation.description}`,
  });
}

function catalogIdOf(input: Record<string, unknown>): Record<string, unknown> {
  return typeof input.CatalogId === "string" ? { CatalogId: input.CatalogId } : {};
}

/** Runs a read then, if it says so, a write; attempts add up and failures name the step. */
async function readThenWrite(
  read: TargetOperation,
  context: Context,
  decide: (current: Attempted) => { noop: string } | { write: TargetOperation } | { fail: Attempted },
): Promise<Performed> {
  const current = await runWithRetries(read, context);
  if (!current.ok && current.unsupported !== undefined) {
    return { outcome: { status: "unsupported", reason: current.unsupported }, attempts: current.attempts };
  }
  const decision = decide(current);
  if ("noop" in decision)
    return { outcome: { status: "noop", reason: decision.noop }, attempts: current.attempts };
  if ("fail" in decision) {
    const f = decision.fail;
    if (f.ok || f.unsupported !== undefined) throw new Error("unreachable: fail decision without an error");
    return { outcome: failed(f.error, f.attempts, f.retryable), attempts: f.attempts };
  }
  const written = await context.perform(decision.write);
  const attempts = current.attempts + written.attempts;
  const outcome = written.outcome.status === "failed" ? { ...written.outcome, attempts } : written.outcome;
  return { outcome, attempts };
}

function mergeSettings(operation: TargetOperation, context: Context): Promise<Performed> {
  const input = commandInput(operation.input);
  const read = readOf(operation, "GetDataLakeSettings", catalogIdOf(input));
  return readThenWrite(read, context, (current) => {
    if (!current.ok) return { fail: current };
    const { settings, changed } = mergeDataLakeSettings(
      current.output.DataLakeSettings as DataLakeSettings | undefined,
      (input.DataLakeSettings ?? {}) as DataLakeSettings,
      mergeDirectives(operation.input),
    );
    if (!changed) return { noop: "data lake settings already in place" };
    return {
      write: rewritten(operation, { idempotency: "upsert", input: { ...input, DataLakeSettings: settings } }),
    };
  });
}

function convergeLfTag(operation: TargetOperation, context: Context): Promise<Performed> {
  const input = commandInput(operation.input);
  const tagKey = input.TagKey;
  const desired = (input.TagValues ?? input.TagValuesToAdd ?? []) as string[];
  const read = readOf(operation, "GetLFTag", { ...catalogIdOf(input), TagKey: tagKey });
  return readThenWrite(read, context, (current) => {
    if (!current.ok) {
      if (current.unsupported !== undefined || current.error.kind !== "NotFound") return { fail: current };
      const create = { ...catalogIdOf(input), TagKey: tagKey, TagValues: desired };
      return {
        write: rewritten(operation, { operation: "CreateLFTag", idempotency: "create", input: create }),
      };
    }
    const missing = missingTagValues((current.output.TagValues ?? []) as string[], desired);
    if (missing.length === 0) return { noop: `LF tag ${String(tagKey)} already has every value` };
    const update = { ...catalogIdOf(input), TagKey: tagKey, TagValuesToAdd: missing };
    return {
      write: rewritten(operation, { operation: "UpdateLFTag", idempotency: "upsert", input: update }),
    };
  });
}
