// Lambda environments, validated once per cold start: a function that is deployed wrong fails
// with every bad variable named, not with an undefined deep inside.
import type * as z from "zod";

export function parseEnvironment<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid ${what} configuration: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/** Variables Lambda sets in every function's environment; a stack never passes them. */
export const LAMBDA_PROVIDED_VARIABLES: readonly string[] = ["AWS_REGION"];

/**
 * The variables a schema cannot do without (those it rejects when absent), less the ones Lambda
 * provides: what the stack that deploys the handler must set (checked by the synth test).
 */
export function requiredVariables(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(
      ([name, field]) => !LAMBDA_PROVIDED_VARIABLES.includes(name) && !field.safeParse(undefined).success,
    )
    .map(([name]) => name);
}
