// The deployed replicator's failure ports over a wiring's clients (see base.ts); the CLI passes
// functions instead.
import { deferredSns, deferredSqs } from "../lazy/deferred-clients.ts";
import type { AwsWiring } from "./base.ts";
import type { FailurePorts } from "./executor.ts";

/**
 * The clients failurePorts needs, for the entry point's registry: deferred, as only an event that
 * fails for good sends to them.
 */
export const failureClients = {
  sqs: deferredSqs,
  sns: deferredSns,
};

/**
 * SQS dead letters and SNS alerts in `region`. The adapters (and the SDK commands they send) are
 * imported on the first failure, for the same reason as their clients.
 */
export function failurePorts(
  aws: AwsWiring,
  region: string,
  queues: { deadLetterQueueUrl: string; alertTopicArn: string },
): FailurePorts {
  const adapters = async () => await import("../replicator-ports.ts");
  return {
    deadLetters: {
      send: async (notice) =>
        new (await adapters()).SqsDeadLetterQueue(
          aws.clients.get("sqs", { region }),
          queues.deadLetterQueueUrl,
        ).send(notice),
    },
    alerts: {
      publish: async (notice) =>
        new (await adapters()).SnsFailureAlerts(
          aws.clients.get("sns", { region }),
          queues.alertTopicArn,
        ).publish(notice),
    },
  };
}
