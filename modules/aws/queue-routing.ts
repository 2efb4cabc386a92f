// EventBridge rules on the default bus that deliver to SQS queues, in one location: the AWS side of
// modules/local/cloudtrail-queue.ts (which decides the pattern, the names and the queue policy).
import { PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import type { AwsClients, AwsLocation } from "./clients.ts";

export class EventBridgeQueueRouting {
  constructor(
    private readonly clients: AwsClients,
    private readonly location: AwsLocation,
  ) {}

  /** Creates the queue unless it exists; its URL and ARN. */
  async ensureQueue(name: string): Promise<{ url: string; arn: string }> {
    const sqs = this.clients.get("sqs", this.location);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    if (!QueueUrl) throw new Error(`CreateQueue returned no URL for ${name}`);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    if (!Attributes?.QueueArn) throw new Error(`GetQueueAttributes returned no QueueArn for ${name}`);
    return { url: QueueUrl, arn: Attributes.QueueArn };
  }

  /** Creates or updates an enabled rule; its ARN. */
  async putRule(rule: { name: string; eventPattern: object; description: string }): Promise<string> {
    const { RuleArn } = await this.clients.get("eventbridge", this.location).send(
      new PutRuleCommand({
        Name: rule.name,
        EventPattern: JSON.stringify(rule.eventPattern),
        State: "ENABLED",
        Description: rule.description,
      }),
    );
    if (!RuleArn) throw new Error(`PutRule returned no RuleArn for ${rule.name}`);
    return RuleArn;
  }

  async setQueuePolicy(queueUrl: string, policy: object): Promise<void> {
    await this.clients
      .get("sqs", this.location)
      .send(
        new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: JSON.stringify(policy) } }),
      );
  }

  /** Makes the queue `arn` the rule's target `id`. */
  async putTarget(rule: string, target: { id: string; arn: string }): Promise<void> {
    const answer = await this.clients
      .get("eventbridge", this.location)
      .send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: target.id, Arn: target.arn }] }));
    if (answer.FailedEntryCount)
      throw new Error(`PutTargets failed: ${JSON.stringify(answer.FailedEntries)}`);
  }
}
