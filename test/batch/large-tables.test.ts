// Per-large-table work units against local AWS: batch-start makes a table over the threshold a
// unit of its own (queued by its database's unit), the database unit skips its partitions and
// reads only its own objects (no catalog-wide call, counted by an SDK middleware), the table unit
// reads only that table's partitions into several parts, the sync applies in bounded windows
// (deletes last), and the manifest counts equal the live catalog, record for record.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import {
  BatchCreatePartitionCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  GetTableCommand,
} from "@aws-sdk/client-glue";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { CreateQueueCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBatchStartHandler } from "../../handlers/batch-start.ts";
import { createBatchWorkerHandler } from "../../handlers/batch-worker.ts";
import { allClients } from "../../modules/aws/all-clients.ts";
import { S3BackupStorage } from "../../modules/aws/backup-store.ts";
import { findLargeTables, listDatabaseNames, readUnitScope } from "../../modules/aws/batch-units.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { sendMessages } from "../../modules/aws/work-queue.ts";
import { readBackupRecords, readManifest } from "../../modules/batch/backup.ts";
import { resolveBatchSettings } from "../../modules/batch/settings.ts";
import { parseWorkUnit, type WorkUnit } from "../../modules/batch/units.ts";
import type { TargetOperation } from "../../modules/operations/operation.ts";
import { isRemoval } from "../../modules/operations/ordering.ts";
import { client, testLocation } from "../support/local-aws.ts";
import {
  countByKind,
  createSampleCatalog,
  executeWithoutWaits,
  sampleBucket,
  snapshot,
} from "./catalog-support.ts";

const source = testLocation("us-east-1");
const target = { account: source.account, region: "us-west-2" };
const bucket = `lakesync-large-${source.account}`;
const clients = new AwsClients(allClients, { maxAttempts: 1 });
const s3 = client("s3", source);
const sqs = client("sqs", source);
const storage = new S3BackupStorage(s3, bucket);
const quiet = () => ({
  logger: new Logger({ serviceName: "lakesync-batch-test", logLevel: "SILENT" }),
  metrics: new Metrics({ namespace: "lakesync-test", serviceName: "batch" }),
});
afterAll(() => clients.destroy());

const PARTITIONS = 1_500;
const THRESHOLD = 1_000;
const PART_RECORDS = 400;
const WINDOW = 7;

const eventsTable = {
  Name: "events",
  PartitionKeys: [{ Name: "day", Type: "string" }],
  StorageDescriptor: {
    Columns: [{ Name: "id", Type: "string" }],
    Location: `s3://${sampleBucket}/events/`,
  },
};

/** Every SDK call the source's Glue and LF clients make, attributed to the unit running. */
const calls: { unit: string; command: string; input: Record<string, unknown> }[] = [];
let running = "(none)";

let queueUrl = "";
beforeAll(async () => {
  await createSampleCatalog(source);
  const glue = client("glue", source);
  await glue.send(new CreateTableCommand({ DatabaseName: "sampledb", TableInput: eventsTable }));
  for (let i = 0; i < PARTITIONS; i += 100) {
    const answer = await glue.send(
      new BatchCreatePartitionCommand({
        DatabaseName: "sampledb",
        TableName: "events",
        PartitionInputList: Array.from({ length: Math.min(100, PARTITIONS - i) }, (_, j) => ({
          Values: [String(i + j).padStart(5, "0")],
          StorageDescriptor: { Location: `s3://${sampleBucket}/events/day=${i + j}/` },
        })),
      }),
    );
    expect(answer.Errors ?? []).toEqual([]);
  }
  // A target-only table: the sync deletes it (delete-sync on), after every addition.
  const targetGlue = client("glue", target);
  await targetGlue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "sampledb" } }));
  await targetGlue.send(new CreateTableCommand({ DatabaseName: "sampledb", TableInput: { Name: "stale" } }));

  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "lakesync-large-units" }))).QueueUrl!;
  for (const sdk of [clients.get("glue", source), clients.get("lakeformation", source)]) {
    sdk.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push({
          unit: running,
          command: String(context.commandName).replace(/Command$/, ""),
          input: args.input as never,
        });
        return next(args);
      },
      { step: "initialize", name: "lakesyncCountCalls" },
    );
  }
}, 120_000);

