// The floor under the realtime figure: local AWS alone serving the burst's own call mix. The
// burst's calls, counted by local AWS per operation (writer, capture, journal, stream reads,
// replicator, target writes), are replayed per event as plain SDK calls of the same operations
// with payloads of the same shape (journal items with a record of the same size, 10 puts per
// capture transaction, Glue partitions on a few tables routed to a capture queue by the same
// EventBridge rule), with as many calls in flight as the burst can have, and no lakesync code in
// between. Events/s of that replay is what moto behind the local layer serves on this machine at
// that moment: the pipeline cannot drain much faster than it. Each operation's calls are spread
// evenly over the replay; operations it has no replay for are named, not counted.
import { randomUUID } from "node:crypto";
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import {
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreateTableCommand,
  GetTableCommand,
} from "@aws-sdk/client-glue";
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import pLimit from "p-limit";
import { createJournalTable } from "../modules/aws/journal-store.ts";
import type { ExecutorWiring } from "../modules/aws/wiring/executor.ts";
import { eventKey, highWaterMarkKey } from "../modules/journal/keys.ts";
import { routeCloudTrailEventsToQueue } from "../modules/local/cloudtrail-queue.ts";

export interface RealtimeFloor {
  /** Events whose calls were replayed (the burst's calls per event, times this). */
  events: number;
  concurrency: number;
  calls: number;
  seconds: number;
  eventsPerSecond: number;
  callsPerSecond: number;
  /** Calls replayed per operation, and the burst's operations that have no replay (left out). */
  replayed: Record<string, number>;
  /** Mean wall time of one call per operation during the replay (at `concurrency`). */
  msPerCall: Record<string, number>;
  notReplayed: string[];
}

const TABLES = 10;
/** Capture transactions put one SQS batch of events (the capture mapping's batch size). */
const PUTS_PER_TRANSACTION = 10;
/** Event items the drain reads per BatchGetItem (one stream batch). */
const KEYS_PER_BATCH_GET = 10;

/**
 * Replays `callsPerEvent` ("service:Operation" -> calls per event) for `events` events at
 * `concurrency` in a fresh account, and times it. `recordBytes` is the size of a journaled record.
 */
