import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { JournalStore } from "../modules/aws/journal-store.ts";
import { AwsWiring } from "../modules/aws/wiring/base.ts";
import { journalClients, journalStore } from "../modules/aws/wiring/journal.ts";
import { coalescedWriter } from "../modules/capture/coalesced-writer.ts";
import { captureJournalLocation, parseCaptureEnv } from "../modules/capture/env.ts";
import { captureEnvelope, InvalidCaptureMessageError } from "../modules/capture/eventbridge-envelope.ts";
import { sqsPartialBatch } from "./shared.ts";

export interface CaptureHandlerDeps {
  journal: JournalStore;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
}

export function createCaptureHandler(deps: CaptureHandlerDeps) {
  const now = deps.now ?? (() => new Date());
  // One SQS batch's records are handled in parallel: their journal writes go out together.
  const journal = coalescedWriter(deps.journal);

  const handleRecord = async (message: SQSRecord) => {
    try {
      const outcome = await captureEnvelope(journal, message.body, now());
      deps.metrics.addMetric(outcome.result, MetricUnit.Count, 1);
      // Every valid delivery, whatever its result: the EventBridge path's heartbeat.
      deps.metrics.addMetric("captured", MetricUnit.Count, 1);
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

  return sqsPartialBatch(handleRecord, deps.metrics);
}

let wired: ReturnType<typeof createCaptureHandler> | undefined;

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  if (!wired) {
    const config = parseCaptureEnv(process.env);
    const aws = new AwsWiring(journalClients);
    wired = createCaptureHandler({
      journal: journalStore(aws, captureJournalLocation(config)),
      logger: new Logger({ serviceName: "lakesync-capture" }),
      metrics: new Metrics({ namespace: "lakesync", serviceName: "lakesync-capture" }),
    });
  }
  return wired(event);
};
