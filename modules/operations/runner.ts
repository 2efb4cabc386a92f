// The seam between the executor (pure) and AWS: a runner sends one operation and returns the
// command's output. modules/aws/operation-runner.ts is the real one; tests pass in-memory ones.
import type { TargetOperation } from "./operation.ts";

/** A command output (the SDK v3 response shape, `$metadata` included or not). */
export type OperationOutput = Record<string, unknown>;

export type Runner = (operation: TargetOperation) => Promise<OperationOutput>;

/** Thrown by a runner for an operation it has no command for; the executor reports `unsupported`. */
export class UnsupportedOperationError extends Error {
  override readonly name = "UnsupportedOperationError";
  constructor(
    readonly service: string,
    readonly operation: string,
  ) {
    super(`no ${service} command for operation ${operation}`);
  }
}

/**
 * Thrown by a runner when a directive says the operation must not be sent (an Iceberg table the
 * target's setting skips, or whose metadata cannot be rewritten); the executor reports `skipped`.
 */
export class OperationSkippedError extends Error {
  override readonly name = "OperationSkippedError";
}

export {
  commandInput,
  type IcebergDirectives,
  icebergDirectives,
  icebergField,
  type MergeDirectives,
  mergeDirectives,
  mergeField,
} from "./directives.ts";