const sqsRecord = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: `handle-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: "1",
    SentTimestamp: "0",
    SenderId: "test",
    ApproximateFirstReceiveTimestamp: "0",
  },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: `arn:aws:sqs:${source.region}:${source.account}:lakesync-large-units`,
  awsRegion: source.region,
});

async function receive(): Promise<SQSRecord[]> {
  const answer = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
  );
  return (answer.Messages ?? []).map((m) => sqsRecord(m.MessageId!, m.Body!));
}

const unitLabel = (unit: WorkUnit) =>
  unit.database === undefined ? "catalog" : unit.table ? `${unit.database}.${unit.table}` : unit.database;

describe("large-table units", () => {
  it("splits a table over the threshold into its own unit and finishes with the live catalog's counts", async () => {
    const dr = resolveBatchSettings(
      undefined,
      {
        sourceRegion: source.region,
        sourceAccount: source.account,
        targetRegion: target.region,
        bucketMap: [`${sampleBucket}=${sampleBucket}-west`],
      },
      { needTargets: true },
    ).targets;

    const start = createBatchStartHandler({
      config: { source, bucket, prefix: "large/", keepBackups: 3, databases: "all" },
      storage,
      listDatabases: () => listDatabaseNames(client("glue", source), source.account),
      findLargeTables: (databases) => findLargeTables(client("glue", source), databases, THRESHOLD),
      enqueue: (bodies) => sendMessages(sqs, queueUrl, bodies),
      ...quiet(),
    });
    const started = await start({});
    expect(started).toMatchObject({ units: 6, largeTables: 1 });

    const windows: { unit: string; operations: TargetOperation[] }[] = [];
    const worker = createBatchWorkerHandler({
      storageFor: () => storage,
      readSnapshot: (unit, scope) => readUnitScope(clients, unit.source, scope, { pageSize: 100 }),
      enqueue: (bodies) => sendMessages(sqs, queueUrl, bodies),
      sync: {
        targets: dr,
        deleteSync: true,
        readTarget: (location, scope) => readUnitScope(clients, location, scope),
        execute: executeWithoutWaits(clients),
        window: WINDOW,
        onWindow: (operations) => windows.push({ unit: running, operations: [...operations] }),
      },
      partRecords: PART_RECORDS,
      ...quiet(),
    });

    // One message per invocation so each call is attributed to its unit; units queue the next ones.
    const ran: WorkUnit[] = [];
    for (let round = 0; round < 20 && ran.length < started.units; round++) {
      for (const message of await receive()) {
        const unit = parseWorkUnit(message.body);
        running = unitLabel(unit);
        const answer = await worker({ Records: [message] });
        expect(answer.batchItemFailures).toEqual([]);
        ran.push(unit);
      }
    }
    running = "(none)";
    expect(ran.map(unitLabel)).toEqual([
      "catalog",
      ...["cur_database", "sampledb", "sampledb_link", "tag_database"],
      "sampledb.events",
    ]);
    const databaseUnit = ran.find((u) => unitLabel(u) === "sampledb")!;
    expect(databaseUnit.partitionsElsewhere).toEqual(["events"]);

    // Catalog-wide reads happen in the catalog unit only; units read resource by resource.
    const catalogWide = ["GetDataLakeSettings", "ListResources", "ListLFTags"];
    const byUnit = (unit: string) => calls.filter((c) => c.unit === unit);
    expect(byUnit("catalog").map((c) => c.command)).toEqual(expect.arrayContaining(catalogWide));
    for (const unit of ["cur_database", "sampledb", "sampledb_link", "tag_database", "sampledb.events"]) {
      const made = byUnit(unit);
      expect(made.length).toBeGreaterThan(0);
      expect(made.filter((c) => catalogWide.includes(c.command))).toEqual([]);
      expect(made.filter((c) => c.command === "ListPermissions" && !c.input.Resource)).toEqual([]);
      expect(made.filter((c) => c.command === "ListDataCellsFilter" && !c.input.Table)).toEqual([]);
    }
    // The database unit never pages the large table's partitions; the table unit reads nothing else.
    expect(
      byUnit("sampledb").filter((c) => c.command === "GetPartitions" && c.input.TableName === "events"),
    ).toEqual([]);
    expect(
      new Set(byUnit("sampledb.events").map((c) => `${c.command} ${String(c.input.TableName)}`)),
    ).toEqual(new Set(["GetPartitions events", "BatchGetPartition events"]));

    // The sync ran in windows of at most WINDOW operations, deletes after every addition.
    expect(Math.max(...windows.map((w) => w.operations.length))).toBeLessThanOrEqual(WINDOW);
    expect(windows.length).toBeGreaterThan(3);
    const sampledb = windows.filter((w) => w.unit === "sampledb").flatMap((w) => w.operations);
    const firstRemoval = sampledb.findIndex((o) => isRemoval(o.idempotency));
    expect(firstRemoval).toBeGreaterThan(0);
    expect(sampledb.slice(firstRemoval).every((o) => isRemoval(o.idempotency))).toBe(true);
    expect(sampledb.at(-1)?.description).toMatch(/delete 1 table\(s\) in sampledb: stale/);
    await expect(
      client("glue", target).send(new GetTableCommand({ DatabaseName: "sampledb", Name: "stale" })),
    ).rejects.toThrow(/not found/i);

    // The manifest counts the live catalog; the parts (the table unit's in several) merge back into it.
    const folder = started.backup.slice(`s3://${bucket}/`.length);
    const manifest = await readManifest(storage, folder);
    const live = await snapshot(source);
    expect(manifest.counts).toEqual(countByKind(live));
    expect(manifest.counts.partition).toBeGreaterThan(PARTITIONS);
    expect(manifest.parts.filter((p) => p.name.startsWith("part-00005")).map((p) => p.records)).toEqual([
      400, 400, 400, 300,
    ]);
    const restored = [];
    for await (const record of readBackupRecords(storage, folder, manifest)) restored.push(record);
    expect(restored).toEqual(live);

    // The target now holds the large table's partitions too.
    const west = await snapshot({ ...target });
    expect(west.filter((r) => r.kind === "partition" && r.key.startsWith("sampledb/events/")).length).toBe(
      PARTITIONS,
    );
  }, 180_000);
});
