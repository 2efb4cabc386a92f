// The at-scale path against local AWS: batch-start plans work units and queues them on SQS;
// batch-worker turns each message into a part with partial batch failures (a failing unit and an
// invalid message fail alone), skips units already done, and the unit completing the set writes
// the manifest and applies retention. The backup then reads back as the live catalog.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { CreateBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { CreateQueueCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBatchStartHandler } from "../../handlers/batch-start.ts";
import { createBatchWorkerHandler } from "../../handlers/batch-worker.ts";
import { allClients } from "../../modules/aws/all-clients.ts";
import { S3BackupStorage } from "../../modules/aws/backup-store.ts";
import { listDatabaseNames, readUnitScope } from "../../modules/aws/batch-units.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { sendMessages } from "../../modules/aws/work-queue.ts";
import { readBackupRecords, readManifest } from "../../modules/batch/backup.ts";
import { BATCH_ENV, HANDLER_DELETE_OVERRIDE, parseBatchEnv } from "../../modules/batch/env.ts";
import { resolveBatchSettings } from "../../modules/batch/settings.ts";
import { parseWorkUnit, type UnitScope, type WorkUnit } from "../../modules/batch/units.ts";
import { cli } from "../support/cli.ts";
import { client, testLocation } from "../support/local-aws.ts";
import {
  countByKind,
  createSampleCatalog,
  executeWithoutWaits,
  sampleBucket,
  sha256,
  snapshot,
} from "./catalog-support.ts";

const source = testLocation("us-east-1");
const bucket = `lakesync-units-${source.account}`;
const prefix = "runs/";
const clients = new AwsClients(allClients, { maxAttempts: 1 });
const s3 = client("s3", source);
const sqs = client("sqs", source);
const storage = new S3BackupStorage(s3, bucket);
const quiet = () => ({
  logger: new Logger({ serviceName: "lakesync-batch-test", logLevel: "SILENT" }),
  metrics: new Metrics({ namespace: "lakesync-test", serviceName: "batch" }),
});
afterAll(() => clients.destroy());

let queueUrl = "";
beforeAll(async () => {
  await createSampleCatalog(source);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "lakesync-batch-units" }))).QueueUrl!;
});

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
  eventSourceARN: `arn:aws:sqs:${source.region}:${source.account}:lakesync-batch-units`,
  awsRegion: source.region,
});

async function receiveAll(expected: number): Promise<SQSRecord[]> {
  const out: SQSRecord[] = [];
  for (let round = 0; round < 10 && out.length < expected; round++) {
    const answer = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    for (const m of answer.Messages ?? []) out.push(sqsRecord(m.MessageId!, m.Body!));
  }
  return out;
}

const keysUnder = async (p: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: p }))).Contents ?? []).map(
    (o) => o.Key!,
  );

