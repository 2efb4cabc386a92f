// The deployed replicator's failure ports over a wiring's clients (see base.ts); the CLI passes
// functions instead.
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SnsFailureAlerts, SqsDeadLetterQueue } from "../replicator-ports.ts";
import type { AwsWiring } from "./base.ts";
import type { FailurePorts } from "./executor.ts";

/** The clients failurePorts needs, for the entry point's registry. */
export const failureClients = { sqs: SQSClient, sns: SNSClient };

/** SQS dead letters and SNS alerts in `region`. */
export function failurePorts(
  aws: AwsWiring,
  region: string,
  queues: { deadLetterQueueUrl: string; alertTopicArn: string },
): FailurePorts {
  return {
    deadLetters: new SqsDeadLetterQueue(aws.clients.get("sqs", { region }), queues.deadLetterQueueUrl),
    alerts: new SnsFailureAlerts(aws.clients.get("sns", { region }), queues.alertTopicArn),
  };
}
