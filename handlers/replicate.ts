import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { ExecutorWiring } from "../modules/aws/wiring/executor.ts";
import { failureClients, failurePorts } from "../modules/aws/wiring/failure-ports.ts";
import { journalClients, journalStore } from "../modules/aws/wiring/journal.ts";
import { EVENT_KEY_PREFIX, JOURNAL_TABLE } from "../modules/journal/keys.ts";
import { drainEvents, type EventRef } from "../modules/replicator/drain.ts";
import { parseReplicatorEnv } from "../modules/replicator/env.ts";
import type {
  ReplicatorDeps,
  ReplicatorSettings,
  TargetOutcome,
} from "../modules/replicator/replicate-event.ts";
import { streamPartialBatch } from "./shared.ts";
import { handlerTracing } from "./tracing.ts";

export interface ReplicateHandlerDeps {
  core: ReplicatorDeps;
  settings: ReplicatorSettings;
  metrics: Metrics;
  logger: Logger;
  /** Backoff between retry rounds of one event. */
  roundBaseDelayMs?: number;
}

/** The journaled event an INSERT stream record announces; undefined for anything else. */
export function insertedEvent(record: DynamoDBRecord): EventRef | undefined {
  if (record.eventName !== "INSERT") return undefined;
  const image = record.dynamodb?.NewImage;
  const pk = image?.[JOURNAL_TABLE.partitionKey]?.S;
  if (!pk?.startsWith(EVENT_KEY_PREFIX)) return undefined; // checkpoints, high-water marks
  const eventId = image?.eventId?.S ?? pk.slice(EVENT_KEY_PREFIX.length);
  return {
    eventId,
    eventTime: image?.eventTime?.S ?? "",
    ...(image?.eventName?.S ? { eventName: image.eventName.S } : {}),
  };
}

export function recordMetrics(metrics: Metrics, outcomes: readonly TargetOutcome[]): void {
  const final = outcomes.filter((o) => o.final);
  const applied = final.filter((o) => o.state === "applied");
  metrics.addMetric("applied", MetricUnit.Count, applied.length);
  metrics.addMetric("noop", MetricUnit.Count, final.filter((o) => o.state === "noop").length);
  metrics.addMetric("failed", MetricUnit.Count, final.filter((o) => o.state === "failed").length);
  // One value per applied outcome (EMF keeps them all), so p50 and p99 are over events, not batches.
  for (const outcome of applied) metrics.addMetric("lagSeconds", MetricUnit.Seconds, outcome.lagSeconds);
}

export function createReplicateHandler(deps: ReplicateHandlerDeps) {
  /**
   * One drain for the whole batch: its events run in eventTime order, an event can wait in retry
   * rounds for a dependency that comes later in the same batch, and events on a resource wait for
   * that resource's retried event. Events that fail for good are settled (journal, DLQ, alert);
   * only an infrastructure error fails the records, so Lambda retries the batch.
   */
  const drainBatch = async (event: DynamoDBStreamEvent): Promise<TargetOutcome[]> => {
    const refs = event.Records.map(insertedEvent).filter((ref): ref is EventRef => ref !== undefined);
    const outcomes = await drainEvents(refs, deps.core, deps.settings, {
      ...(deps.roundBaseDelayMs !== undefined ? { roundBaseDelayMs: deps.roundBaseDelayMs } : {}),
    });
    for (const outcome of outcomes.filter((o) => o.final)) {
      deps.logger.info("replicated", { ...outcome });
    }
    recordMetrics(deps.metrics, outcomes);
    return outcomes;
  };

  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const drained = drainBatch(event).catch((error: unknown) =>
      error instanceof Error ? error : new Error(String(error)),
    );
    return streamPartialBatch(async (record) => {
      if (!insertedEvent(record)) return;
      const result = await drained;
      if (result instanceof Error) throw result;
    }, deps.metrics)(event);
  };
}

type ReplicateHandler = ReturnType<typeof createReplicateHandler>;
let wired: ReplicateHandler | undefined;

/** The handler, wired from the environment: settings, clients, and tracing when deployed with it. */
async function wire(): Promise<ReplicateHandler> {
  const env = parseReplicatorEnv(process.env);
  // Every Glue, Lake Formation and journal call a subsegment, when the deployment asks for it.
  const tracing = await handlerTracing(env.traceSdkCalls, "lakesync-replicator");
  const aws = new ExecutorWiring({ ...journalClients, ...failureClients }, tracing.clientOptions);
  const logger = new Logger({ serviceName: "lakesync-replicator" });
  const handle = createReplicateHandler({
    core: aws.replicatorDeps(
      journalStore(aws, {
        region: env.region,
        tableName: env.journalTable,
        recordBucket: env.recordBucket,
      }),
      failurePorts(aws, env.region, env),
      {
        info: (message, extra) => logger.info(message, extra ?? {}),
        warn: (message, extra) => logger.warn(message, extra ?? {}),
        error: (message, extra) => logger.error(message, extra ?? {}),
      },
    ),
    settings: env.settings,
    metrics: new Metrics({ namespace: "lakesync", serviceName: "lakesync-replicator" }),
    logger,
  });
  return tracing.traced("replicate", handle);
}

/** The Lambda entry point: wired once per container, on its first event. */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  wired ??= await wire();
  return wired(event);
};
