// SQS-triggered Lambda behind the EventBridge rule (CAPTURE_EVENT_PATTERN): journals each
// "AWS API Call via CloudTrail" envelope. Invalid messages fail alone (partial batch response),
// so they go back to the queue and on to its DLQ instead of being dropped.
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { AwsClients } from "../modules/aws/clients.ts";
import { JournalStore } from "../modules/aws/journal-store.ts";
import { parseCaptureEnv } from "../modules/capture/env.ts";
import { captureEnvelope, InvalidCaptureMessageError } from "../modules/capture/eventbridge-envelope.ts";

export interface CaptureHandlerDeps {
  journal: JournalStore;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
}

export function createCaptureHandler(deps: CaptureHandlerDeps) {
  const now = deps.now ?? (() => new Date());

  const handleRecord = async (message: SQSRecord) => {
    try {
      const outcome = await captureEnvelope(deps.journal, message.body, now());
      deps.metrics.addMetric(outcome.result, MetricUnit.Count, 1);
      deps.logger.debug("captured", { messageId: message.messageId, ...outcome });
      return outcome;
    } catch (error) {
      if (error instanceof InvalidCaptureMessageError) {
        deps.metrics.addMetric("invalid", MetricUnit.Count, 1);
        deps.logger.error("invalid capture message", { messageId: message.messageId, error: error.message });
      }
      throw error;
    }
  };

  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const processor = new BatchProcessor(EventType.SQS);
    try {
      // A batch that fails entirely is still answered item by item, so the response is uniform.
      return await processPartialResponse(event, handleRecord, processor, { throwOnFullBatchFailure: false });
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}

let wired: ReturnType<typeof createCaptureHandler> | undefined;

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  if (!wired) {
    const config = parseCaptureEnv(process.env);
    const clients = new AwsClients();
    const location = { region: config.journalRegion };
    wired = createCaptureHandler({
      journal: new JournalStore(clients.get("dynamodb", location), {
        tableName: config.journalTable,
        ...(config.recordBucket
          ? { recordBucket: config.recordBucket, s3: clients.get("s3", location) }
          : {}),
      }),
      logger: new Logger({ serviceName: "lakesync-capture" }),
      metrics: new Metrics({ namespace: "lakesync", serviceName: "lakesync-capture" }),
    });
  }
  return wired(event);
};