describe("batch handlers", () => {
  let backup = "";
  let olderBackup = "";
  let firstUnit: SQSRecord[] = [];
  const dr = resolveBatchSettings(
    undefined,
    {
      sourceRegion: source.region,
      sourceAccount: source.account,
      targetRegion: "us-west-2",
      bucketMap: [`${sampleBucket}=${sampleBucket}-west`],
    },
    { needTargets: true },
  ).targets;

  it("batch-start plans one unit for the catalog-wide records and one per database, and queues the first", async () => {
    // An older complete backup, which the run's retention (keep 1) must delete once it completes.
    const older = await cli([
      "backup",
      "--source-region",
      source.region,
      "--source-account",
      source.account,
      "--bucket",
      bucket,
      "--prefix",
      prefix,
      "--json",
    ]);
    expect(older.code, older.stderr).toBe(0);
    olderBackup = (JSON.parse(older.stdout) as { url: string }).url;

    const start = createBatchStartHandler({
      config: { source, bucket, prefix, keepBackups: 1, databases: "all" },
      storage,
      listDatabases: () => listDatabaseNames(client("glue", source), source.account),
      enqueue: (bodies) => sendMessages(sqs, queueUrl, bodies),
      ...quiet(),
      now: () => new Date(Date.now() + 1000),
    });
    const result = await start({});
    backup = result.backup;
    expect(result.units).toBe(5);
    firstUnit = await receiveAll(1);
    expect(firstUnit.map((u) => parseWorkUnit(u.body))).toEqual([
      expect.objectContaining({ index: 0, unitCount: 5, runId: backup.split("/").at(-2) }),
    ]);
    expect(parseWorkUnit(firstUnit[0]!.body).database).toBeUndefined();
  });

  it("batch-worker backs up and syncs unit by unit; failures fail alone; the last unit writes the manifest", async () => {
    let failOnce = true;
    const worker = createBatchWorkerHandler({
      storageFor: () => storage,
      readSnapshot: (unit: WorkUnit, scope: UnitScope) => {
        if (unit.database === "tag_database" && failOnce) {
          failOnce = false;
          throw new Error("ThrottlingException: Rate exceeded");
        }
        return readUnitScope(clients, unit.source, scope);
      },
      enqueue: (bodies) => sendMessages(sqs, queueUrl, bodies),
      sync: {
        targets: dr,
        deleteSync: false,
        readTarget: (location, scope) => readUnitScope(clients, location, scope),
        execute: executeWithoutWaits(clients),
      },
      ...quiet(),
    });
    const folder = backup.slice(`s3://${bucket}/`.length);

    // The catalog-wide unit runs alone, then queues the four database units.
    const first = await worker({ Records: [...firstUnit, sqsRecord("bad-1", "{not a unit")] });
    expect(first.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(["bad-1"]);
    const databaseUnits = await receiveAll(4);
    expect(databaseUnits.map((u) => parseWorkUnit(u.body).database).sort()).toEqual([
      "cur_database",
      "sampledb",
      "sampledb_link",
      "tag_database",
    ]);

    const failing = databaseUnits.find((u) => parseWorkUnit(u.body).database === "tag_database")!;
    const second = await worker({ Records: databaseUnits });
    expect(second.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([failing.messageId]);
    expect(await keysUnder(`${folder}manifest.json`)).toEqual([]);
    expect(await keysUnder(`${folder}units/`)).toHaveLength(4);

    // The queue redelivers the failed unit (and, at least once, a unit that already finished).
    const third = await worker({ Records: [failing, databaseUnits[0]!] });
    expect(third.batchItemFailures).toEqual([]);
    const manifest = await readManifest(storage, folder);
    expect(manifest.parts.map((p) => p.name)).toEqual(
      [0, 1, 2, 3, 4].map((i) => `part-${String(i).padStart(5, "0")}.jsonl.gz`),
    );
    for (const part of manifest.parts) {
      const body = await storage.get(`${folder}${part.name}`);
      expect(sha256(body!)).toBe(part.sha256);
    }
    const live = await snapshot(source);
    expect(manifest.counts).toEqual(countByKind(live));

    // Parts merge back into the live catalog, record for record and in canonical order.
    const restored = [];
    for await (const record of readBackupRecords(storage, folder, manifest)) restored.push(record);
    expect(restored).toEqual(live);

    // Retention ran when the run completed: only this backup is left.
    const olderFolder = olderBackup.slice(`s3://${bucket}/`.length);
    expect(await keysUnder(olderFolder)).toEqual([]);
    expect((await keysUnder(folder)).length).toBeGreaterThan(5);

    // And the target was synced unit by unit.
    const diff = await cli([
      "diff",
      "--source-region",
      source.region,
      "--source-account",
      source.account,
      "--target-region",
      "us-west-2",
      "--bucket-map",
      `${sampleBucket}=${sampleBucket}-west`,
    ]);
    expect(diff.code, diff.stdout).toBe(0);
    expect(diff.lastLine).toBe("source and target match: 0 differences");
  });

  it("reads its configuration from the environment variables named in one module", () => {
    const config = parseBatchEnv({
      [BATCH_ENV.sourceAccount]: source.account,
      [BATCH_ENV.sourceRegion]: "eu-west-1",
      [BATCH_ENV.backupBucket]: bucket,
      [BATCH_ENV.backupPrefix]: "x",
      [BATCH_ENV.databases]: "sales, hr",
      [BATCH_ENV.queueUrl]: "https://sqs.eu-west-1.amazonaws.com/111122223333/q",
    });
    expect(config).toEqual({
      source: { account: source.account, region: "eu-west-1" },
      bucket,
      prefix: "x/",
      keepBackups: 14,
      databases: ["sales", "hr"],
      queueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/q",
      concurrency: 8,
      targets: [],
      deleteSync: false,
      deleteGuard: { maxDeleteShare: 0.5, allowMassDelete: false, override: HANDLER_DELETE_OVERRIDE },
      syncCatalog: true,
      syncPermissions: true,
      largeTablePartitions: 100_000,
      executeWindow: 500,
      traceSdkCalls: false,
    });
    const withTargets = parseBatchEnv({
      [BATCH_ENV.sourceAccount]: source.account,
      [BATCH_ENV.sourceRegion]: "us-east-1",
      [BATCH_ENV.backupBucket]: bucket,
      [BATCH_ENV.targets]: JSON.stringify(dr),
      [BATCH_ENV.deleteSync]: "true",
      [BATCH_ENV.maxDeleteShare]: "0.2",
      [BATCH_ENV.syncPermissions]: "false",
      [BATCH_ENV.traceSdkCalls]: "true",
    });
    expect(withTargets).toMatchObject({
      traceSdkCalls: true,
      targets: dr,
      deleteSync: true,
      deleteGuard: { maxDeleteShare: 0.2, allowMassDelete: false, override: HANDLER_DELETE_OVERRIDE },
      syncCatalog: true,
      syncPermissions: false,
    });
    expect(() =>
      parseBatchEnv({
        [BATCH_ENV.sourceAccount]: source.account,
        [BATCH_ENV.sourceRegion]: "us-east-1",
        [BATCH_ENV.backupBucket]: bucket,
        [BATCH_ENV.targets]: "[{}]",
      }),
    ).toThrow(/LAKESYNC_BATCH_TARGETS/);
    expect(() => parseBatchEnv({ [BATCH_ENV.backupBucket]: bucket })).toThrow(/LAKESYNC_SOURCE_ACCOUNT/);
  });
});
