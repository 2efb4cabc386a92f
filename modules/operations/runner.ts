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
 * Executor directives carried inside `input` (see modules/operations/README.md). They never reach
 * AWS: the runner strips them before sending.
 */
export const mergeField = "__merge";

export interface MergeDirectives {
  /** PutDataLakeSettings: principals that must stay data lake admins whatever the source says. */
  keepAdmins?: string[];
  /** PutDataLakeSettings: admins the source removed (already mapped); never applied to keepAdmins. */
  removeAdmins?: string[];
}

export function mergeDirectives(input: Record<string, unknown>): MergeDirectives {
  const value = input[mergeField];
  return value && typeof value === "object" ? (value as MergeDirectives) : {};
}

/** The input exactly as the SDK command takes it: executor directives removed. */
export function commandInput(input: Record<string, unknown>): Record<string, unknown> {
  if (!(mergeField in input)) return input;
  const { [mergeField]: _directives, ...rest } = input;
  return rest;
}
