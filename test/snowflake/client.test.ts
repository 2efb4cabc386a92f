// The SQL API client and its key-pair JWT, against the local SQL API server (which verifies every
// token with the public key, as Snowflake does).
import { createHash, verify } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SnowflakeSqlError, SqlApiClient } from "../../modules/snowflake/client.ts";
import {
  jwtAccount,
  KeyPairTokenSource,
  keyPairJwt,
  publicKeyFingerprint,
} from "../../modules/snowflake/jwt.ts";
import { type LocalSqlApi, startLocalSqlApi } from "../support/snowflake-sql-api.ts";
import { testKeyPair } from "./keys.ts";

const keys = testKeyPair();

describe("key-pair JWT", () => {
  it("carries Snowflake's claims and an RS256 signature the public key verifies", () => {
    const { token, claims } = keyPairJwt(
      { account: "xy12345.us-east-1", user: "sync_user" },
      keys.privateKey,
      1_700_000_000,
      3540,
    );
    const expectedFingerprint = `SHA256:${createHash("sha256")
      .update(keys.publicKey.export({ type: "spki", format: "der" }))
      .digest("base64")}`;
    expect(publicKeyFingerprint(keys.privateKey)).toBe(expectedFingerprint);
    expect(claims).toEqual({
      iss: `XY12345.SYNC_USER.${expectedFingerprint}`,
      sub: "XY12345.SYNC_USER",
      iat: 1_700_000_000,
      exp: 1_700_003_540,
    });
    const [header, payload, signature] = token.split(".");
    expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toEqual({ alg: "RS256", typ: "JWT" });
    expect(JSON.parse(Buffer.from(payload!, "base64url").toString())).toEqual(claims);
    expect(
      verify(
        "RSA-SHA256",
        Buffer.from(`${header}.${payload}`),
        keys.publicKey,
        Buffer.from(signature!, "base64url"),
      ),
    ).toBe(true);
  });

  it("never lives longer than an hour", () => {
    const { claims } = keyPairJwt({ account: "a", user: "u" }, keys.privateKey, 100, 7200);
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it.each([
    ["xy12345.us-east-1", "XY12345"],
    ["xy12345.us-east-2.aws", "XY12345"],
    ["myorg-myaccount", "MYORG-MYACCOUNT"],
    ["xy12345-ab.global", "XY12345"],
    ["xy12345.eu-west-1.snowflakecomputing.com", "XY12345"],
  ])("uses account %s as %s", (account, expected) => {
    expect(jwtAccount(account)).toBe(expected);
  });

  it("is cached and renewed five minutes before it expires", async () => {
    let now = 1_700_000_000_000;
    let loads = 0;
    const source = new KeyPairTokenSource(
      { account: "a", user: "u" },
      async () => {
        loads++;
        return keys.privateKey;
      },
      () => now,
    );
    const first = await source.token();
    now += 3000 * 1000;
    expect(await source.token()).toBe(first);
    now += 300 * 1000; // 3300 s: within 5 minutes of the 3540 s expiry
    expect(await source.token()).not.toBe(first);
    expect(loads).toBe(2);
  });
});

describe("SQL API client", () => {
  let api: LocalSqlApi;
  let sleeps: number[];
  let keyLoads: number;
  let client: SqlApiClient;
  // Every read of the clock moves it one second, so each new token has a new iat.
  let clock = Date.now();
  const nowMs = () => (clock += 1000);

  beforeAll(async () => {
    api = await startLocalSqlApi({
      account: "XY12345",
      user: "sync_user",
      publicKey: keys.publicKey,
      nowMs: () => clock,
    });
  });
  afterAll(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
    api.executed.length = 0;
    sleeps = [];
    keyLoads = 0;
    const tokens = new KeyPairTokenSource(
      { account: "xy12345.us-east-1", user: "sync_user" },
      async () => {
        keyLoads++;
        return keys.privateKey;
      },
      nowMs,
    );
    client = new SqlApiClient({
      baseUrl: api.url,
      tokens,
      warehouse: "SYNC_WH",
      role: "SYNC_ROLE",
      timeoutSeconds: 120,
      nowMs,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 1,
    });
  });

  it("sends statement, warehouse, role, database, schema, timeout and a requestId with JSON headers", async () => {
    const result = await client.execute("SELECT 1", { database: "sales", schema: "public" });
    expect(api.executed).toEqual([
      {
        requestId: result.requestId,
        statementHandle: result.statementHandle,
        statement: "SELECT 1",
        warehouse: "SYNC_WH",
        role: "SYNC_ROLE",
        database: "sales",
        schema: "public",
        timeout: 120,
      },
    ]);
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.code).toBe("090001");
    const [request] = api.requests;
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      accept: "application/json",
      "x-snowflake-authorization-token-type": "KEYPAIR_JWT",
    });
    expect(request?.headers["user-agent"]).toMatch(/^lakesync\//);
    expect(request?.retry).toBe(false);
  });

  it("polls GET /api/v2/statements/{handle} with growing delays until a 202 becomes a result", async () => {
    api.script({ kind: "async", polls: 3 });
    const result = await client.execute("CREATE EXTERNAL TABLE …");
    expect(api.requests.map((r) => [r.method, r.status])).toEqual([
      ["POST", 202],
      ["GET", 202],
      ["GET", 202],
      ["GET", 200],
    ]);
    expect(api.requests[1]?.path).toBe(`/api/v2/statements/${result.statementHandle}`);
    expect(sleeps).toEqual([250, 500, 1000]);
    expect(api.executed).toHaveLength(1);
  });

  it("renews the token once on 401 and resubmits the same requestId with retry=true", async () => {
    await client.execute("SELECT 1");
    api.requests.length = 0;
    api.executed.length = 0;
    api.script({ kind: "status", status: 401 });
    const result = await client.execute("SELECT 2");
    expect(api.requests.map((r) => [r.status, r.requestId, r.retry])).toEqual([
      [401, result.requestId, false],
      [200, result.requestId, true],
    ]);
    expect(keyLoads).toBe(2);
    expect(api.requests[1]?.claims?.iat).toBeGreaterThan(api.requests[0]!.claims!.iat);
    expect(api.executed.map((s) => s.statement)).toEqual(["SELECT 2"]);
  });

  it("gives up after a second 401, with Snowflake's code", async () => {
    api.script({ kind: "status", status: 401 }, { kind: "status", status: 401 });
    const error = await client.execute("SELECT 1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnowflakeSqlError);
    expect(error).toMatchObject({ httpStatus: 401, code: "390303" });
  });

  it("retries 429 and 5xx with backoff under the same requestId; the statement runs once", async () => {
    api.script({ kind: "status", status: 429 }, { kind: "status", status: 503 });
    const result = await client.execute("SELECT 1");
    expect(api.requests.map((r) => [r.status, r.requestId, r.retry])).toEqual([
      [429, result.requestId, false],
      [503, result.requestId, true],
      [200, result.requestId, true],
    ]);
    expect(sleeps).toEqual([250, 500]);
    expect(api.executed).toHaveLength(1);
  });

  it("resubmits after a lost response without running the statement twice", async () => {
    api.script({ kind: "dropAfterRun" });
    const result = await client.execute("CREATE EXTERNAL TABLE once");
    expect(api.requests.map((r) => [r.status, r.requestId, r.retry])).toEqual([
      [-1, result.requestId, false],
      [200, result.requestId, true],
    ]);
    expect(api.executed.map((s) => s.statement)).toEqual(["CREATE EXTERNAL TABLE once"]);
  });

  it("fails on a 200 whose body is not a JSON object, never counting it applied", async () => {
    for (const body of ["<html>gateway</html>", '{"code": "0900', "[1]", ""]) {
      api.script({ kind: "raw200", body });
      const error = (await client.execute("CREATE TABLE t (a INT)").catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(SnowflakeSqlError);
      expect(error.message).toMatch(/^Snowflake SQL API 200: unreadable answer \(expected a JSON object\)/);
    }
  });

  it("reports a key that cannot be loaded at once, without retrying or calling the API", async () => {
    const failing = new SqlApiClient({
      baseUrl: api.url,
      tokens: new KeyPairTokenSource(
        { account: "xy12345.us-east-1", user: "sync_user" },
        () => Promise.reject(new Error("cannot read the Snowflake key secret arn:aws:secretsmanager:x")),
        nowMs,
      ),
      warehouse: "SYNC_WH",
      role: "SYNC_ROLE",
      timeoutSeconds: 120,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    await expect(failing.execute("SELECT 1")).rejects.toThrow(/cannot read the Snowflake key secret arn:/);
    expect(api.requests).toHaveLength(0);
    expect(sleeps).toEqual([]);
  });

  it("stops retrying after maxAttempts", async () => {
    api.script(...Array.from({ length: 5 }, () => ({ kind: "status" as const, status: 500 as const })));
    await expect(client.execute("SELECT 1")).rejects.toMatchObject({ httpStatus: 500, code: "390500" });
    expect(api.requests).toHaveLength(5);
  });

  it("surfaces a 422 with Snowflake's code, message and sqlState", async () => {
    api.script({
      kind: "error",
      code: "000904",
      sqlState: "42000",
      message: "SQL compilation error: error line 1 at position 7 invalid identifier 'AFAF'",
    });
    const error = (await client.execute("SELECT afaf").catch((e: unknown) => e)) as SnowflakeSqlError;
    expect(error).toBeInstanceOf(SnowflakeSqlError);
    expect(error).toMatchObject({ httpStatus: 422, code: "000904", sqlState: "42000" });
    expect(error.message).toContain("invalid identifier 'AFAF'");
    expect(error.message).toContain("sqlState 42000");
    expect(error.statementHandle).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("is refused by the server once the token has expired", async () => {
    const frozen = Date.now();
    const late = await startLocalSqlApi({
      account: "XY12345",
      user: "sync_user",
      publicKey: keys.publicKey,
      nowMs: () => frozen + 2 * 3600 * 1000,
    });
    try {
      const stale = new SqlApiClient({
        baseUrl: late.url,
        tokens: new KeyPairTokenSource(
          { account: "xy12345", user: "sync_user" },
          async () => keys.privateKey,
          () => frozen,
        ),
        warehouse: "W",
        role: "R",
        timeoutSeconds: 10,
      });
      const error = (await stale.execute("SELECT 1").catch((e: unknown) => e)) as SnowflakeSqlError;
      expect(error).toMatchObject({ httpStatus: 401, code: "390144" });
      expect(error.message).toContain("expired");
      expect(late.executed).toHaveLength(0);
    } finally {
      await late.close();
    }
  });

  it("is refused by the server when the token was signed with another key", async () => {
    const stranger = testKeyPair();
    const other = new SqlApiClient({
      baseUrl: api.url,
      tokens: new KeyPairTokenSource(
        { account: "xy12345", user: "sync_user" },
        async () => stranger.privateKey,
        nowMs,
      ),
      warehouse: "W",
      role: "R",
      timeoutSeconds: 10,
    });
    await expect(other.execute("SELECT 1")).rejects.toMatchObject({ httpStatus: 401, code: "390144" });
    expect(api.executed).toHaveLength(0);
  });
});
