// The realtime burst of `npm run bench`: N source writes on local AWS flow through the deployed
// path in-process, with its stream semantics: local CloudTrail -> EventBridge rule -> SQS ->
// capture handler (batches of 10, like the event source mapping) -> journal (DynamoDB) -> journal
// stream (GetRecords, INSERTs only, one batch of up to 10 at a time per shard as the deployed
// mapping, a failed batch redelivered from its first failed record) -> replicate handler -> target. Writer, capture and stream consumer run
// side by side as the Lambda service would; latency is from each record's eventTime to the end of
// the replicate invocation that applied it.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from "@aws-sdk/client-dynamodb-streams";
import { CreateDatabaseCommand, CreatePartitionCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import pLimit from "p-limit";
import { createCaptureHandler } from "../handlers/capture-eventbridge.ts";
import { createReplicateHandler, insertedEvent } from "../handlers/replicate.ts";
import { createJournalTable } from "../modules/aws/journal-store.ts";
import { sleep } from "../modules/aws/wiring/base.ts";
import type { ExecutorWiring } from "../modules/aws/wiring/executor.ts";
import { failurePorts } from "../modules/aws/wiring/failure-ports.ts";
import { journalStore } from "../modules/aws/wiring/journal.ts";
import { parseConfig } from "../modules/config/load.ts";
import type { LocalCallCounts } from "../modules/local/call-counts.ts";
import { routeCloudTrailEventsToQueue } from "../modules/local/cloudtrail-queue.ts";
import type { LocalFaults } from "../modules/local/faults.ts";
import { type CpuWindow, cpuWindow } from "../modules/local/process-cpu.ts";
import { sqsEventOf } from "../modules/local/sqs-event.ts";
import { silentLog } from "../modules/replicator/ports.ts";
import { replicatorSettings } from "../modules/replicator/settings.ts";
import { catalogQuota } from "./throttled-restore.ts";

export interface RealtimeResult {
  events: number;
  /** Capture messages deleted after a capture invocation (a duplicate delivery counts again). */
  captured: number;
  /** Distinct events in the journal after the drain, and how many end in each status. */
  journaled: number;
  journalStatus: Record<string, number>;
  /** Stream INSERTs the replicate handler took without failing their batch (the journal says: journalStatus). */
  applied: number;
  writeSeconds: number;
  drainSeconds: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  streamBatches: number;
  redeliveries: number;
  /** Events that failed for good on the target (each is a message on the replicator's dead-letter queue). */
  deadLettered: number;
  /** Seconds per capture invocation (10 messages) and per replicate invocation (up to 10 records). */
  /** API calls per applied event, per service, counted by local AWS over the whole burst. */
  callsPerEvent: Record<string, number>;
  /** DynamoDB calls on the journal per applied event (issue 12 target: at most 3). */
  journalCallsPerEvent: number;
  captureInvocation: { p50: number; p99: number; max: number };
  replicateInvocation: { p50: number; p99: number; max: number };
  /** Where the drain's time went, in seconds from the start of the burst (see realtimeBurst). */
  timeline: {
    captureDoneSeconds: number;
    captureBusySeconds: number;
    replicateBusySeconds: number;
    streamReadSeconds: number;
    streamIdleSeconds: number;
  };
  /** Calls per applied event per "service:Operation", counted by local AWS (the floor replays them). */
  callsPerOperation: Record<string, number>;
  /** Mean size of a journaled record (the floor's items carry one as large). */
  recordBytes: number;
  /**
   * CPU over the burst (first write to last apply): local AWS's process, this process (writer,
   * capture, stream consumer and replicator), and the whole machine.
   */
  cpu: CpuWindow;
  /** Target calls local AWS answered with an error (under a target quota: the throttles), each retried. */
  targetErrors: number;
  /** Calls on the target account (answered or not). */
  targetCalls: number;
  /**
   * Local AWS's CPU per applied event, split by whom it served: lakesync's own calls (journal,
   * target writes, dead letters), the calls AWS makes or the user does on AWS's side (the source
   * writes, the Lambda service polling the capture queue and the journal stream), and the rest
   * (HTTP handling around the calls, and CloudTrail -> EventBridge -> SQS delivery on its own threads).
   */
  localAwsCpuMsPerEvent: { lakesyncCalls: number; awsSideCalls: number; rest: number; total: number };
}

/** The deployed event source mappings' batch sizes (stacks/realtime-capture-stack.ts). */
const CAPTURE_BATCH = 10;
const STREAM_BATCH = 10;
/** Records the stream simulation reads ahead of the batches (one GetRecords page). */
const STREAM_PREFETCH = 1000;
/** Source writes in flight at once, and capture pollers (Lambda's first SQS pollers). */
const BURST_WRITERS = 8;
const CAPTURE_POLLERS = 4;
/** Empty receives (100 ms apart) a poller waits for messages still held in the queue: over 30 s. */
const QUEUE_WAIT_ROUNDS = 400;

/** Journal item reads and writes (the stream's own reads are signed "dynamodb" too, and are not counted). */
const JOURNAL_ITEM_CALLS =
  /^(Get|Put|Update|Delete|BatchGet|BatchWrite|TransactGet|TransactWrite)Items?$|^(Query|Scan)$/;

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);

