// The exported `handler`, wired once from the environment exactly as in Lambda (SNOWFLAKE_SYNC_ENV),
// with the caller's own account on local AWS.
import { CreateDatabaseCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handler, SNOWFLAKE_SYNC_ENV } from "../../handlers/snowflake-sync.ts";
import { client, freshAccount } from "../support/local-aws.ts";
import { type LocalSqlApi, startLocalSqlApi } from "../support/snowflake-sql-api.ts";
import { parquetTable } from "./fixtures.ts";
import { alertTopic, createKeySecret, sqsEvent } from "./harness.ts";
import { testKeyPair } from "./keys.ts";
import { parseSnowflake } from "./sqlglot.ts";

const keys = testKeyPair();
// Lambda's credentials act in its own account: on local AWS that is the default account.
const location = { region: "us-east-1", account: "123456789012" };
const snowflakeDatabase = `env${freshAccount()}`;
const glueDatabase = `${snowflakeDatabase}__public`;
let api: LocalSqlApi;

beforeAll(async () => {
  api = await startLocalSqlApi({ account: "XY12345", user: "sync_user", publicKey: keys.publicKey });
  const alerts = await alertTopic(location);
  process.env[SNOWFLAKE_SYNC_ENV.settings] = JSON.stringify({
    account: "xy12345.us-east-1",
    user: "sync_user",
    role: "SYNC_ROLE",
    warehouse: "SYNC_WH",
    secretArn: await createKeySecret(location, keys.privatePem),
    stages: { [`${snowflakeDatabase}.public.lake`]: "s3://lake-bucket/" },
    apiUrl: api.url,
  });
  process.env[SNOWFLAKE_SYNC_ENV.alertTopicArn] = alerts.topicArn;
  process.env[SNOWFLAKE_SYNC_ENV.maxReceiveCount] = "5";
});
afterAll(async () => {
  for (const name of Object.values(SNOWFLAKE_SYNC_ENV)) delete process.env[name];
  await api.close();
});

describe("handler wired from the environment", () => {
  it("syncs a created table with the settings, secret and endpoint it was given", async () => {
    const glue = client("glue", { region: location.region });
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: glueDatabase } }));
    const { DatabaseName: _, ...input } = parquetTable();
    await glue.send(new CreateTableCommand({ DatabaseName: glueDatabase, TableInput: input }));

    const event = sqsEvent(location, [
      {
        eventName: "CreateTable",
        requestParameters: { databaseName: glueDatabase, tableInput: { name: "orders" } },
      },
    ]);
    const response = await handler(event, { functionName: "snowflake-sync", awsRequestId: "r1" } as Context);

    expect(response.batchItemFailures).toEqual([]);
    expect(api.executed).toHaveLength(1);
    expect(api.executed[0]).toMatchObject({
      warehouse: "SYNC_WH",
      role: "SYNC_ROLE",
      database: snowflakeDatabase,
      timeout: 300,
    });
    expect(await parseSnowflake(api.executed.map((s) => s.statement))).toMatchObject([
      { type: "Create", name: [snowflakeDatabase, "public", "orders"] },
    ]);
  });
});
