// End to end on local AWS: Glue CreateTable -> local CloudTrail -> EventBridge rule -> SQS ->
// snowflake-sync handler -> the local SQL API server received the CREATE EXTERNAL TABLE.
import { BatchDeleteTableCommand, CreateDatabaseCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import { type Message, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { routeCloudTrailEventsToQueue } from "../../modules/local/cloudtrail-queue.ts";
import { client, testLocation } from "../support/local-aws.ts";
import { type LocalSqlApi, startLocalSqlApi } from "../support/snowflake-sql-api.ts";
import { alertTopic, buildHandler, createKeySecret } from "./harness.ts";
import { testKeyPair } from "./keys.ts";
import { parseSnowflake } from "./sqlglot.ts";

const keys = testKeyPair();
const location = testLocation();
const clients = new AwsClients(allClients, { maxAttempts: 1 });
let api: LocalSqlApi;

beforeAll(async () => {
  api = await startLocalSqlApi({ account: "XY12345", user: "sync_user", publicKey: keys.publicKey });
});
afterAll(async () => {
  await api.close();
  clients.destroy();
});

async function receiveAll(queueUrl: string, atLeast: number): Promise<Message[]> {
  const messages: Message[] = [];
  for (let polls = 0; polls < 10 && messages.length < atLeast; polls++) {
    const { Messages } = await client("sqs", location).send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ["All"],
      }),
    );
    messages.push(...(Messages ?? []));
  }
  return messages;
}

function asSqsEvent(messages: Message[]): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body!,
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? "1",
        SentTimestamp: m.Attributes?.SentTimestamp ?? "0",
        SenderId: m.Attributes?.SenderId ?? "",
        ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? "0",
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? "",
      eventSource: "aws:sqs",
      eventSourceARN: `arn:aws:sqs:${location.region}:${location.account}:glue-events`,
      awsRegion: location.region,
    })),
  };
}

describe("Glue -> CloudTrail -> EventBridge -> SQS -> Snowflake", () => {
  it("turns a Glue CreateTable into CREATE EXTERNAL TABLE on the SQL API", async () => {
    const queueUrl = await routeCloudTrailEventsToQueue(clients, location, "glue-events");
    const secretArn = await createKeySecret(location, keys.privatePem);
    const alerts = await alertTopic(location);
    const glue = client("glue", location);
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "lake__raw" } }));
    await glue.send(
      new CreateTableCommand({
        DatabaseName: "lake__raw",
        TableInput: {
          Name: "clicks",
          TableType: "EXTERNAL_TABLE",
          PartitionKeys: [{ Name: "year", Type: "int" }],
          StorageDescriptor: {
            Columns: [
              { Name: "user_id", Type: "string" },
              { Name: "props", Type: "map<string,string>" },
            ],
            Location: "s3://events-bucket/raw/clicks/",
            InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            SerdeInfo: {
              SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
            },
          },
        },
      }),
    );

    // CreateDatabase and CreateTable both arrive; only the table event leads to a statement.
    const messages = await receiveAll(queueUrl, 2);
    const eventNames = messages.map(
      (m) => (JSON.parse(m.Body!) as { detail: { eventName: string } }).detail.eventName,
    );
    expect(eventNames).toContain("CreateTable");

    const handler = buildHandler({
      location,
      api,
      secretArn,
      topicArn: alerts.topicArn,
      settings: { stages: { "lake.raw.events": "s3://events-bucket/raw/" } },
    });
    const response = await handler(asSqsEvent(messages));
    expect(response.batchItemFailures).toEqual([]);

    expect(api.executed).toHaveLength(1);
    expect(api.executed[0]).toMatchObject({
      database: "lake",
      schema: "raw",
      warehouse: "SYNC_WH",
      role: "SYNC_ROLE",
    });
    const [statement] = await parseSnowflake(api.executed.map((s) => s.statement));
    expect(statement).toMatchObject({
      type: "Create",
      replace: true,
      name: ["lake", "raw", "clicks"],
      properties: {
        ExternalProperty: true,
        LocationProperty: "@lake.raw.events/clicks/",
        PartitionedByProperty: ["year"],
        FileFormatProperty: { TYPE: "PARQUET" },
        AUTO_REFRESH: "TRUE",
      },
    });
    expect(statement?.columns?.map((c) => [c.name, c.type])).toEqual([
      ["user_id", "VARCHAR"],
      ["props", "VARIANT"],
      ["year", "DECIMAL(10, 0)"],
    ]);
    expect(statement?.columns?.[2]?.readsFilename).toBe(true);
    // metadata$filename starts at the bucket: the stage's raw/ folder counts.
    const [evaluated] = await parseSnowflake(
      api.executed.map((s) => s.statement),
      ["raw/clicks/year=2024/part-0.parquet"],
    );
    expect(evaluated?.partitionValues).toEqual({ year: [2024] });
  });

  it("turns a Glue BatchDeleteTable into one DROP per table Glue deleted", async () => {
    const queueUrl = await routeCloudTrailEventsToQueue(clients, location, "glue-deletes");
    const secretArn = await createKeySecret(location, keys.privatePem);
    const alerts = await alertTopic(location);
    const glue = client("glue", location);
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "lake__gone" } }));
    for (const name of ["t1", "t2"]) {
      await glue.send(
        new CreateTableCommand({
          DatabaseName: "lake__gone",
          TableInput: {
            Name: name,
            StorageDescriptor: {
              Columns: [{ Name: "id", Type: "bigint" }],
              Location: `s3://events-bucket/raw/${name}/`,
            },
          },
        }),
      );
    }
    const { Errors } = await glue.send(
      new BatchDeleteTableCommand({ DatabaseName: "lake__gone", TablesToDelete: ["t1", "t2", "never-was"] }),
    );
    expect(Errors?.map((e) => e.TableName)).toEqual(["never-was"]);

    const messages = await receiveAll(queueUrl, 4);
    const batch = messages.filter(
      (m) =>
        (JSON.parse(m.Body!) as { detail: { eventName: string } }).detail.eventName === "BatchDeleteTable",
    );
    expect(batch).toHaveLength(1);
    api.executed.length = 0;
    const handler = buildHandler({
      location,
      api,
      secretArn,
      topicArn: alerts.topicArn,
      settings: { stages: { "lake.gone.events": "s3://events-bucket/raw/" }, dropOnDelete: true },
    });
    expect((await handler(asSqsEvent(batch))).batchItemFailures).toEqual([]);
    expect(await parseSnowflake(api.executed.map((s) => s.statement))).toEqual([
      { type: "Drop", kind: "EXTERNAL TABLE", exists: true, name: ["lake", "gone", "t1"] },
      { type: "Drop", kind: "EXTERNAL TABLE", exists: true, name: ["lake", "gone", "t2"] },
    ]);
  });
});
