// Batch backup and drift repair, in the source account and region: the backup bucket, a work-unit
// queue with DLQ, the start function (on the configured schedule) that plans the units, and the
// worker that backs up and syncs one unit per message, so a catalog larger than one Lambda's
// 15 minutes finishes.

import type { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import type { Construct } from "constructs";
import { BATCH_ENV } from "../modules/batch/env.ts";
import { resolveBatchSettings } from "../modules/batch/settings.ts";
import type { LakesyncConfig } from "../modules/config/schema.ts";
import { deployedTargets, targetRoleArns } from "../modules/config/targets.ts";
import { HANDLERS } from "../modules/deploy/handlers.ts";
import { CATALOG_READ_ACTIONS } from "../modules/deploy/iam.ts";
import { functionName, resourcePrefix } from "../modules/deploy/naming.ts";
import { Alerts } from "./constructs/alerts.ts";
import { icebergRewriteStatements } from "./constructs/iceberg-rewrite-grants.ts";
import { NodejsFunction } from "./constructs/nodejs-function.ts";
import { alarmsOnBatchUnits } from "./constructs/operations.ts";
import { PrivateBucket } from "./constructs/private-bucket.ts";
import { QueueWithDlq } from "./constructs/queue-with-dlq.ts";
import { FunctionSchedule } from "./constructs/schedule.ts";
import { LakesyncStack } from "./lakesync-stack.ts";

const ACCOUNT_ID_NOT_A_SECRET =
  "false positive: the matched value is an AWS account id in the targets' JSON, not a credential; secrets are never in the environment (the Snowflake key is read from Secrets Manager at run time)";

export class BatchStack extends LakesyncStack {
  constructor(scope: Construct, id: string, config: LakesyncConfig) {
    const { source, batch, deployment } = config;
    super(scope, id, source, deployment);
    const prefix = resourcePrefix(config);

    const backups = new PrivateBucket(this, "backups", { bucket: batch.backupBucket, versioned: true });
    const units = new QueueWithDlq(this, "units", {
      name: `${prefix}-batch-units`,
      maxReceiveCount: 3,
      visibilityTimeoutSeconds: 6 * 900,
    });
    const alerts = new Alerts(this, "alerts", {
      name: `${prefix}-batch-alerts`,
      email: config.realtime.alertEmail,
    });
    alerts.alarmOnMessages(
      "units-dlq-alarm",
      units.deadLetterQueue,
      "Batch work units failed after 3 attempts",
    );

    // Each target is reached through the writer role its TargetAccessStack creates.
    const targets = deployedTargets(config, resolveBatchSettings(config, {}, { needTargets: false }).targets);
    const environment = {
      [BATCH_ENV.sourceAccount]: source.account,
      [BATCH_ENV.sourceRegion]: source.region,
      [BATCH_ENV.backupBucket]: batch.backupBucket,
      [BATCH_ENV.backupPrefix]: batch.backupPrefix,
      [BATCH_ENV.keepBackups]: String(batch.keepBackups),
      [BATCH_ENV.databases]: batch.databases === "all" ? "all" : batch.databases.join(","),
      [BATCH_ENV.queueUrl]: units.queue.url,
      [BATCH_ENV.concurrency]: String(batch.concurrency),
      [BATCH_ENV.targets]: JSON.stringify(targets),
      [BATCH_ENV.deleteSync]: String(batch.deleteSync),
      [BATCH_ENV.maxDeleteShare]: String(batch.maxDeleteShare),
      [BATCH_ENV.syncCatalog]: String(batch.syncCatalog),
      [BATCH_ENV.syncPermissions]: String(batch.syncPermissions),
    };

    const start = new NodejsFunction(this, "start", {
      entry: HANDLERS.batchStart.entry,
      functionName: functionName(config, "batch-start"),
      description: "Plans a backup + sync run as work units on the batch queue",
      environment,
      settings: { ...deployment.lambda, timeoutSeconds: 300 },
      sizing:
        "lists the databases and queues one message per unit: seconds for thousands of databases; 300 s covers GetDatabases paging under throttling; npm run bench (S, bench/results/2026-12-01-S.json): backing up the whole source catalog of 10,000 partitions took 8.3 s, so listing databases and large tables is a fraction of that",
      // Two overlapping starts would plan the same run twice.
      reservedConcurrency: 1,
      asyncInvoked: true,
    });
    alerts.alarmOnMessages(
      "start-dlq-alarm",
      start.deadLetterQueue as SqsQueue,
      "Batch runs failed to start after Lambda's retries",
    );
    const worker = new NodejsFunction(this, "worker", {
      entry: HANDLERS.batchWorker.entry,
      functionName: functionName(config, "batch-worker"),
      description: "Backs up and syncs one work unit (a database or the catalog-wide objects)",
      environment,
      // npm run bench (S, bench/results): backup, restore, diff and sync of the whole catalog
      // (10 databases, 10,000 partitions) each peaked at at most 130 MB in one process, of which
      // 72 MB is the CLI's loaded code; a unit is one database, so 1 GB holds a large one.
      settings: {
        ...deployment.lambda,
        timeoutSeconds: 900,
        memoryMb: Math.max(deployment.lambda.memoryMb, 1024),
      },
      sizing:
        "one unit is a database (or the catalog-wide objects) streamed and merged table by table; npm run bench (S, bench/results/2026-12-01-S.json): backup, restore, diff and sync of the whole catalog each peaked at at most 121 MB (51 MB of it the idle CLI) and took at most 19.3 s on local AWS; 900 s is Lambda's maximum, and the memory floor of 1 GB also buys the CPU the gzip and JSON work of large tables needs",
    });
    units.consumeWith(worker, 1);
    alarmsOnBatchUnits(this, `${prefix}-batch`, alerts);
    for (const fn of [start, worker]) fn.suppressCheckov("CKV_AWS_45", ACCOUNT_ID_NOT_A_SECRET);
    for (const fn of [start, worker]) {
      fn.grant({
        Sid: "ReadSourceCatalog",
        Action: [...CATALOG_READ_ACTIONS.glue, ...CATALOG_READ_ACTIONS.lakeformation],
        Resource: ["*"],
      });
      fn.grant({ Sid: "QueueUnits", Action: ["sqs:SendMessage"], Resource: [units.queue.arn] });
      backups.grantReadWrite(fn, "Backups");
    }
    for (const statement of icebergRewriteStatements(config)) worker.grant(statement);
    if (targets.length > 0) {
      worker.grant({
        Sid: "WriteTargets",
        Action: ["sts:AssumeRole"],
        Resource: targetRoleArns(targets),
      });
    }
    if (batch.schedule) {
      new FunctionSchedule(this, "schedule", {
        name: `${prefix}-batch`,
        expression: batch.schedule,
        target: start,
      });
    }
  }
}
