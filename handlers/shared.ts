// Plumbing every handler shares, so each handler file keeps only its own logic. The AWS objects
// come from modules/aws/wiring/, shared with the CLI.
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import type {
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from "aws-lambda";
import { publishMetrics } from "./metrics.ts";

/**
 * An SQS handler answering with Powertools partial batch responses: a failing record is retried
 * (and dead-lettered) alone. A batch that fails entirely is answered item by item too, so the
 * response is uniform; stored metrics are published whatever happens.
 */
export function sqsPartialBatch(
  handleRecord: (record: SQSRecord) => Promise<unknown>,
  metrics: Metrics,
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    try {
      return await processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), {
        throwOnFullBatchFailure: false,
      });
    } finally {
      publishMetrics(metrics);
    }
  };
}

/**
 * The same for DynamoDB stream batches (the journal's stream), in order: records run one at a
 * time, and after a failure the rest of the batch is failed unprocessed. Lambda retries a stream
 * from the first failed record, so a later record never runs before an earlier one it may depend
 * on (or overwrite).
 */
export function streamPartialBatch(
  handleRecord: (record: DynamoDBRecord) => Promise<unknown>,
  metrics: Metrics,
): (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse> {
  return async (event) => {
    let failedAt: string | undefined;
    const inOrder = async (record: DynamoDBRecord) => {
      if (failedAt) throw new Error(`not processed: earlier record ${failedAt} of this batch failed`);
      try {
        return await handleRecord(record);
      } catch (error) {
        failedAt = record.dynamodb?.SequenceNumber ?? record.eventID ?? "?";
        throw error;
      }
    };
    try {
      return await processPartialResponse(event, inOrder, new BatchProcessor(EventType.DynamoDBStreams), {
        throwOnFullBatchFailure: false,
        processInParallel: false,
      });
    } finally {
      publishMetrics(metrics);
    }
  };
}
