// Routes "AWS API Call via CloudTrail" events for Glue and Lake Formation to an SQS queue, the same
// way it is done on AWS: an EventBridge rule on the default bus with the queue as its target. On
// local AWS the CloudTrail layer (scripts/localaws/cloudtrail) puts every recorded mutating call on
// that bus, so this is how users and tests observe calls as they happen.
import { PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import type { AwsClients, AwsLocation } from "../aws/clients.ts";

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

/** Creates (idempotently) the queue, the rule and its target; returns the queue URL. */
export async function routeCloudTrailEventsToQueue(
  clients: AwsClients,
  location: AwsLocation,
  queueName: string,
): Promise<string> {
  const sqs = clients.get("sqs", location);
  const eventbridge = clients.get("eventbridge", location);

  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  if (!QueueUrl) throw new Error(`CreateQueue returned no URL for ${queueName}`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  const queueArn = Attributes?.QueueArn;
  if (!queueArn) throw new Error(`GetQueueAttributes returned no QueueArn for ${queueName}`);

  const { RuleArn } = await eventbridge.send(
    new PutRuleCommand({
      Name: cloudTrailRuleName(queueName),
      EventPattern: JSON.stringify(catalogCallPattern),
      State: "ENABLED",
      Description: "Glue and Lake Formation calls recorded by CloudTrail, to SQS",
    }),
  );

  // On AWS EventBridge may only send to a queue whose policy allows it for this rule.
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl,
      Attributes: {
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "AllowEventBridgeRule",
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: "sqs:SendMessage",
              Resource: queueArn,
              Condition: { ArnEquals: { "aws:SourceArn": RuleArn } },
            },
          ],
        }),
      },
    }),
  );

  const targets = await eventbridge.send(
    new PutTargetsCommand({ Rule: cloudTrailRuleName(queueName), Targets: [{ Id: "queue", Arn: queueArn }] }),
  );
  if (targets.FailedEntryCount) {
    throw new Error(`PutTargets failed: ${JSON.stringify(targets.FailedEntries)}`);
  }
  return QueueUrl;
}
