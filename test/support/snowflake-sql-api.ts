// A local Snowflake SQL API v2 (node:http on 127.0.0.1, free port) for tests: it checks key-pair
// JWTs against the configured public key, records statements and request ids, and answers with the
// response shapes of Snowflake's SQL API reference (200 ResultSet, 202 QueryStatus, 422
// QueryFailureStatus, 401/429/5xx bodies). Tests script what the next requests get.
import { createHash, createPublicKey, type KeyObject, randomUUID, verify } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ScriptedResponse =
  /** Accept the statement, answer 202, and keep answering 202 to `polls` - 1 GETs before the result. */
  | { kind: "async"; polls: number }
  | { kind: "status"; status: 401 | 429 | 500 | 502 | 503 | 504 }
  /** Run the statement, then drop the connection without answering (the response is lost). */
  | { kind: "dropAfterRun" }
  /** A statement failure, as 422 QueryFailureStatus (e.g. code 002003, sqlState 02000). */
  | { kind: "error"; code: string; sqlState: string; message: string }
  /** Run the statement and answer these result rows (a query such as INFORMATION_SCHEMA.COLUMNS). */
  | { kind: "rows"; columns: string[]; data: Array<Array<string | null>> }
  /** Answer 200 with this raw body (a proxy's HTML page, a truncated JSON), statement not run. */
  | { kind: "raw200"; body: string };

export interface RecordedRequest {
  method: string;
  path: string;
  requestId: string | undefined;
  retry: boolean;
  status: number;
  /** The JWT's claims when it verified, else undefined. */
  claims: { iss: string; sub: string; iat: number; exp: number } | undefined;
  token: string | undefined;
  headers: IncomingMessage["headers"];
}

export interface ExecutedStatement {
  requestId: string;
  statementHandle: string;
  statement: string;
  warehouse?: string;
  role?: string;
  database?: string;
  schema?: string;
  timeout?: number;
}

export interface LocalSqlApi {
  url: string;
  requests: RecordedRequest[];
  /** Statements that ran (a resubmission with retry=true does not run again). */
  executed: ExecutedStatement[];
  script(...responses: ScriptedResponse[]): void;
  close(): Promise<void>;
}

export interface LocalSqlApiOptions {
  /** As in the claims: uppercase, no region (e.g. XY12345). */
  account: string;
  user: string;
  publicKey: KeyObject | string;
  nowMs?: () => number;
}

const SUCCESS = { code: "090001", sqlState: "00000", message: "Statement executed successfully." };
const STATUS_BODIES: Record<number, { code: string; message: string }> = {
  401: { code: "390303", message: "Invalid OAuth access token. [token expired]" },
  429: { code: "390505", message: "Too many requests." },
  500: { code: "390500", message: "Internal error." },
  502: { code: "390502", message: "Bad gateway." },
  503: { code: "390503", message: "Service unavailable." },
  504: { code: "390504", message: "Gateway timeout." },
};

