// Turns the text of lakesync.config.json into the typed, defaulted config, or a ConfigError that
// lists every problem at once, one line each: `<file>: <field path>: <what was expected>`.
// parseConfig is pure; loadConfig is the thin file read around it.
import { readFile } from "node:fs/promises";
import type * as z from "zod";
import { configSchema, type LakesyncConfig, type MappingConfig, type TargetConfig } from "./schema.ts";

export interface ConfigIssue {
  /** Field path as written in the file, e.g. `targets[1].region`; `(root)` for the whole file. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(issues.map((issue) => `${file}: ${issue.path}: ${issue.message}`).join("\n"));
    this.name = "ConfigError";
  }
}

/** Reads and validates a config file. */
export async function loadConfig(path: string): Promise<LakesyncConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : String(error);
    throw new ConfigError(path, [{ path: "(root)", message: `cannot read the config: ${reason}` }]);
  }
  return parseConfig(text, path);
}

/**
 * Validates a config given as JSON text (or as already-parsed JSON) and fills in the defaults.
 * `fileLabel` names the file in error messages.
 */
export function parseConfig(json: unknown, fileLabel: string): LakesyncConfig {
  const result = checkConfig(json);
  if (!result.ok) throw new ConfigError(fileLabel, result.issues);
  return result.config;
}

/** Like parseConfig, but returns the issues instead of throwing (for `config validate --json`). */
export function checkConfig(
  json: unknown,
): { ok: true; config: LakesyncConfig } | { ok: false; issues: ConfigIssue[] } {
  let data = json;
  if (typeof json === "string") {
    try {
      data = JSON.parse(json);
    } catch (error) {
      return {
        ok: false,
        issues: [{ path: "(root)", message: `invalid JSON: ${(error as Error).message}` }],
      };
    }
  }
  const result = configSchema.safeParse(data, { error: describeIssue });
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, issues: flattenIssues(result.error.issues, []) };
}

/** The top-level mapping with the target's own entries merged over it, map by map. */
export function effectiveMapping(config: LakesyncConfig, target: TargetConfig | string): MappingConfig {
  const resolved = typeof target === "string" ? config.targets.find((t) => t.name === target) : target;
  if (!resolved) {
    const names = config.targets.map((t) => t.name).join(", ");
    throw new Error(`no target named ${JSON.stringify(target)} in the config (targets: ${names})`);
  }
  const own = resolved.mapping ?? {};
  return {
    buckets: { ...config.mapping.buckets, ...own.buckets },
    accounts: { ...config.mapping.accounts, ...own.accounts },
    principals: { ...config.mapping.principals, ...own.principals },
  };
}

// ---------------------------------------------------------------------------------------------
// Issue formatting

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/** `["targets", 1, "region"]` → `targets[1].region`; odd keys are quoted: `mapping.buckets["a.b"]`. */
export function formatPath(path: readonly PathKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || "(root)";
}

const shown = (input: unknown): string => {
  if (input === undefined) return "nothing";
  if (Array.isArray(input)) return "an array";
  if (input !== null && typeof input === "object") return "an object";
  return JSON.stringify(input) ?? String(input);
};

const article = (type: string): string => {
  const names: Record<string, string> = {
    object: "an object",
    array: "an array",
    string: "a string",
    number: "a number",
    boolean: "true or false",
    record: "an object",
  };
  return names[type] ?? type;
};

/** Default wording for zod's own issues (schema-level messages take precedence over this). */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? `required: expected ${article(issue.expected)}`
        : `expected ${article(issue.expected)}, got ${shown(issue.input)}`;
    case "invalid_value":
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}, got ${shown(issue.input)}`;
    case "unrecognized_keys":
      return "unknown field";
    case "invalid_union":
      return "expected one of the allowed shapes";
    default:
      return undefined;
  }
}

function flattenIssues(issues: readonly Issue[], prefix: readonly PathKey[]): ConfigIssue[] {
  return issues.flatMap((issue): ConfigIssue[] => {
    const path = [...prefix, ...issue.path];
    switch (issue.code) {
      case "unrecognized_keys":
        return issue.keys.map((key) => ({
          path: formatPath([...path, key]),
          message: "unknown field (see lakesync.config.schema.json for the allowed fields)",
        }));
      case "invalid_key":
      case "invalid_element":
        return flattenIssues(issue.issues, path);
      case "invalid_union": {
        // When one branch got the shape right and only its contents are wrong, its issues are the
        // useful ones; otherwise say which shapes were allowed.
        const deep = issue.errors.filter((branch) => branch.every((inner) => inner.path.length > 0));
        if (deep.length === 1) return flattenIssues(deep[0]!, path);
        return [{ path: formatPath(path), message: issue.message }];
      }
      default:
        return [{ path: formatPath(path), message: issue.message }];
    }
  });
}
