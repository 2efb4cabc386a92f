// Secrets never reach the output: the Snowflake private key (good, corrupt or missing secret) is
// absent from everything the snowflake-sync handler and `lakesync snowflake sync` print, and the
// CLI never prints the caller's AWS credentials, even with --debug and a failing AWS call.
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateDatabaseCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import { CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parquetTable } from "../snowflake/fixtures.ts";
import { alertTopic, buildHandler, sqsEvent } from "../snowflake/harness.ts";
import { pemBodyLines, testKeyPair } from "../snowflake/keys.ts";
import { cli } from "../support/cli.ts";
import { client, testLocation } from "../support/local-aws.ts";
import { type LocalSqlApi, startLocalSqlApi } from "../support/snowflake-sql-api.ts";

const keys = testKeyPair();
const marker = `lakesync-secret-marker-${randomUUID()}`;
/** A key secret that is not a usable key: its text must not appear in the error either. */
const corruptPem = `-----BEGIN PRIVATE KEY-----\n${marker}\n-----END PRIVATE KEY-----\n`;
// The CLI reads the Glue source and the secret in the caller's own account.
const location = testLocation("us-east-1");
const callerRegion = { region: "us-east-1" };
const database = `sec_${randomUUID().slice(0, 8)}__public`;
const dir = mkdtempSync(join(tmpdir(), "lakesync-secrets-"));

let api: LocalSqlApi;
const secrets: Record<string, string> = {};

const forbidden = () => [marker, ...pemBodyLines(keys.privatePem)];
const leaks = (text: string) => forbidden().filter((secret) => text.includes(secret));

async function createSecret(where: { region: string; account?: string }, name: string, value: string) {
  const { ARN } = await client("secretsManager", where as never).send(
    new CreateSecretCommand({ Name: `${name}-${randomUUID()}`, SecretString: value }),
  );
  return ARN!;
}

beforeAll(async () => {
  api = await startLocalSqlApi({ account: "XY12345", user: "sync_user", publicKey: keys.publicKey });
  for (const where of [location, callerRegion]) {
    const glue = client("glue", where as never);
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: database } }));
    const { Name: _, DatabaseName: __, ...table } = parquetTable();
    await glue.send(
      new CreateTableCommand({ DatabaseName: database, TableInput: { Name: "orders", ...table } }),
    );
  }
  const good = JSON.stringify({ private_key: keys.privatePem, private_key_passphrase: marker });
  secrets.handlerGood = await createSecret(location, "good", good);
  secrets.handlerCorrupt = await createSecret(
    location,
    "corrupt",
    JSON.stringify({ private_key: corruptPem }),
  );
  secrets.cliGood = await createSecret(callerRegion, "good", good);
  secrets.cliCorrupt = await createSecret(callerRegion, "corrupt", corruptPem);
  secrets.cliMissing = secrets.cliGood.replace(
    /secret:.*$/,
    `secret:lakesync/missing-${randomUUID()}-AbCdEf`,
  );
});
afterAll(() => api.close());

function captureOutput() {
  const written: string[] = [];
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, "write").mockImplementation(capture),
    vi.spyOn(process.stderr, "write").mockImplementation(capture),
  ];
  return {
    text: () => written.join(""),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

describe("the Snowflake private key never reaches the output", () => {
  it("from the snowflake-sync handler, with a good key, a corrupt key, and failing statements", async () => {
    const { topicArn } = await alertTopic(location);
    const output = captureOutput();
    try {
      const failure = { kind: "error" as const, code: "003001", sqlState: "42501", message: "denied" };
      for (const secretArn of [secrets.handlerGood!, secrets.handlerCorrupt!]) {
        api.script(failure, failure);
        const handler = buildHandler({
          location,
          api,
          secretArn,
          topicArn,
          settings: { stages: { "sales.public.lake": "s3://lake-bucket/" } },
          maxReceiveCount: 1,
          logLevel: "DEBUG",
        });
        const event = sqsEvent(location, [
          {
            eventName: "CreateTable",
            requestParameters: { databaseName: database, tableInput: { name: "orders" } },
          },
        ]);
        await handler(event);
      }
    } finally {
      output.restore();
    }
    expect(output.text().length).toBeGreaterThan(0);
    expect(leaks(output.text())).toEqual([]);
  });

  it("from `lakesync snowflake sync --debug`, with a good, a corrupt and a missing key secret", async () => {
    const runs: string[] = [];
    const config = JSON.parse(readFileSync("lakesync.config.example.json", "utf8"));
    for (const secretArn of [secrets.cliGood!, secrets.cliCorrupt!, secrets.cliMissing!]) {
      const file = join(dir, `${randomUUID()}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          ...config,
          snowflake: {
            ...config.snowflake,
            account: "ACME-TEST",
            user: "sync_user",
            secretArn,
            stages: { "SEC.PUBLIC.LAKE": "s3://lake-bucket/" },
          },
        }),
      );
      const run = await cli([
        "snowflake",
        "sync",
        "--config",
        file,
        "--api-url",
        api.url,
        "--region",
        "us-east-1",
        "--database",
        database,
        "--debug",
      ]);
      runs.push(run.stdout + run.stderr);
      if (secretArn === secrets.cliMissing) {
        // Named once, at once: not "SQL API 0: request failed" after retries.
        expect(run.code, run.stdout + run.stderr).toBe(1);
        expect(run.stdout + run.stderr).toContain(`cannot read the Snowflake key secret ${secretArn}`);
      }
    }
    expect(leaks(runs.join("\n"))).toEqual([]);
  });
});

describe("the CLI never prints the caller's credentials", () => {
  it("not with --debug, not on a failing AWS call, not in a successful run", async () => {
    const saved = { secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN };
    const secretKey = `${marker}-access`;
    const sessionToken = `${marker}-session`;
    process.env.AWS_SECRET_ACCESS_KEY = secretKey;
    process.env.AWS_SESSION_TOKEN = sessionToken;
    const outputs: string[] = [];
    try {
      for (const args of [
        [
          "restore",
          "--from",
          `s3://lakesync-no-such-bucket-${randomUUID().slice(0, 8)}/x/`,
          "--target-region",
          "us-west-2",
          "--debug",
        ],
        [
          "diff",
          "--source-region",
          "us-east-1",
          "--source-account",
          location.account,
          "--target-region",
          "us-west-2",
          "--debug",
        ],
        [
          "events",
          "list",
          "--region",
          "us-east-1",
          "--account",
          location.account,
          "--journal-table",
          "no-such-journal",
          "--debug",
        ],
        [
          "backup",
          "--source-region",
          "us-east-1",
          "--source-account",
          location.account,
          "--bucket",
          "lakesync-no-such-bucket-creds",
          "--debug",
        ],
      ]) {
        const run = await cli(args);
        outputs.push(run.stdout + run.stderr);
      }
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.token === undefined) delete process.env.AWS_SESSION_TOKEN;
      else process.env.AWS_SESSION_TOKEN = saved.token;
    }
    const all = outputs.join("\n");
    expect(all).toMatch(/ at /); // --debug did print stack traces to scan
    expect(all).not.toContain(secretKey);
    expect(all).not.toContain(sessionToken);
    expect(all).not.toContain(marker);
  });
});
