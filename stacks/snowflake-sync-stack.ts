// AWS side of the Glue -> Snowflake sync, in the source account and region: Glue table events
// (EventBridge) -> queue with DLQ -> sync function -> Snowflake SQL API; alerts on final failure.
// The Snowflake side (integration, stages, user) is SnowflakeAccountStack.
import type { Construct } from "constructs";
import type { LakesyncConfig, SnowflakeConfig } from "../modules/config/schema.ts";
import { HANDLERS } from "../modules/deploy/handlers.ts";
import { iamActions, SNOWFLAKE_SYNC_GLUE_APIS } from "../modules/deploy/iam.ts";
import { functionName, resourcePrefix } from "../modules/deploy/naming.ts";
import { SNOWFLAKE_SYNC_ENV } from "../modules/snowflake/env.ts";
import { SNOWFLAKE_SYNC_EVENT_PATTERN } from "../modules/snowflake/events.ts";
import { SnowflakeSettings } from "../modules/snowflake/settings.ts";
import { Alerts } from "./constructs/alerts.ts";
import { CloudTrailEventRule } from "./constructs/cloudtrail-event-rule.ts";
import { NodejsFunction } from "./constructs/nodejs-function.ts";
import { QueueWithDlq } from "./constructs/queue-with-dlq.ts";
import { LakesyncStack } from "./lakesync-stack.ts";

const maxReceiveCount = 3;

export class SnowflakeSyncStack extends LakesyncStack {
  constructor(scope: Construct, id: string, config: LakesyncConfig, snowflake: SnowflakeConfig) {
    super(scope, id, config.source, config.deployment);
    const { account, region } = config.source;
    const prefix = `${resourcePrefix(config)}-snowflake`;
    // The handler validates the same settings at cold start; validating here fails the synth instead.
    const settings = SnowflakeSettings.parse(snowflake);

    const alerts = new Alerts(this, "alerts", {
      name: `${prefix}-alerts`,
      email: config.realtime.alertEmail,
    });
    const queue = new QueueWithDlq(this, "queue", {
      name: `${prefix}-events`,
      maxReceiveCount,
      visibilityTimeoutSeconds: 6 * config.deployment.lambda.timeoutSeconds,
    });
    new CloudTrailEventRule(this, "rule", {
      name: `${prefix}-glue-table-events`,
      description: "Glue CreateTable/UpdateTable/DeleteTable calls for the Snowflake sync",
      eventPattern: SNOWFLAKE_SYNC_EVENT_PATTERN,
      queue: queue.queue,
    });
    const sync = new NodejsFunction(this, "sync", {
      entry: HANDLERS.snowflakeSync.entry,
      functionName: functionName(config, "snowflake-sync"),
      description: "Creates, alters and drops Snowflake external tables for Glue table events",
      environment: {
        [SNOWFLAKE_SYNC_ENV.settings]: JSON.stringify(settings),
        [SNOWFLAKE_SYNC_ENV.alertTopicArn]: alerts.topic.arn,
        [SNOWFLAKE_SYNC_ENV.maxReceiveCount]: String(maxReceiveCount),
      },
      settings: config.deployment.lambda,
      sizing:
        "per event a few Snowflake SQL API statements, each polled until done: the configured timeout (default 300 s) covers a slow warehouse resume; the queue's visibility is 6x that",
    });
    queue.consumeWith(sync);
    alerts.grantPublish(sync);
    alerts.alarmOnMessages(
      "dlq-alarm",
      queue.deadLetterQueue,
      "Glue table events could not be synced to Snowflake",
    );
    sync.grant({
      Sid: "ReadGlueTables",
      Action: iamActions("glue", SNOWFLAKE_SYNC_GLUE_APIS),
      Resource: [
        `arn:aws:glue:${region}:${account}:catalog`,
        `arn:aws:glue:${region}:${account}:database/*`,
        `arn:aws:glue:${region}:${account}:table/*/*`,
      ],
    });
    sync.grant({
      Sid: "ReadPrivateKey",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: [settings.secretArn],
    });
  }
}
