// A scheduled backup + delete-sync (batch-start, batch-worker) weighs the delete-sync guard per work
// unit, as `sync --delete` does for the whole catalog: a unit whose deletes exceed
// batch.maxDeleteShare of its target ends refused, with the reason in its result, and writes
// nothing to that target. There is no --allow-mass-delete in a handler; the config's share is the
// only override. The refusal is not retried: the backup still completes.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { CreateDatabaseCommand, CreateTableCommand, GetTablesCommand } from "@aws-sdk/client-glue";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
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
import { readManifest } from "../../modules/batch/backup.ts";
import { HANDLER_DELETE_OVERRIDE } from "../../modules/batch/env.ts";
import { resolveBatchSettings } from "../../modules/batch/settings.ts";
import type { TargetSyncResult } from "../../modules/batch/units.ts";
import { client, type TestLocation, testLocation } from "../support/local-aws.ts";
import { executeWithoutWaits } from "./catalog-support.ts";

const source = testLocation("us-east-1");
const target: TestLocation = { account: source.account, region: "us-west-2" };
const bucket = `lakesync-guard-${source.account}`;
const clients = new AwsClients(allClients, { maxAttempts: 1 });
const s3 = client("s3", source);
const sqs = client("sqs", source);
const storage = new S3BackupStorage(s3, bucket);
afterAll(() => clients.destroy());

const table = (name: string) => ({
  Name: name,
  StorageDescriptor: { Columns: [{ Name: "id", Type: "int" }], Location: `s3://guard-data/sales/${name}/` },
});

let queueUrl = "";
beforeAll(async () => {
  // The source has one table; the target has it and three more the delete-sync would remove.
  for (const [location, tables] of [
    [source, ["t1"]],
    [target, ["t1", "t2", "t3", "t4"]],
  ] as const) {
    const glue = client("glue", location);
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "sales" } }));
    for (const name of tables)
      await glue.send(new CreateTableCommand({ DatabaseName: "sales", TableInput: table(name) }));
  }
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "lakesync-guard-units" }))).QueueUrl!;
});

/** One scheduled run: batch-start, then the worker on every queued unit until the queue is empty. */
async function scheduledRun(prefix: string, maxDeleteShare: number) {
  const quiet = {
    logger: new Logger({ serviceName: "lakesync-batch-test", logLevel: "SILENT" }),
    metrics: new Metrics({ namespace: "lakesync-test", serviceName: "batch" }),
  };
  const start = createBatchStartHandler({
    config: { source, bucket, prefix, keepBackups: 5, databases: "all" },
    storage,
    listDatabases: () => listDatabaseNames(client("glue", source), source.account),
    enqueue: (bodies) => sendMessages(sqs, queueUrl, bodies),
    ...quiet,
  });
  const worker = createBatchWorkerHandler({
    storageFor: () => storage,
    readSnapshot: (unit, scope) => readUnitScope(clients, unit.source, scope),
    enqueue: (bodies) => sendMessages(sqs, queueUrl, bodies),
    sync: {
      targets: resolveBatchSettings(
        undefined,
        { sourceRegion: source.region, sourceAccount: source.account, targetRegion: target.region },
        { needTargets: true },
      ).targets,
      deleteSync: true,
      deleteGuard: { maxDeleteShare, allowMassDelete: false, override: HANDLER_DELETE_OVERRIDE },
      readTarget: (location, scope) => readUnitScope(clients, location, scope),
      execute: executeWithoutWaits(clients),
    },
    ...quiet,
  });
  const { backup } = await start({});
  const failed: string[] = [];
  for (let round = 0; round < 10; round++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) break;
    const records = Messages.map((m) => ({ messageId: m.MessageId!, body: m.Body! }) as SQSRecord);
    failed.push(...(await worker({ Records: records })).batchItemFailures.map((f) => f.itemIdentifier));
  }
  const folder = backup.slice(`s3://${bucket}/`.length);
  const sync: TargetSyncResult[] = [];
  for await (const key of storage.list(`${folder}units/`)) {
    const body = await storage.get(key);
    sync.push(...(JSON.parse(Buffer.from(body!).toString("utf8")) as { sync: TargetSyncResult[] }).sync);
  }
  return { folder, failed, sync };
}

const targetTables = async () =>
  ((await client("glue", target).send(new GetTablesCommand({ DatabaseName: "sales" }))).TableList ?? [])
    .map((t) => t.Name)
    .sort();

describe("scheduled delete-sync (batch-start, batch-worker) and the mass-delete guard", () => {
  it("refuses a unit whose deletes exceed batch.maxDeleteShare: the reason is in its result, nothing is deleted", async () => {
    const run = await scheduledRun("guarded/", 0.5);
    expect(run.failed).toEqual([]); // terminal, not retried
    const refused = run.sync.filter((r) => r.refused);
    expect(refused).toEqual([
      expect.objectContaining({
        target: "target",
        operations: 0,
        refused: expect.stringMatching(
          /^target: refusing \d+ delete\(s\) of \d+ target object\(s\) \(\d+%, over batch.maxDeleteShare 0.5\); nothing written; raise batch.maxDeleteShare in the config to apply them$/,
        ),
      }),
    ]);
    expect(await targetTables()).toEqual(["t1", "t2", "t3", "t4"]);
    // The backup itself is good: the run completed.
    expect((await readManifest(storage, run.folder)).counts.table).toBe(1);
  });

  it("applies the deletes when the configured share allows them (the only override)", async () => {
    const run = await scheduledRun("allowed/", 1);
    expect(run.failed).toEqual([]);
    expect(run.sync.filter((r) => r.refused)).toEqual([]);
    expect(await targetTables()).toEqual(["t1"]);
  });
});
