// AWS adapters of the replicator's failure ports: the dead-letter queue (SQS) keeps the failed
// event for a replay, the alert (SNS) tells a human which event failed, where and why.
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { DeadLetterQueue, FailureAlerts, FailureNotice } from "../replicator/ports.ts";

export class SqsDeadLetterQueue implements DeadLetterQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(notice: FailureNotice): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(notice),
        MessageAttributes: {
          eventId: { DataType: "String", StringValue: notice.eventId },
          target: { DataType: "String", StringValue: notice.target },
        },
      }),
    );
  }
}

/** SNS subjects are at most 100 printable ASCII characters. */
export function alertSubject(notice: FailureNotice): string {
  return `lakesync: ${notice.eventName} failed on ${notice.target}`
    .replace(/[^\x20-\x7e]/g, "?")
    .slice(0, 100);
}

export function alertText(notice: FailureNotice): string {
  return [
    `Event ${notice.eventId} (${notice.eventName} at ${notice.eventTime}, source ${notice.sourceAccount}/${notice.sourceRegion})`,
    `failed on target ${notice.target} after ${notice.attempts} attempt(s):`,
    notice.error,
    "",
    `Inspect: lakesync events show ${notice.eventId}`,
  ].join("\n");
}

export class SnsFailureAlerts implements FailureAlerts {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(notice: FailureNotice): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: alertSubject(notice),
        Message: alertText(notice),
        MessageAttributes: {
          eventId: { DataType: "String", StringValue: notice.eventId },
          eventName: { DataType: "String", StringValue: notice.eventName },
          target: { DataType: "String", StringValue: notice.target },
        },
      }),
    );
  }
}
