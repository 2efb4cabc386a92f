// The field types the config schema is built from: each one checks a value and says in one line
// what was expected, naming what it got. Shared by the sections of schema.ts and mesh-schema.ts.
import * as z from "zod";
import {
  accountIdPattern,
  bucketNameProblem,
  catalogGlobPattern,
  databaseNamePattern,
  iamRoleArnPattern,
  principalProblem,
  regionPattern,
  regionProblem,
  s3UrlProblem,
} from "./rules.ts";

export const shown = (input: unknown): string => JSON.stringify(input) ?? String(input);

/** A string checked by a function that returns what is wrong; `pattern` documents it in JSON Schema. */
export function checkedString(problem: (value: string) => string | undefined, pattern?: RegExp) {
  const base = z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: "custom", message, input: value });
  });
  return pattern ? base.meta({ pattern: pattern.source }) : base;
}

export const accountId = () =>
  z.string().regex(accountIdPattern, {
    error: (issue) => `expected a 12-digit AWS account id like "123456789012", got ${shown(issue.input)}`,
  });

export const region = () => checkedString(regionProblem, regionPattern);

export const roleArn = () =>
  z.string().regex(iamRoleArnPattern, {
    error: (issue) =>
      `expected an IAM role ARN like "arn:aws:iam::123456789012:role/name", got ${shown(issue.input)}`,
  });

export const bucketName = () => checkedString(bucketNameProblem, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);

export const s3Url = () => checkedString(s3UrlProblem, /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/);

export const principal = () => checkedString(principalProblem);

export const catalogGlob = () =>
  z.string().regex(catalogGlobPattern, {
    error: (issue) =>
      `expected a "database" or "database.table" glob of lower-case names with * and ? wildcards, got ${shown(issue.input)}`,
  });

export const databaseName = () =>
  z.string().regex(databaseNamePattern, {
    error: (issue) =>
      `expected a Glue database name (lower-case letters, digits, _ and -), got ${shown(issue.input)}`,
  });

export const nonEmpty = () => z.string().min(1, { error: "expected a non-empty string" });

export const resourceName = () =>
  z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, {
    error: (issue) =>
      `expected a short name of lower-case letters, digits and hyphens (at most 40, used in resource names), got ${shown(issue.input)}`,
  });

export const int = (min: number, max: number) =>
  z
    .number()
    .int({ error: (issue) => `expected a whole number, got ${shown(issue.input)}` })
    .min(min, { error: (issue) => `expected at least ${min}, got ${shown(issue.input)}` })
    .max(max, { error: (issue) => `expected at most ${max}, got ${shown(issue.input)}` });

export function uniqueBy<T, C>(
  items: readonly T[],
  key: (item: T) => string,
  ctx: z.core.$RefinementCtx<C>,
  where: { array: string; path?: (string | number)[]; field: string; what: string },
): void {
  const firstIndex = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = firstIndex.get(k);
    if (first === undefined) {
      firstIndex.set(k, i);
      return;
    }
    ctx.addIssue({
      code: "custom",
      path: [...(where.path ?? []), i, where.field],
      message: `expected a unique ${where.what}, ${shown(k)} is also used by ${where.array}[${first}]`,
    });
  });
}
