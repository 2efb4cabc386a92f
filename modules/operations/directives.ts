// Executor directives carried inside an operation's `input` (see modules/operations/README.md).
// They never reach AWS: the runner strips them before sending.

export const mergeField = "__merge";

export interface MergeDirectives {
  /**
   * PutDataLakeSettings: the protected admins, which stay data lake admins when the target has them
   * whatever the desired settings say (never added when absent).
   */
  keepAdmins?: string[];
}

/** The directives an input carries (`{}` when none). */
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
