// Lambda environments, validated once per cold start: a function that is deployed wrong fails
// with every bad variable named, not with an undefined deep inside.
import * as z from "../config/zod-mini.ts";

export function parseEnvironment<S extends z.core.$ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
  what: string,
): z.output<S> {
  // The functional parse takes a classic zod schema and a zod/mini one alike.
  const parsed = z.safeParse(schema, env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid ${what} configuration: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/**
 * A variable holding JSON the stack wrote (resolved targets, settings), checked against `schema`:
 * a message naming the variable and each bad field, as parseEnvironment's.
 */
export function parseJsonVariable<S extends z.core.$ZodType>(
  schema: S,
  text: string,
  variable: string,
  what: string,
): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`invalid ${what} configuration: ${variable} is not JSON: ${(error as Error).message}`);
  }
  const parsed = z.safeParse(schema, json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${[variable, ...i.path].join(".")}: ${i.message}`);
    throw new Error(`invalid ${what} configuration: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/** A variable holding "true" or "false"; unset, `fallback`. */
export const booleanVariable = (fallback: boolean) =>
  z.pipe(
    z.optional(z.enum(["true", "false"])),
    z.transform((v) => (v === undefined ? fallback : v === "true")),
  );

/**
 * "true": the handler traces each invocation and every SDK call it makes as X-Ray subsegments,
 * with the Powertools tracer it then loads (deployment.lambda.traceSdkCalls). Set by the stacks on
 * the functions whose handler contract has `tracesSdkCalls` (modules/deploy/handlers.ts).
 */
export const TRACE_SDK_CALLS_VARIABLE = "LAKESYNC_TRACE_SDK_CALLS";

/** Variables Lambda sets in every function's environment; a stack never passes them. */
export const LAMBDA_PROVIDED_VARIABLES: readonly string[] = ["AWS_REGION"];

/**
 * The variables a schema cannot do without (those it rejects when absent), less the ones Lambda
 * provides: what the stack that deploys the handler must set (checked by the synth test).
 */
export function requiredVariables(schema: z.core.$ZodObject): string[] {
  return Object.entries(schema._zod.def.shape)
    .filter(
      ([name, field]) => !LAMBDA_PROVIDED_VARIABLES.includes(name) && !z.safeParse(field, undefined).success,
    )
    .map(([name]) => name);
}
