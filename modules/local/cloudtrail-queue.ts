// Routes "AWS API Call via CloudTrail" events for Glue and Lake Formation to an SQS queue, the same
// way it is done on AWS: an EventBridge rule on the default bus with the queue as its target. On
// local AWS the CloudTrail layer (scripts/localaws/cloudtrail) puts every recorded mutating call on
// that bus, so this is how users and tests observe calls as they happen.
import type { AwsClients, AwsLocation } from "../aws/clients.ts";
import { EventBridgeQueueRouting } from "../aws/queue-routing.ts";

export const CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail";
export const CATALOG_EVENT_SOURCES = ["aws.glue", "aws.lakeformation"] as const;

/** The rule's event pattern: Glue and Lake Formation calls recorded by CloudTrail. */
export const catalogCallPattern = {
  source: [...CATALOG_EVENT_SOURCES],
  "detail-type": [CLOUDTRAIL_DETAIL_TYPE],
};

export function cloudTrailRuleName(queueName: string): string {
  return `lakesync-cloudtrail-to-${queueName}`.slice(0, 64);
}

/** What routing needs from AWS: modules/aws/queue-routing.ts (EventBridgeQueueRouting). */
export interface QueueRouting {
  ensureQueue(name: string): Promise<{ url: string; arn: string }>;
  putRule(rule: { name: string; eventPattern: object; description: string }): Promise<string>;
  setQueuePolicy(queueUrl: string, policy: object): Promise<void>;
  putTarget(rule: string, target: { id: string; arn: string }): Promise<void>;
}

/** On AWS EventBridge may only send to a queue whose policy allows it for this rule. */
export function queuePolicyForRule(queueArn: string, ruleArn: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowEventBridgeRule",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
      },
    ],
  };
}

/** Creates (idempotently) the queue, the rule and its target; returns the queue URL. */
export async function routeCloudTrailEventsToQueue(
  clients: AwsClients,
  location: AwsLocation,
  queueName: string,
): Promise<string> {
  return routeToQueue(new EventBridgeQueueRouting(clients, location), queueName);
}

export async function routeToQueue(routing: QueueRouting, queueName: string): Promise<string> {
  const queue = await routing.ensureQueue(queueName);
  const rule = cloudTrailRuleName(queueName);
  const ruleArn = await routing.putRule({
    name: rule,
    eventPattern: catalogCallPattern,
    description: "Glue and Lake Formation calls recorded by CloudTrail, to SQS",
  });
  await routing.setQueuePolicy(queue.url, queuePolicyForRule(queue.arn, ruleArn));
  await routing.putTarget(rule, { id: "queue", arn: queue.arn });
  return queue.url;
}