export async function startLocalSqlApi(options: LocalSqlApiOptions): Promise<LocalSqlApi> {
  const publicKey =
    typeof options.publicKey === "string" ? createPublicKey(options.publicKey) : options.publicKey;
  const fingerprint = `SHA256:${createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("base64")}`;
  const subject = `${options.account}.${options.user.toUpperCase()}`;
  const now = options.nowMs ?? Date.now;
  const requests: RecordedRequest[] = [];
  const executed: ExecutedStatement[] = [];
  const scripted: ScriptedResponse[] = [];
  const byRequestId = new Map<string, ExecutedStatement>();
  const pendingPolls = new Map<string, number>();

  function verifyJwt(token: string): RecordedRequest["claims"] | string {
    const [header, payload, signature] = token.split(".");
    if (!header || !payload || !signature) return "malformed token";
    const alg = JSON.parse(Buffer.from(header, "base64url").toString()).alg;
    if (alg !== "RS256") return `alg ${alg}`;
    const signed = verify(
      "RSA-SHA256",
      Buffer.from(`${header}.${payload}`),
      publicKey,
      Buffer.from(signature, "base64url"),
    );
    if (!signed) return "bad signature";
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as NonNullable<
      RecordedRequest["claims"]
    >;
    const seconds = Math.floor(now() / 1000);
    if (claims.sub !== subject) return `sub ${claims.sub}`;
    if (claims.iss !== `${subject}.${fingerprint}`) return `iss ${claims.iss}`;
    if (claims.exp <= seconds) return "expired";
    if (claims.iat > seconds + 60 || claims.exp - claims.iat > 3600) return "bad lifetime";
    return claims;
  }

  const rowsByHandle = new Map<string, Extract<ScriptedResponse, { kind: "rows" }>>();

  function resultSet(statement: ExecutedStatement) {
    const rows = rowsByHandle.get(statement.statementHandle) ?? {
      columns: ["status"],
      data: [["Statement executed successfully."]],
    };
    return {
      resultSetMetaData: {
        numRows: rows.data.length,
        format: "jsonv2",
        partitionInfo: [{ rowCount: rows.data.length, uncompressedSize: 40 }],
        rowType: rows.columns.map((name) => ({
          name,
          database: "",
          schema: "",
          table: "",
          nullable: true,
          byteLength: 16777216,
          length: 16777216,
          scale: null,
          precision: null,
          type: "text",
          collation: null,
        })),
      },
      data: rows.data,
      ...SUCCESS,
      statementStatusUrl: `/api/v2/statements/${statement.statementHandle}?requestId=${statement.requestId}`,
      requestId: statement.requestId,
      statementHandle: statement.statementHandle,
      createdOn: now(),
    };
  }

  function handle(request: IncomingMessage, body: string, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://localhost");
    const record: RecordedRequest = {
      method: request.method ?? "",
      path: url.pathname,
      requestId: url.searchParams.get("requestId") ?? undefined,
      retry: url.searchParams.get("retry") === "true",
      status: 0,
      claims: undefined,
      token: undefined,
      headers: request.headers,
    };
    requests.push(record);
    const reply = (status: number, payload: object) => {
      record.status = status;
      response.writeHead(status, { "Content-Type": "application/json" });
      response.end(JSON.stringify(payload));
    };

    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    record.token = token;
    const claims = token ? verifyJwt(token) : "no bearer token";
    if (typeof claims === "string")
      return reply(401, { code: "390144", message: `JWT token is invalid. [${claims}]` });
    record.claims = claims;
    if (request.headers["x-snowflake-authorization-token-type"] !== "KEYPAIR_JWT") {
      return reply(401, { code: "390144", message: "JWT token is invalid. [token type]" });
    }

    const poll = /^\/api\/v2\/statements\/([^/]+)$/.exec(url.pathname);
    if (request.method === "GET" && poll?.[1]) {
      const statement = executed.find((s) => s.statementHandle === poll[1]);
      if (!statement)
        return reply(422, { code: "000709", sqlState: "02000", message: "Statement not found." });
      const remaining = pendingPolls.get(statement.statementHandle) ?? 0;
      if (remaining > 0) {
        pendingPolls.set(statement.statementHandle, remaining - 1);
        return reply(202, queryStatus(statement));
      }
      return reply(200, resultSet(statement));
    }
    if (request.method !== "POST" || url.pathname !== "/api/v2/statements") {
      return reply(404, { code: "390404", message: "Not found." });
    }
    if (request.headers["content-type"] !== "application/json")
      return reply(415, { code: "390415", message: "Unsupported media type." });
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return reply(400, { code: "390142", message: "Incoming request does not contain a valid payload." });
    }
    if (typeof parsed.statement !== "string" || !record.requestId) {
      return reply(400, { code: "390142", message: "Incoming request does not contain a valid payload." });
    }

    const earlier = byRequestId.get(record.requestId);
    if (earlier && record.retry) return reply(200, resultSet(earlier)); // resubmission: not run again

    const next = scripted.shift();
    if (next?.kind === "status") return reply(next.status, STATUS_BODIES[next.status]!);
    if (next?.kind === "raw200") {
      record.status = 200;
      response.writeHead(200, { "Content-Type": "text/html" });
      response.end(next.body);
      return;
    }
    const statement: ExecutedStatement = {
      requestId: record.requestId,
      statementHandle: randomUUID(),
      statement: parsed.statement,
      ...pick(parsed, ["warehouse", "role", "database", "schema"]),
      ...(typeof parsed.timeout === "number" ? { timeout: parsed.timeout } : {}),
    };
    if (next?.kind === "error") {
      return reply(422, {
        code: next.code,
        sqlState: next.sqlState,
        message: next.message,
        statementHandle: statement.statementHandle,
        createdOn: now(),
        statementStatusUrl: `/api/v2/statements/${statement.statementHandle}`,
      });
    }
    executed.push(statement);
    byRequestId.set(statement.requestId, statement);
    if (next?.kind === "rows") rowsByHandle.set(statement.statementHandle, next);
    if (next?.kind === "dropAfterRun") {
      record.status = -1;
      request.socket.destroy();
      return;
    }
    if (next?.kind === "async") {
      pendingPolls.set(statement.statementHandle, Math.max(0, next.polls - 1));
      return reply(202, queryStatus(statement));
    }
    return reply(200, resultSet(statement));
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => handle(request, Buffer.concat(chunks).toString("utf8"), response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    executed,
    script: (...responses) => scripted.push(...responses),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function queryStatus(statement: ExecutedStatement) {
  return {
    code: "333334",
    message:
      "Asynchronous execution in progress. Use provided query id to perform query monitoring and management.",
    statementHandle: statement.statementHandle,
    statementStatusUrl: `/api/v2/statements/${statement.statementHandle}`,
  };
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) if (typeof source[key] === "string") out[key] = source[key];
  return out;
}
