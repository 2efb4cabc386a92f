// Lambda: Glue table events (EventBridge "AWS API Call via CloudTrail" envelopes, delivered by SQS)
// -> Snowflake external tables. A failing record is reported as a batch item failure so SQS retries
// it; on its last receive an SNS alert names the event, the table and the error (the queue's
// redrive policy then moves it to the DLQ).
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import {
  type AlertPublisher,
  snowflakeAlertClients,
  snsAlertPublisher,
} from "../modules/aws/snowflake-alerts.ts";
import { AwsWiring } from "../modules/aws/wiring/base.ts";
import { snowflakeClients, snowflakeSync } from "../modules/aws/wiring/snowflake.ts";
import { parseSnowflakeSyncEnv } from "../modules/snowflake/env.ts";
import { decodeGlueTableEvent, type GlueTableEvent } from "../modules/snowflake/events.ts";
import { type SyncDeps, syncTableEvent } from "../modules/snowflake/sync.ts";
import { publishMetrics } from "./metrics.ts";

// The stack sets these (modules/snowflake/env.ts); re-exported for callers that set them by hand.
export { SNOWFLAKE_SYNC_ENV } from "../modules/snowflake/env.ts";

export interface SnowflakeSyncHandlerDeps {
  sync: SyncDeps;
  alerts: AlertPublisher;
  logger: Logger;
  metrics: Metrics;
  maxReceiveCount: number;
}

export function createSnowflakeSyncHandler(deps: SnowflakeSyncHandlerDeps) {
  const { logger, metrics } = deps;
  const processor = new BatchProcessor(EventType.SQS);

  const processRecord = async (record: SQSRecord) => {
    const decoded = decodeGlueTableEvent(parseBody(record.body));
    if (!decoded.ok) {
      logger.debug("event ignored", { messageId: record.messageId, reason: decoded.ignored });
      metrics.addMetric("EventsIgnored", MetricUnit.Count, 1);
      return;
    }
    // One statement per table; a failure fails the whole record, and a retry redoes the tables
    // already done, which is harmless (DROP … IF EXISTS, CREATE OR REPLACE, ADD … IF NOT EXISTS).
    for (const event of decoded.events) await syncOne(event, record);
  };

  const syncOne = async (event: GlueTableEvent, record: SQSRecord) => {
    const table = `${event.database}.${event.table}`;
    try {
      const outcome = await syncTableEvent(event, deps.sync);
      logger.info("table synced", { eventId: event.eventId, event: event.kind, ...outcome });
      if (outcome.notes?.length) logger.warn("table synced approximately", { table, notes: outcome.notes });
      metrics.addMetric(
        `Tables${outcome.status[0]!.toUpperCase()}${outcome.status.slice(1)}`,
        MetricUnit.Count,
        1,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const attempt = Number(record.attributes.ApproximateReceiveCount ?? 1);
      logger.error("table sync failed", { eventId: event.eventId, table, attempt, error: message });
      metrics.addMetric("TablesFailed", MetricUnit.Count, 1);
      if (attempt >= deps.maxReceiveCount) {
        await deps.alerts.publish({ eventId: event.eventId, table, error: message });
      }
      throw error;
    }
  };

  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    try {
      return await processPartialResponse(event, processRecord, processor, {
        ...(context ? { context } : {}),
        // A batch where every record failed is still a partial response: SQS retries each one.
        throwOnFullBatchFailure: false,
      });
    } finally {
      publishMetrics(metrics);
    }
  };
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Wired once per cold start from the environment. */
function wireFromEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const { settings, alertTopicArn, maxReceiveCount, region } = parseSnowflakeSyncEnv(env);
  const aws = new AwsWiring({ ...snowflakeClients, ...snowflakeAlertClients });
  return createSnowflakeSyncHandler({
    sync: snowflakeSync(aws, settings, region),
    alerts: snsAlertPublisher(aws.clients.get("sns", { region }), alertTopicArn),
    logger: new Logger({ serviceName: "lakesync-snowflake-sync" }),
    metrics: new Metrics({ namespace: "lakesync", serviceName: "snowflake-sync" }),
    maxReceiveCount,
  });
}

let wired: ReturnType<typeof createSnowflakeSyncHandler> | undefined;

export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  wired ??= wireFromEnvironment();
  return wired(event, context);
};
