// An SQS work queue with a dead-letter queue, feeding a function with partial batch responses.
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import { Construct } from "constructs";
import { LakesyncStack } from "../lakesync-stack.ts";
import type { NodejsFunction } from "./nodejs-function.ts";

export interface QueueWithDlqProps {
  name: string;
  /** Deliveries before a message moves to the DLQ. */
  maxReceiveCount: number;
  /** Must be at least the consumer's timeout (AWS recommends 6x). */
  visibilityTimeoutSeconds: number;
}

export class QueueWithDlq extends Construct {
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    const key = LakesyncStack.containing(this).dataKey();
    this.deadLetterQueue = new SqsQueue(this, "dlq", {
      name: `${props.name}-dlq`,
      messageRetentionSeconds: 14 * 24 * 3600,
      kmsMasterKeyId: key.arn,
    });
    this.queue = new SqsQueue(this, "queue", {
      name: props.name,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
      kmsMasterKeyId: key.arn,
      redrivePolicy: JSON.stringify({
        deadLetterTargetArn: this.deadLetterQueue.arn,
        maxReceiveCount: props.maxReceiveCount,
      }),
    });
  }

  /** Delivers the queue to the function, reporting per-message failures (Powertools batch). */
  consumeWith(fn: NodejsFunction, batchSize = 10): LambdaEventSourceMapping {
    fn.grant({
      Sid: "ConsumeQueue",
      Action: [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ChangeMessageVisibility",
      ],
      Resource: [this.queue.arn],
    });
    return new LambdaEventSourceMapping(this, "consumer", {
      eventSourceArn: this.queue.arn,
      functionName: fn.function.arn,
      batchSize,
      maximumBatchingWindowInSeconds: 1,
      functionResponseTypes: ["ReportBatchItemFailures"],
    });
  }
}