function spread(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const s = (n: number) => Math.round(n) / 1000;
  return { p50: s(quantile(sorted, 0.5)), p99: s(quantile(sorted, 0.99)), max: s(sorted.at(-1) ?? 0) };
}

function cpuPerEvent(
  calls: { lakesync: number; awsSide: number },
  window: CpuWindow,
  events: number,
): RealtimeResult["localAwsCpuMsPerEvent"] {
  const ms = (seconds: number) => Math.round((seconds * 1000 * 100) / events) / 100;
  const total = window.localAws?.cpuSeconds ?? calls.lakesync + calls.awsSide;
  return {
    lakesyncCalls: ms(calls.lakesync),
    awsSideCalls: ms(calls.awsSide),
    rest: ms(Math.max(0, total - calls.lakesync - calls.awsSide)),
    total: ms(total),
  };
}

export async function realtimeBurst(
  aws: ExecutorWiring,
  counter: LocalCallCounts,
  where: { source: { account: string; region: string }; target: { account: string; region: string } },
  events: number,
  localAwsPid: number,
  options: {
    /** Pace the source writes at this rate (absent: as fast as BURST_WRITERS writers go). */
    writesPerSecond?: number;
    /** Hold the target's Glue and Lake Formation calls to this request-rate quota (local AWS throttles past it). */
    targetQuota?: { faults: LocalFaults; perSecond: number };
  } = {},
): Promise<RealtimeResult> {
  const { writesPerSecond, targetQuota } = options;
  const { source, target } = where;
  const clients = aws.clients;
  const tableName = "bench-journal";
  await createJournalTable(clients.get("dynamodb", source), tableName);
  const sqs = clients.get("sqs", source);
  // The dead-letter queue and the alert topic live where failurePorts sends: the function's own
  // account (the ambient credentials), in the source region, as in the deployed stack.
  const ambient = { region: source.region };
  const dlq =
    (await clients.get("sqs", ambient).send(new CreateQueueCommand({ QueueName: "bench-replicator-dlq" })))
      .QueueUrl ?? "";
  const topic =
    (await clients.get("sns", ambient).send(new CreateTopicCommand({ Name: "bench-alerts" }))).TopicArn ?? "";
  const captureQueue = await routeCloudTrailEventsToQueue(clients, source, "bench-capture");
  const config = parseConfig(
    {
      source,
      targets: [{ name: "dr", account: target.account, region: target.region }],
      realtime: { journalTable: tableName },
      batch: { backupBucket: `bench-unused-${source.account}` },
    },
    "bench config",
  );
  const journal = journalStore(aws, { ...source, tableName });
  const quiet = () => ({
    logger: new Logger({ serviceName: "bench", logLevel: "SILENT" }),
    metrics: new Metrics({ namespace: "bench", serviceName: "bench" }),
  });
  const capture = createCaptureHandler({ journal, ...quiet() });
  const replicate = createReplicateHandler({
    core: aws.replicatorDeps(
      journal,
      failurePorts(aws, source.region, { deadLetterQueueUrl: dlq, alertTopicArn: topic }),
      silentLog,
    ),
    settings: replicatorSettings(config, {}, config.source, config.realtime.maxAttempts),
    ...quiet(),
    roundBaseDelayMs: 50,
  });

  await counter.reset();
  const quotaScope = `bench-realtime-quota-${target.account}`;
  if (targetQuota)
    await targetQuota.faults.set(quotaScope, [catalogQuota(target.account, targetQuota.perSecond)]);

  // ---- the writer: one database, a table per 100 writes, the rest single CreatePartition calls ----
  const glue = clients.get("glue", source);
  const tables = Math.max(1, Math.ceil(events / 100));
  const partitions = events - 1 - tables;
  let writing = true;
  const cpu = cpuWindow(localAwsPid);
  const writeStart = performance.now();
  // A paced writer sends write n at n / writesPerSecond seconds from the start.
  let sent = 0;
  const paced = async <T>(write: () => Promise<T>): Promise<T> => {
    if (writesPerSecond) await sleep(writeStart + (sent++ * 1000) / writesPerSecond - performance.now());
    return write();
  };
  const createTable = (t: number) =>
    glue.send(
      new CreateTableCommand({
        DatabaseName: "burst",
        TableInput: {
          Name: `t${t}`,
          PartitionKeys: [{ Name: "n", Type: "string" }],
          StorageDescriptor: { Location: `s3://burst/t${t}/`, Columns: [{ Name: "v", Type: "string" }] },
        },
      }),
    );
  const createPartition = (i: number) =>
    glue.send(
      new CreatePartitionCommand({
        DatabaseName: "burst",
        TableName: `t${i % tables}`,
        PartitionInput: {
          Values: [String(i)],
          StorageDescriptor: { Location: `s3://burst/t${i % tables}/n=${i}/` },
        },
      }),
    );
  const writer = (async () => {
    await paced(() => glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "burst" } })));
    const limit = pLimit(BURST_WRITERS);
    await Promise.all(Array.from({ length: tables }, (_, t) => limit(() => paced(() => createTable(t)))));
    await Promise.all(
      Array.from({ length: partitions }, (_, i) => limit(() => paced(() => createPartition(i)))),
    );
    writing = false;
    return (performance.now() - writeStart) / 1000;
  })();

  // ---- capture: pollers receive batches of 10 and run the capture handler on each ----
  let captured = 0;
  let captureBusyMs = 0;
  const captureMs: number[] = [];
  const queueHolds = async () => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: captureQueue,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) >
      0
    );
  };
  const capturePoller = async () => {
    let held = 0;
    for (let idle = 0; writing || idle < 3; ) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: captureQueue,
          MaxNumberOfMessages: CAPTURE_BATCH,
          WaitTimeSeconds: 0,
        }),
      );
      if (Messages.length === 0) {
        // A message another poller holds (in flight, or failed and waiting out its visibility
        // timeout) is still to be captured, as the event source mapping would: not idle yet, for
        // up to QUEUE_WAIT_ROUNDS empty receives (past the queue's 30 s visibility timeout).
        held = writing ? 0 : held + 1;
        idle = writing || (held < QUEUE_WAIT_ROUNDS && (await queueHolds())) ? 0 : idle + 1;
        await sleep(100);
        continue;
      }
      idle = 0;
      held = 0;
      const sqsEvent = sqsEventOf(Messages);
      const invoked = performance.now();
      const { batchItemFailures } = await capture(sqsEvent);
      captureBusyMs += performance.now() - invoked;
      captureMs.push(performance.now() - invoked);
      const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
      const done = Messages.filter((m) => !failed.has(m.MessageId ?? ""));
      captured += done.length;
      if (done.length > 0)
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: captureQueue,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
    }
  };

  // ---- the stream: one batch of up to 10 at a time, redelivered from its first failure ----
  const { Table } = await clients
    .get("dynamodb", source)
    .send(new DescribeTableCommand({ TableName: tableName }));
  const streams = clients.get("dynamodbStreams", source);
  const latencies: number[] = [];
  let streamBatches = 0;
  const replicateMs: number[] = [];
  let redeliveries = 0;
  let lastApplied = performance.now();
  let streamReadMs = 0;
  let streamIdleMs = 0;
  let recordChars = 0;
  let recordCount = 0;
  const consumeStream = async (capturing: () => boolean) => {
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }),
    );
    const shard = StreamDescription?.Shards?.[0];
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: Table?.LatestStreamArn,
        ShardId: shard?.ShardId,
        ShardIteratorType: "TRIM_HORIZON",
      }),
    );
    const pending: StreamRecord[] = [];
    // The Lambda service polls the shard while the function runs: one GetRecords in flight at a
    // time, ahead of the batches (a read of 1,000 records costs local AWS seconds under load).
    let reading: Promise<void> | undefined;
    let readError: unknown;
    const readMore = () => {
      reading ??= (async () => {
        const read = performance.now();
        const page = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
        streamReadMs += performance.now() - read;
        ShardIterator = page.NextShardIterator;
        // The mapping's filter: only INSERTs (new events) reach the replicator.
        pending.push(...(page.Records ?? []).filter((record) => record.eventName === "INSERT"));
        // An empty shard is polled again about four times a second, as Lambda does.
        if ((page.Records ?? []).length === 0) await sleep(250);
      })()
        .catch((error: unknown) => {
          readError = error;
        })
        .finally(() => {
          reading = undefined;
        });
      return reading;
    };
    for (let idle = 0; ShardIterator && (capturing() || pending.length > 0 || idle < 3); ) {
      if (readError) throw readError;
      if (pending.length < STREAM_PREFETCH) void readMore();
      if (pending.length === 0) await readMore();
      if (pending.length === 0) {
        idle = capturing() ? 0 : idle + 1;
        streamIdleMs += 250;
        continue;
      }
      idle = 0;
      const batch = pending.slice(0, STREAM_BATCH);
      streamBatches++;
      const invoked = performance.now();
      const { batchItemFailures } = await replicate({
        Records: batch as unknown as DynamoDBRecord[],
      } as DynamoDBStreamEvent);
      const appliedAt = Date.now();
      replicateMs.push(performance.now() - invoked);
      const failedAt = batchItemFailures[0]?.itemIdentifier;
      const cut = failedAt ? batch.findIndex((r) => r.dynamodb?.SequenceNumber === failedAt) : batch.length;
      if (failedAt) redeliveries++;
      for (const record of batch.slice(0, cut)) {
        const ref = insertedEvent(record as unknown as DynamoDBRecord);
        if (ref?.eventTime) latencies.push(appliedAt - Date.parse(ref.eventTime));
        const inline = record.dynamodb?.NewImage?.record?.S;
        if (inline) {
          recordChars += inline.length;
          recordCount++;
        }
      }
      pending.splice(0, cut);
      lastApplied = performance.now();
    }
    await reading;
  };

  let capturing = true;
  const drainStart = performance.now();
  let captureDoneSeconds = 0;
  const captureDone = Promise.all(Array.from({ length: CAPTURE_POLLERS }, capturePoller)).then(() => {
    capturing = false;
    captureDoneSeconds = (performance.now() - drainStart) / 1000;
  });
  const [writeSeconds] = await Promise.all([writer, captureDone, consumeStream(() => capturing)]);
  const drainSeconds = (lastApplied - drainStart) / 1000;
  if (targetQuota) await targetQuota.faults.clear(quotaScope);
  const cpuUsed = cpu.end(latencies.length);
  latencies.sort((a, b) => a - b);
  const { Attributes } = await clients
    .get("sqs", ambient)
    .send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ["ApproximateNumberOfMessages"] }));
  const perService: Record<string, number> = {};
  const perOperation: Record<string, number> = {};
  let journalCalls = 0;
  let targetThrottles = 0;
  let targetCalls = 0;
  const callCpu = { lakesync: 0, awsSide: 0 };
  for (const call of await counter.list()) {
    if (call.account === target.account) {
      targetCalls += call.count;
      targetThrottles += call.errors;
    }
    perService[call.service] = (perService[call.service] ?? 0) + call.count;
    const operation = `${call.service}:${call.operation}`;
    perOperation[operation] = (perOperation[operation] ?? 0) + call.count;
    const journalItemCall = call.service === "dynamodb" && JOURNAL_ITEM_CALLS.test(call.operation);
    if (journalItemCall) journalCalls += call.count;
    const byLakesync =
      journalItemCall ||
      call.account === target.account ||
      ["sts", "sns"].includes(call.service) ||
      operation === "sqs:SendMessage";
    callCpu[byLakesync ? "lakesync" : "awsSide"] += call.cpuSeconds;
  }
  // What the journal says, not what the stream consumer saw: every distinct event, by status
  // (read after the call counts, so the bench's own Scan is not in the figures).
  const journalStatus: Record<string, number> = {};
  const inJournal = await journal.listEvents({ limit: Number.MAX_SAFE_INTEGER });
  for (const event of inJournal) journalStatus[event.status] = (journalStatus[event.status] ?? 0) + 1;
  const applied = Math.max(latencies.length, 1);
  const perEvent = (totals: Record<string, number>, digits: number) =>
    Object.fromEntries(
      Object.entries(totals).map(([key, n]) => [
        key,
        Math.round((n / applied) * 10 ** digits) / 10 ** digits,
      ]),
    );
  const callsPerEvent = perEvent(perService, 2);
  const seconds = (ms: number) => Math.round(ms / 10) / 100;
  return {
    events,
    captured,
    journaled: inJournal.length,
    journalStatus,
    applied: latencies.length,
    writeSeconds,
    drainSeconds,
    eventsPerSecond: latencies.length / drainSeconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? 0,
    streamBatches,
    redeliveries,
    deadLettered: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
    callsPerEvent,
    journalCallsPerEvent: Math.round((journalCalls / applied) * 100) / 100,
    captureInvocation: spread(captureMs),
    replicateInvocation: spread(replicateMs),
    timeline: {
      captureDoneSeconds: Math.round(captureDoneSeconds * 100) / 100,
      captureBusySeconds: seconds(captureBusyMs),
      replicateBusySeconds: seconds(replicateMs.reduce((a, b) => a + b, 0)),
      streamReadSeconds: seconds(streamReadMs),
      streamIdleSeconds: seconds(streamIdleMs),
    },
    callsPerOperation: perEvent(perOperation, 4),
    recordBytes: recordCount === 0 ? 0 : Math.round(recordChars / recordCount),
    cpu: cpuUsed,
    targetErrors: targetThrottles,
    targetCalls,
    localAwsCpuMsPerEvent: cpuPerEvent(callCpu, cpuUsed, applied),
  };
}
