// Source side of realtime replication, in the source account and region: the event journal,
// the EventBridge capture path (rule -> queue -> capture function), the CloudTrail poller on a
// schedule, the replicator on the journal's stream, dead-letter queues and the alert topic.
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import type { Construct } from "constructs";
import { CAPTURE_ENV } from "../modules/capture/env.ts";
import { CAPTURE_EVENT_PATTERN } from "../modules/capture/event-pattern.ts";
import type { LakesyncConfig } from "../modules/config/schema.ts";
import { targetRoleArns } from "../modules/config/targets.ts";
import { HANDLERS } from "../modules/deploy/handlers.ts";
import { SOURCE_REREAD_ACTIONS } from "../modules/deploy/iam.ts";
import { functionName, resourcePrefix } from "../modules/deploy/naming.ts";
import { REPLICATOR_ENV } from "../modules/replicator/env.ts";
import { deployedReplicatorSettings } from "../modules/replicator/settings.ts";
import { Alerts } from "./constructs/alerts.ts";
import { CloudTrailEventRule } from "./constructs/cloudtrail-event-rule.ts";
import { EventJournal } from "./constructs/event-journal.ts";
import { icebergRewriteStatements } from "./constructs/iceberg-rewrite-grants.ts";
import { NodejsFunction } from "./constructs/nodejs-function.ts";
import { Operations } from "./constructs/operations.ts";
import { PrivateBucket } from "./constructs/private-bucket.ts";
import { QueueWithDlq } from "./constructs/queue-with-dlq.ts";
import { FunctionSchedule } from "./constructs/schedule.ts";
import { LakesyncStack } from "./lakesync-stack.ts";

