// The batch work-unit queue: SendMessageBatch, 10 per call, failed entries reported, not dropped.
// Its own module so the worker, which enqueues only from a run's catalog-wide unit, imports it on
// that path (handlers/batch-worker.ts), where batch-start sends on every run.
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";

/** SQS by its class, for an entry point sending on every invocation (batch-start). */
export const workQueueClients = { sqs: SQSClient };

export async function sendMessages(
  sqs: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const batch = bodies.slice(i, i + 10);
    const answer = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((MessageBody, j) => ({ Id: String(i + j), MessageBody })),
      }),
    );
    const failed = answer.Failed ?? [];
    if (failed.length > 0) {
      throw new Error(
        `could not queue ${failed.length} work unit(s): ${failed.map((f) => `${f.Id} ${f.Code} ${f.Message}`).join("; ")}`,
      );
    }
  }
}
