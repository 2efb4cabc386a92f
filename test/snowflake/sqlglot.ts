// Runs test/support/sqlglot_check.py: sqlglot's Snowflake dialect parses the statements and the
// script describes each tree (it rejects parse errors and exp.Command fallbacks).
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const python = fileURLToPath(new URL("../../.venv/bin/python", import.meta.url));
const script = fileURLToPath(new URL("../support/sqlglot_check.py", import.meta.url));

export interface ParsedColumn {
  name: string;
  quoted: boolean;
  /** The column's COMMENT '…', as sqlglot read the literal. */
  comment: string | null;
  type: string | null;
  computed: boolean;
  fields: string[];
  readsFilename: boolean;
  expressionNodes: string[];
  casts: string[];
  functions: string[];
}

export interface ParsedStatement {
  type: "Create" | "Alter" | "Drop";
  kind?: string;
  replace?: boolean;
  exists?: boolean;
  name: string[] | null;
  columns?: ParsedColumn[];
  properties?: Record<string, unknown>;
  partitionValues?: Record<string, Array<string | number | null>>;
  actions?: Array<{ action: string; exists: boolean; columns?: string[] } & Partial<ParsedColumn>>;
}

let worker: ChildProcessWithoutNullStreams | undefined;
let lines: AsyncIterator<string> | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** One Python process per test file answers every request (sqlglot's import is the slow part). */
function connect() {
  if (!worker || !lines) {
    worker = spawn(python, [script, "--serve"]);
    worker.unref();
    lines = createInterface({ input: worker.stdout })[Symbol.asyncIterator]();
    const running = worker;
    process.once("exit", () => running.kill());
  }
  return { worker, lines };
}

/**
 * Parse the statements; with `filenames`, also evaluate each partition column (the columns computed
 * from metadata$filename) for those files, reported as `partitionValues`.
 */
export function parseSnowflake(statements: string[], filenames?: string[]): Promise<ParsedStatement[]> {
  const request = queue.then(async () => {
    const { worker: python, lines: answers } = connect();
    python.stdin.write(`${JSON.stringify(filenames ? { statements, filenames } : statements)}\n`);
    const { value, done } = await answers.next();
    if (done) throw new Error("the sqlglot checker exited");
    const answer = JSON.parse(value) as { ok?: ParsedStatement[]; error?: string };
    if (answer.error !== undefined || !answer.ok)
      throw new Error(`sqlglot rejected the SQL: ${answer.error}`);
    return answer.ok;
  });
  queue = request.catch(() => undefined);
  return request;
}

export async function parseOne(statement: string): Promise<ParsedStatement> {
  const [parsed] = await parseSnowflake([statement]);
  if (!parsed) throw new Error("sqlglot returned nothing");
  return parsed;
}