export async function realtimeFloor(
  aws: ExecutorWiring,
  where: { account: string; region: string },
  callsPerEvent: Readonly<Record<string, number>>,
  options: { events: number; concurrency: number; recordBytes: number },
): Promise<RealtimeFloor> {
  const { clients } = aws;
  const glue = clients.get("glue", where);
  const dynamodb = clients.get("dynamodb", where);
  const streams = clients.get("dynamodbStreams", where);
  const sqs = clients.get("sqs", where);
  const sts = clients.get("sts", where);
  const tableName = "floor-journal";
  const record = "x".repeat(options.recordBytes);

  // ---- set-up, not timed: a database with tables, the journal with items to update, the queue ----
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "floor" } }));
  for (let t = 0; t < TABLES; t++)
    await glue.send(
      new CreateTableCommand({
        DatabaseName: "floor",
        TableInput: {
          Name: `t${t}`,
          PartitionKeys: [{ Name: "n", Type: "string" }],
          StorageDescriptor: { Location: `s3://floor/t${t}/`, Columns: [{ Name: "v", Type: "string" }] },
        },
      }),
    );
  await createJournalTable(dynamodb, tableName);
  const queue = await routeCloudTrailEventsToQueue(clients, where, "floor-capture");
  const seeded = Math.max(KEYS_PER_BATCH_GET, Math.min(options.events, 1000));
  const eventItem = (id: string) => ({
    pk: { S: eventKey(id) },
    eventId: { S: id },
    eventTime: { S: new Date().toISOString() },
    status: { S: "pending" },
    version: { N: "1" },
    record: { S: record },
  });
  for (let start = 0; start < seeded; start += 25)
    await dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [tableName]: Array.from({ length: Math.min(25, seeded - start) }, (_, i) => ({
            PutRequest: { Item: eventItem(`seed-${start + i}`) },
          })),
        },
      }),
    );
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = Table?.LatestStreamArn;
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const shardId = StreamDescription?.Shards?.[0]?.ShardId;
  let { ShardIterator: iterator } = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: streamArn,
      ShardId: shardId,
      ShardIteratorType: "TRIM_HORIZON",
    }),
  );

  // ---- one replay per operation ----
  let n = 0;
  const next = () => n++;
  const handles: string[] = [];
  const receive = async () => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    for (const m of Messages) if (m.ReceiptHandle) handles.push(m.ReceiptHandle);
  };
  const replays: Record<string, () => Promise<unknown>> = {
    "glue:CreatePartition": () => {
      const i = next();
      return glue.send(
        new CreatePartitionCommand({
          DatabaseName: "floor",
          TableName: `t${i % TABLES}`,
          PartitionInput: { Values: [String(i)], StorageDescriptor: { Location: `s3://floor/n=${i}/` } },
        }),
      );
    },
    "glue:CreateTable": () =>
      glue.send(
        new CreateTableCommand({
          DatabaseName: "floor",
          TableInput: { Name: `extra${next()}`, PartitionKeys: [{ Name: "n", Type: "string" }] },
        }),
      ),
    "glue:CreateDatabase": () =>
      glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: `floor${next()}` } })),
    "glue:GetTable": () => glue.send(new GetTableCommand({ DatabaseName: "floor", Name: "t0" })),
    // A capture transaction: conditional puts of new events.
    "dynamodb:TransactWriteItems": () =>
      dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: Array.from({ length: PUTS_PER_TRANSACTION }, () => ({
            Put: {
              TableName: tableName,
              Item: eventItem(randomUUID()),
              ConditionExpression: "attribute_not_exists(pk)",
            },
          })),
        }),
      ),
    // A high-water mark: a conditional put on a resource's mark.
    "dynamodb:PutItem": () =>
      dynamodb.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: highWaterMarkKey(`floor/${next()}`) },
            eventTime: { S: "2026-12-01T00:00:00Z" },
            eventId: { S: "e" },
          },
          ConditionExpression: "attribute_not_exists(pk) OR eventTime <= :t",
          ExpressionAttributeValues: { ":t": { S: "2026-12-01T00:00:00Z" } },
        }),
      ),
    // An outcome: a versioned update of an event's target state.
    "dynamodb:UpdateItem": () =>
      dynamodb.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: eventKey(`seed-${next() % seeded}`) } },
          UpdateExpression: "SET #s = :s, version = version + :one",
          ConditionExpression: "attribute_exists(version)",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":s": { S: "applied" }, ":one": { N: "1" } },
        }),
      ),
    "dynamodb:BatchGetItem": () => {
      const first = next();
      return dynamodb.send(
        new BatchGetItemCommand({
          RequestItems: {
            [tableName]: {
              ConsistentRead: true,
              Keys: Array.from({ length: KEYS_PER_BATCH_GET }, (_, k) => ({
                pk: { S: eventKey(`seed-${(first + k) % seeded}`) },
              })),
            },
          },
        }),
      );
    },
    "dynamodb:GetItem": () =>
      dynamodb.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pk: { S: eventKey("seed-0") } },
          ConsistentRead: true,
        }),
      ),
    "dynamodb:DescribeTable": () => dynamodb.send(new DescribeTableCommand({ TableName: tableName })),
    "dynamodb:DescribeStream": () => streams.send(new DescribeStreamCommand({ StreamArn: streamArn })),
    "dynamodb:GetShardIterator": () =>
      streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: "LATEST" }),
      ),
    "dynamodb:GetRecords": async () => {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      iterator = page.NextShardIterator ?? iterator;
    },
    "sqs:ReceiveMessage": receive,
    "sqs:DeleteMessageBatch": async () => {
      const batch = handles.splice(0, 10);
      if (batch.length === 0) return receive();
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue,
          Entries: batch.map((handle, i) => ({ Id: String(i), ReceiptHandle: handle })),
        }),
      );
    },
    "sqs:SendMessage": () => sqs.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: "{}" })),
    "sts:GetCallerIdentity": () => sts.send(new GetCallerIdentityCommand({})),
  };

  // ---- the replay: every event's calls, interleaved event by event, at the burst's concurrency ----
  const replayed: Record<string, number> = {};
  const busyMs: Record<string, number> = {};
  const notReplayed: string[] = [];
  const perOperation: [string, number][] = [];
  for (const [operation, perEvent] of Object.entries(callsPerEvent)) {
    const calls = Math.round(perEvent * options.events);
    if (calls === 0) continue;
    if (replays[operation]) perOperation.push([operation, calls]);
    else notReplayed.push(operation);
  }
  // Spread each operation's calls evenly over the run, as they are spread over the burst.
  const schedule: { at: number; operation: string }[] = perOperation.flatMap(([operation, calls]) =>
    Array.from({ length: calls }, (_, i) => ({ at: (i + 0.5) / calls, operation })),
  );
  schedule.sort((a, b) => a.at - b.at);
  const limit = pLimit(options.concurrency);
  const start = performance.now();
  await Promise.all(
    schedule.map(({ operation }) =>
      limit(async () => {
        replayed[operation] = (replayed[operation] ?? 0) + 1;
        const sent = performance.now();
        await (replays[operation] as () => Promise<unknown>)().catch(() => undefined);
        busyMs[operation] = (busyMs[operation] ?? 0) + performance.now() - sent;
      }),
    ),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    events: options.events,
    concurrency: options.concurrency,
    calls: schedule.length,
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSecond: Math.round((options.events / seconds) * 10) / 10,
    callsPerSecond: Math.round(schedule.length / seconds),
    replayed,
    msPerCall: Object.fromEntries(
      Object.entries(busyMs).map(([op, ms]) => [op, Math.round((ms / (replayed[op] ?? 1)) * 10) / 10]),
    ),
    notReplayed,
  };
}
