// The replicator's deployed wiring defers S3, SNS and SQS, and the batch worker's SQS
// (modules/aws/clients.ts deferredClient): the paths that use them still reach AWS, through clients
// built on their first send.
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, it } from "vitest";
import { batchUnitClients } from "../../modules/aws/batch-units.ts";
import { createJournalTable } from "../../modules/aws/journal-store.ts";
import { AwsWiring } from "../../modules/aws/wiring/base.ts";
import { failureClients, failurePorts } from "../../modules/aws/wiring/failure-ports.ts";
import { journalClients, journalStore } from "../../modules/aws/wiring/journal.ts";
import { sendMessages } from "../../modules/aws/work-queue.ts";
import { newJournalEvent } from "../../modules/journal/event-item.ts";
import { createTableRecord } from "../support/cloudtrail-record.ts";
import { client, testLocation } from "../support/local-aws.ts";

const location = testLocation("us-east-1");
const aws = new AwsWiring({ ...journalClients, ...failureClients }, { maxAttempts: 1 });
afterAll(() => aws.destroy());

describe("deferred clients in the replicator's wiring", () => {
  it("journal a record over DynamoDB's item limit to S3 and read it back", async () => {
    const bucket = `deferred-records-${location.account}`;
    await createJournalTable(client("dynamodb", location), "deferred-journal");
    await client("s3", location).send(new CreateBucketCommand({ Bucket: bucket }));
    const journal = journalStore(aws, { ...location, tableName: "deferred-journal", recordBucket: bucket });
    const record = createTableRecord("e-deferred", location.account, {
      requestParameters: { databaseName: "sales", blob: "x".repeat(420 * 1024) },
    });
    const event = newJournalEvent(record, { capturedBy: "poller", capturedAt: new Date(), tracked: true });
    expect(await journal.putEvent(event)).toBe("stored");
    const stored = await journal.getEvent("e-deferred");
    expect(stored?.recordS3).toBe(`s3://${bucket}/journal/records/e-deferred.json`);
    expect(JSON.parse(stored?.record ?? "")).toEqual(record);
  });

  it("send dead letters to SQS and alerts to SNS", async () => {
    const region = { region: "us-east-1" };
    const { QueueUrl } = await client("sqs", region).send(
      new CreateQueueCommand({ QueueName: "deferred-dlq" }),
    );
    const { TopicArn } = await client("sns", region).send(
      new CreateTopicCommand({ Name: "deferred-alerts" }),
    );
    const ports = failurePorts(aws, "us-east-1", {
      deadLetterQueueUrl: QueueUrl ?? "",
      alertTopicArn: TopicArn ?? "",
    });
    const notice = {
      eventId: "e-failed",
      eventName: "CreateTable",
      eventTime: "2026-01-02T03:04:05Z",
      sourceAccount: location.account,
      sourceRegion: "us-east-1",
      target: "target",
      error: "AccessDenied",
      attempts: 5,
    };
    await Promise.all([ports.deadLetters.send(notice), ports.alerts.publish(notice)]);
    const { Messages } = await client("sqs", region).send(new ReceiveMessageCommand({ QueueUrl }));
    expect(Messages?.map((message) => JSON.parse(message.Body ?? "").eventId)).toEqual(["e-failed"]);
  });

  it("queue work units through the batch worker's deferred SQS client", async () => {
    const region = { region: "us-east-1" };
    const { QueueUrl } = await client("sqs", region).send(
      new CreateQueueCommand({ QueueName: "deferred-units" }),
    );
    const worker = new AwsWiring(batchUnitClients, { maxAttempts: 1 });
    try {
      const bodies = Array.from({ length: 12 }, (_, i) => JSON.stringify({ unit: i }));
      await sendMessages(worker.clients.get("sqs", region), QueueUrl ?? "", bodies);
      const received: string[] = [];
      for (let i = 0; i < 10 && received.length < bodies.length; i++) {
        const { Messages } = await client("sqs", region).send(
          new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
        );
        received.push(...(Messages ?? []).map((message) => message.Body ?? ""));
      }
      expect(received.sort()).toEqual([...bodies].sort());
    } finally {
      worker.destroy();
    }
  });
});
