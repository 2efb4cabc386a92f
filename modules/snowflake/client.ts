// The Snowflake SQL API v2 adapter: submit a statement, follow 202s to the result, renew the JWT
// once on 401, back off on 429/5xx, and resubmit with the same requestId (retry=true) so nothing
// runs twice. https://docs.snowflake.com/en/developer-guide/sql-api/reference
import { randomUUID } from "node:crypto";

export interface TokenSource {
  token(): Promise<string>;
  invalidate(): void;
}

export interface SqlApiClientOptions {
  /** e.g. https://xy12345.us-east-1.snowflakecomputing.com */
  baseUrl: string;
  tokens: TokenSource;
  warehouse: string;
  role: string;
  timeoutSeconds: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  nowMs?: () => number;
  random?: () => number;
  newRequestId?: () => string;
  /** Attempts for one request on 429/5xx (the first included). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per HTTP request. */
  requestTimeoutMs?: number;
  userAgent?: string;
}

export interface StatementContext {
  database?: string;
  schema?: string;
}

export interface StatementResult {
  statementHandle: string;
  requestId: string;
  code?: string;
  message?: string;
  data?: unknown[];
}

/** Snowflake answered with an error: its code, message and sqlState, never the request's token. */
export class SnowflakeSqlError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string | undefined,
    readonly sqlState: string | undefined,
    readonly snowflakeMessage: string,
    readonly statementHandle?: string,
  ) {
    super(
      `Snowflake SQL API ${httpStatus}: ${snowflakeMessage}` +
        `${code ? ` (code ${code}` : " ("}${sqlState ? `, sqlState ${sqlState}` : ""})`,
    );
    this.name = "SnowflakeSqlError";
  }

  /** 002003: "Object … does not exist or not authorized". */
  get objectMissing(): boolean {
    return this.code === "002003";
  }
}

interface ApiBody {
  code?: string;
  sqlState?: string;
  message?: string;
  statementHandle?: string;
  data?: unknown[];
}

const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SqlApiClient {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly nowMs: () => number;
  private readonly random: () => number;
  private readonly newRequestId: () => string;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: SqlApiClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? sleepReal;
    this.nowMs = options.nowMs ?? Date.now;
    this.random = options.random ?? Math.random;
    this.newRequestId = options.newRequestId ?? randomUUID;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 90_000;
  }

  async execute(statement: string, context: StatementContext = {}): Promise<StatementResult> {
    const requestId = this.newRequestId();
    const body = JSON.stringify({
      statement,
      timeout: this.options.timeoutSeconds,
      warehouse: this.options.warehouse,
      role: this.options.role,
      ...(context.database ? { database: context.database } : {}),
      ...(context.schema ? { schema: context.schema } : {}),
    });
    const base = this.options.baseUrl.replace(/\/+$/, "");
    let submissions = 0;
    const first = await this.send(() => {
      // Every submission after the first says retry=true, so Snowflake does not run it again.
      const url = `${base}/api/v2/statements?requestId=${requestId}${submissions++ > 0 ? "&retry=true" : ""}`;
      return { url, init: { method: "POST", body } };
    });
    let { status, payload } = first;
    const deadline = this.nowMs() + (this.options.timeoutSeconds || 604_800) * 1000 + 60_000;
    let pollDelay = this.baseDelayMs;
    while (status === 202) {
      const handle = payload.statementHandle;
      if (!handle)
        throw new SnowflakeSqlError(202, payload.code, payload.sqlState, "202 without a statementHandle");
      if (this.nowMs() > deadline) {
        throw new SnowflakeSqlError(408, undefined, undefined, `gave up polling statement ${handle}`, handle);
      }
      await this.sleep(pollDelay);
      pollDelay = Math.min(pollDelay * 2, this.maxDelayMs);
      ({ status, payload } = await this.send(() => ({
        url: `${base}/api/v2/statements/${encodeURIComponent(handle)}`,
        init: { method: "GET" },
      })));
    }
    return {
      statementHandle: payload.statementHandle ?? "",
      requestId,
      ...(payload.code ? { code: payload.code } : {}),
      ...(payload.message ? { message: payload.message } : {}),
      ...(payload.data ? { data: payload.data } : {}),
    };
  }

  /** Exponential with jitter (half fixed, half random): Snowflake sends no Retry-After. */
  private backoff(attempt: number): Promise<void> {
    const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return this.sleep(Math.round(cap / 2 + (this.random() * cap) / 2));
  }

  /** One logical call: renews the token once on 401, backs off on 429/5xx; returns 200 or 202. */
  private async send(
    request: () => { url: string; init: { method: string; body?: string } },
  ): Promise<{ status: number; payload: ApiBody }> {
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const { url, init } = request();
      // Outside the retry below: a missing or unreadable key secret is not a network failure, and
      // its error (naming the secret) is the one to report, at once.
      const token = await this.options.tokens.token();
      let response: Response;
      try {
        response = await this.fetch(url, {
          ...init,
          headers: {
            Authorization: `Bearer ${token}`,
            "X-Snowflake-Authorization-Token-Type": "KEYPAIR_JWT",
            "Content-Type": "application/json",
            Accept: "application/json",
            "User-Agent": this.options.userAgent ?? "lakesync/0.1.0",
          },
          // Snowflake answers within ~45 s (a 202 after that); a silent connection is a failure.
          signal: AbortSignal.timeout(this.requestTimeoutMs),
        });
      } catch (error) {
        // Connection reset, DNS, timeout: resubmitting under the same requestId is safe.
        if (attempt < this.maxAttempts) {
          await this.backoff(attempt);
          continue;
        }
        throw new SnowflakeSqlError(0, undefined, undefined, `request failed: ${(error as Error).message}`);
      }
      const { payload, readable } = await readBody(response);
      if (response.status === 200 || response.status === 202) {
        // An answer that is not a JSON object (a proxy's HTML page, a truncated body) says nothing
        // about the statement: it is a failure, never "applied".
        if (!readable) {
          throw new SnowflakeSqlError(
            response.status,
            undefined,
            undefined,
            `unreadable answer (expected a JSON object): ${JSON.stringify(payload.message ?? "")}`,
          );
        }
        return { status: response.status, payload };
      }
      if (response.status === 401 && !renewed) {
        renewed = true;
        this.options.tokens.invalidate();
        attempt--;
        continue;
      }
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && attempt < this.maxAttempts) {
        await this.backoff(attempt);
        continue;
      }
      throw new SnowflakeSqlError(
        response.status,
        payload.code,
        payload.sqlState,
        payload.message ?? (response.statusText || "request failed"),
        payload.statementHandle,
      );
    }
  }
}

async function readBody(response: Response): Promise<{ payload: ApiBody; readable: boolean }> {
  const text = await response.text();
  if (!text) return { payload: {}, readable: false };
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? { payload: parsed as ApiBody, readable: true }
      : { payload: { message: text.slice(0, 200) }, readable: false };
  } catch {
    return { payload: { message: text.slice(0, 200) }, readable: false };
  }
}