export class RealtimeCaptureStack extends LakesyncStack {
  readonly journal: EventJournal;
  readonly alerts: Alerts;
  readonly recordBucket: PrivateBucket;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, config: LakesyncConfig) {
    const { source, realtime, deployment } = config;
    super(scope, id, source, deployment);
    const prefix = resourcePrefix(config);
    const lambda = deployment.lambda;

    this.journal = new EventJournal(this, "journal", { name: realtime.journalTable });
    this.recordBucket = new PrivateBucket(this, "records", {
      bucket: `${prefix}-journal-records-${source.account}-${source.region}`.slice(0, 63),
      expireAfterDays: 90,
    });
    this.alerts = new Alerts(this, "alerts", { name: `${prefix}-alerts`, email: realtime.alertEmail });

    const captureEnv = {
      [CAPTURE_ENV.journalTable]: this.journal.table.name,
      [CAPTURE_ENV.recordBucket]: this.recordBucket.bucket.bucket,
      [CAPTURE_ENV.sourceAccount]: source.account,
      [CAPTURE_ENV.sourceRegion]: source.region,
      [CAPTURE_ENV.lookbackMinutes]: String(realtime.lookbackMinutes),
    };

    // EventBridge path: seconds of latency.
    const capture = new NodejsFunction(this, "capture", {
      entry: HANDLERS.captureEventBridge.entry,
      functionName: `${prefix}-capture`,
      description: "Journals Glue and Lake Formation write events delivered by EventBridge",
      environment: captureEnv,
      // The sizing below says why: a batch of captures takes well under a second, and 60 s leaves
      // room for throttling retries.
      settings: { ...lambda, timeoutSeconds: 60 },
      sizing:
        "npm run bench (S, bench/results/2026-12-01-S.json): a capture invocation of 10 messages, one conditional put each, took p99 0.37 s and max 1.19 s on local AWS at 4-5 ms per request; 60 s leaves room for throttling retries; the queue's visibility is 6x that; memory is the configured default (the bundle's import takes 68 ms of CPU)",
    });
    const captureQueue = new QueueWithDlq(this, "capture-queue", {
      name: `${prefix}-capture`,
      maxReceiveCount: 5,
      visibilityTimeoutSeconds: 6 * 60,
    });
    new CloudTrailEventRule(this, "capture-rule", {
      name: `${prefix}-glue-lf-api-calls`,
      description: "Successful Glue and Lake Formation API calls recorded by CloudTrail",
      eventPattern: CAPTURE_EVENT_PATTERN,
      queue: captureQueue.queue,
    });
    captureQueue.consumeWith(capture);
    this.journal.grantReadWrite(capture);
    this.recordBucket.grantReadWrite(capture, "StoreLargeRecords");
    this.alerts.alarmOnMessages(
      "capture-dlq-alarm",
      captureQueue.deadLetterQueue,
      "Captured events could not be journaled",
    );

    // Poller path: fills the gaps EventBridge (best effort) leaves.
    const poller = new NodejsFunction(this, "poller", {
      entry: HANDLERS.pollCloudTrail.entry,
      functionName: `${prefix}-poll-cloudtrail`,
      description: "Reads CloudTrail LookupEvents from a checkpoint and journals missed write events",
      environment: captureEnv,
      settings: lambda,
      sizing:
        "a poll pages LookupEvents at its 2 requests/s quota over the lookback window: minutes, not seconds, for a busy account, so the configured timeout (default 300 s); npm run bench: each journaled event is one conditional put (7-8 ms per request on local AWS), so the quota, not the journal, sets the duration",
      // One poller at a time: LookupEvents allows 2 requests/s per account and region, and two
      // pollers would race on the checkpoint.
      reservedConcurrency: 1,
      asyncInvoked: true,
    });
    this.alerts.alarmOnMessages(
      "poller-dlq-alarm",
      poller.deadLetterQueue as SqsQueue,
      "CloudTrail polls failed after Lambda's retries",
    );
    poller.grant({ Sid: "LookupEvents", Action: ["cloudtrail:LookupEvents"], Resource: ["*"] });
    this.journal.grantReadWrite(poller);
    this.recordBucket.grantReadWrite(poller, "StoreLargeRecords");
    new FunctionSchedule(this, "poll-schedule", {
      name: `${prefix}-poll-cloudtrail`,
      expression: `rate(${realtime.pollScheduleMinutes} minute${realtime.pollScheduleMinutes === 1 ? "" : "s"})`,
      target: poller,
    });

    // Replicator: the journal's stream -> every target. Events that fail maxAttempts times are
    // parked failed on the journal item, sent to the DLQ and alerted by the replicator itself;
    // the mapping's own on-failure destination catches invocations that crash outright.
    const replicatorDlq = new SqsQueue(this, "replicator-dlq", {
      name: `${prefix}-replicate-dlq`,
      messageRetentionSeconds: 14 * 24 * 3600,
      kmsMasterKeyId: this.dataKey().arn,
    });
    this.alerts.alarmOnMessages("replicator-dlq-alarm", replicatorDlq, "Catalog events failed to replicate");
    const settings = deployedReplicatorSettings(config);
    const replicator = new NodejsFunction(this, "replicator", {
      entry: HANDLERS.replicate.entry,
      functionName: functionName(config, "replicate"),
      description: "Replicates journaled Glue and Lake Formation events to every target",
      environment: {
        [REPLICATOR_ENV.journalTable]: this.journal.table.name,
        [REPLICATOR_ENV.recordBucket]: this.recordBucket.bucket.bucket,
        // The config resolved here, as `lakesync replicate` resolves it: the function parses
        // settings, not the config (its schema would double the bundle). Lambda environments are
        // limited to 4 KB.
        [REPLICATOR_ENV.settings]: JSON.stringify(settings),
        [REPLICATOR_ENV.deadLetterQueueUrl]: replicatorDlq.url,
        [REPLICATOR_ENV.alertTopicArn]: this.alerts.topic.arn,
      },
      // The sizing below says why: the configured timeout (default 300 s) covers retry rounds with
      // backoff, far above a batch's own time.
      settings: lambda,
      sizing:
        "npm run bench (S, bench/results/2026-12-01-S.json): a stream batch of 10 events took p99 0.77 s and max 2.34 s on local AWS (2.28 journal calls and 1 target Glue call per event); each event is retried up to realtime.maxAttempts against every target with backoff, so the configured timeout (default 300 s) bounds one batch's retries; memory is the configured default (the bundle's import takes 113 ms of CPU)",
    });
    replicator.suppressCheckov(
      "CKV_AWS_45",
      "false positive: the matched value is an AWS account id in the replicator's settings JSON, not a credential; secrets are never in the environment",
    );
    this.journal.grantReadWrite(replicator);
    this.journal.grantStreamRead(replicator);
    this.recordBucket.grantRead(replicator, "ReadLargeRecords");
    this.alerts.grantPublish(replicator);
    replicator.grant({ Sid: "DeadLetters", Action: ["sqs:SendMessage"], Resource: [replicatorDlq.arn] });
    replicator.grant({
      Sid: "WriteTargets",
      Action: ["sts:AssumeRole"],
      Resource: targetRoleArns(settings.targets),
    });
    replicator.grant({ Sid: "RereadSource", Action: SOURCE_REREAD_ACTIONS, Resource: ["*"] });
    for (const statement of icebergRewriteStatements(config)) replicator.grant(statement);
    new LambdaEventSourceMapping(this, "replicator-stream", {
      eventSourceArn: this.journal.table.streamArn,
      functionName: replicator.function.arn,
      startingPosition: "TRIM_HORIZON",
      batchSize: 10,
      maximumBatchingWindowInSeconds: 1,
      functionResponseTypes: ["ReportBatchItemFailures"],
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 10,
      destinationConfig: { onFailure: { destinationArn: replicatorDlq.arn } },
      // Only new events start a replication; state updates on the item are MODIFY records.
      filterCriteria: { filter: [{ pattern: JSON.stringify({ eventName: ["INSERT"] }) }] },
    });

    // One dashboard per source; the batch stack's queues are named by the same conventions.
    this.operations = new Operations(this, "operations", {
      name: prefix,
      region: source.region,
      alerts: this.alerts,
      deadLetterQueues: {
        capture: captureQueue.deadLetterQueue.name,
        poller: poller.deadLetterQueue?.name ?? "",
        replicator: replicatorDlq.name,
        "batch units": `${prefix}-batch-units-dlq`,
        "batch start": `${functionName(config, "batch-start")}-dlq`,
      },
      lagAlarmSeconds: deployment.alarms.replicationLagSeconds,
      eventBridgeSilentHours: deployment.alarms.eventBridgeSilentHours,
    });
  }
}
