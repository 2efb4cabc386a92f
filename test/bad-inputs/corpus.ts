// The bad-input corpus's data model: each *.json file in this folder is one category's cases, as
// data (what a user types or feeds, and the outcome expected); corpus.test.ts runs them through
// the real CLI against local AWS. Files are described as data too (FileSpec), so a case states
// "a CloudTrail CreateDatabase record whose name holds a newline" without code.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod";

export const fileSpec: z.ZodType<FileSpec> = z.lazy(() =>
  z.union([
    z.object({ text: z.string() }).strict(),
    z.object({ json: z.unknown() }).strict(),
    z.object({ repeat: z.string(), times: z.number().int().min(1) }).strict(),
    z.object({ dir: z.literal(true) }).strict(),
    z.object({ gzip: fileSpec, truncate: z.number().int().optional() }).strict(),
    z
      .object({
        /** test/fixtures/cloudtrail/<name>.json, or "config" for lakesync.config.example.json. */
        fixture: z.string(),
        set: z.record(z.string(), z.unknown()).optional(),
        unset: z.array(z.string()).optional(),
        /** How the record is delivered: bare (default), a log file, an EventBridge event, LookupEvents. */
        wrap: z.enum(["records", "eventbridge", "lookup-entry", "lookup-page", "array"]).optional(),
        /** Copies of the record in a log file or page (eventID made unique). */
        copies: z.number().int().min(1).optional(),
      })
      .strict(),
  ]),
);

export type FileSpec =
  | { text: string }
  | { json?: unknown }
  | { repeat: string; times: number }
  | { dir: true }
  | { gzip: FileSpec; truncate?: number | undefined }
  | {
      fixture: string;
      set?: Record<string, unknown> | undefined;
      unset?: string[] | undefined;
      wrap?: "records" | "eventbridge" | "lookup-entry" | "lookup-page" | "array" | undefined;
      copies?: number | undefined;
    };

export const badInputCase = z
  .object({
    /** What the input is, as a sentence. */
    name: z.string(),
    /** The CLI arguments; {file:NAME}, {source.account}, {backup:VARIANT}… are filled in by the runner. */
    args: z.array(z.string()),
    files: z.record(z.string(), fileSpec).optional(),
    /** Expected exit status (1: refused). */
    exit: z.number().int().default(1),
    /** The one stderr line must match (it names the field, file or flag); {placeholders} are filled in. */
    stderr: z.string().optional(),
    /** Stderr lines expected (default: 1 when refused, 0 otherwise). */
    stderrLines: z.number().int().optional(),
    /** For a clear non-error outcome (a terminal state with its reason): stdout must match. */
    stdout: z.string().optional(),
    /** Stdout lines expected (a hostile name must not split or forge a line). */
    stdoutLines: z.number().int().optional(),
  })
  .strict()
  .refine((c) => c.exit !== 1 || c.stderr !== undefined, { message: "a refused case names its message" });

export type BadInputCase = z.infer<typeof badInputCase>;

export const badInputCategory = z
  .object({ category: z.string(), about: z.string(), cases: z.array(badInputCase).min(1) })
  .strict();

export type BadInputCategory = z.infer<typeof badInputCategory>;

/** Every category file in this folder, validated (a malformed corpus file fails loudly). */
export function loadCorpus(folder: string): BadInputCategory[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => {
      const parsed = badInputCategory.safeParse(JSON.parse(readFileSync(join(folder, name), "utf8")));
      if (!parsed.success)
        throw new Error(
          `${name}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
        );
      return parsed.data;
    });
}
