// Lambda environments, validated once per cold start: a function that is deployed wrong fails
// with every bad variable named, not with an undefined deep inside.
import type { z } from "zod";

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
