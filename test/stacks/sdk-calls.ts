// The AWS calls a handler's code can make, read from its source: every module the handler
// imports (transitively) and every SDK command, paginator or waiter those modules import. Static
// on purpose: a call added anywhere below a handler shows up here without anyone listing it.
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { iamActions } from "../../modules/deploy/iam.ts";

const root = resolve(import.meta.dirname, "..", "..");

/** IAM service prefix of each SDK client package lakesync uses. */
const SERVICE_OF_CLIENT: Record<string, string> = {
  "client-glue": "glue",
  "client-lakeformation": "lakeformation",
  "client-dynamodb": "dynamodb",
  "client-dynamodb-streams": "dynamodb",
  "client-s3": "s3",
  "client-sqs": "sqs",
  "client-sns": "sns",
  "client-cloudtrail": "cloudtrail",
  "client-secrets-manager": "secretsmanager",
  "client-sts": "sts",
  "client-eventbridge": "events",
  "client-ram": "ram",
};

/** Calls made through libraries rather than SDK commands. */
const LIBRARY_CALLS: Record<string, { service: string; api: string }[]> = {
  "@aws-lambda-powertools/parameters/secrets": [{ service: "secretsmanager", api: "GetSecretValue" }],
};

/** SDK waiters poll a describe call. */
const WAITER_CALLS: Record<string, string> = { waitUntilTableExists: "DescribeTable" };

export interface SdkCall {
  /** Repository-relative file that imports the command. */
  file: string;
  service: string;
  api: string;
  /** IAM actions that authorize it. */
  actions: string[];
}

interface ImportStatement {
  names: string[];
  from: string;
}

function importsOf(source: string): ImportStatement[] {
  const statements: ImportStatement[] = [];
  const pattern = /^(?:import|export)\s+(type\s+)?([\s\S]*?)\s+from\s+["']([^"']+)["']/gm;
  for (const match of source.matchAll(pattern)) {
    if (match[1]) continue; // type-only: no code runs
    const names = [
      ...(match[2] ?? "").matchAll(/(?:^|[{,\s])(type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+[\w$]+)?/g),
    ]
      .filter((m) => !m[1])
      .map((m) => m[2] ?? "");
    statements.push({ names, from: match[3] ?? "" });
  }
  return statements;
}

/** The repository files `entry` loads, itself included (relative imports only). */
export function moduleClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const statement of importsOf(readFileSync(resolve(root, file), "utf8"))) {
      if (!statement.from.startsWith(".")) continue;
      visit(relative(root, resolve(root, dirname(file), statement.from)));
    }
  };
  visit(entry);
  return [...seen].sort();
}

/** The SDK calls one file's imports make possible. */
export function sdkCallsOf(file: string): SdkCall[] {
  const calls: SdkCall[] = [];
  const add = (service: string, api: string) =>
    calls.push({ file, service, api, actions: iamActions(service, [api]) });
  for (const statement of importsOf(readFileSync(resolve(root, file), "utf8"))) {
    for (const call of LIBRARY_CALLS[statement.from] ?? []) add(call.service, call.api);
    const client = /^@aws-sdk\/(client-[\w-]+)$/.exec(statement.from)?.[1];
    if (!client) continue;
    const service = SERVICE_OF_CLIENT[client];
    if (!service) throw new Error(`${file}: no IAM service known for @aws-sdk/${client}`);
    for (const name of statement.names) {
      const api = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1] ?? WAITER_CALLS[name];
      if (api) add(service, api);
    }
  }
  return calls;
}

/** Every SDK call reachable from a handler entry. */
export function sdkCallsOfHandler(entry: string): SdkCall[] {
  return moduleClosure(entry).flatMap(sdkCallsOf);
}
