import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createCaptureHandler } from "../../handlers/capture-eventbridge.ts";
import { createPollHandler } from "../../handlers/poll-cloudtrail.ts";
import { CAPTURE_EVENT_PATTERN } from "../../modules/capture/event-pattern.ts";
import { routeCloudTrailEventsToQueue } from "../../modules/local/cloudtrail-queue.ts";
import { client, testLocation } from "../support/local-aws.ts";
import {
  cloudTrailEvents,
  makeCatalogActivity,
  newJournal,
  patientClients,
  successfulWrites,
} from "./support.ts";

const quietLogger = () => new Logger({ serviceName: "lakesync-capture-test", logLevel: "SILENT" });
const metrics = () => new Metrics({ namespace: "lakesync-test", serviceName: "capture" });

async function drain(location: { account: string; region: string }, queueUrl: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const { Messages } = await client("sqs", location).send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (!Messages?.length) return messages;
    messages.push(...Messages);
  }
}

function sqsEvent(bodies: { id: string; body: string }[], region: string): SQSEvent {
  return {
    Records: bodies.map(
      ({ id, body }): SQSRecord => ({
        messageId: id,
        receiptHandle: `handle-${id}`,
        body,
        attributes: {
          ApproximateReceiveCount: "1",
          SentTimestamp: String(Date.now()),
          SenderId: "events.amazonaws.com",
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: `arn:aws:sqs:${region}:000000000000:capture`,
        awsRegion: region,
      }),
    ),
  };
}

describe("EventBridge capture path", () => {
  it("journals the events delivered through the queue; the poller then finds them all as duplicates", async () => {
    const location = testLocation("us-east-1");
    const journal = await newJournal(location);
    const queueUrl = await routeCloudTrailEventsToQueue(patientClients, location, "capture");
    await makeCatalogActivity(location);
    const expected = successfulWrites(await cloudTrailEvents(location));

    const messages = await drain(location, queueUrl);
    // The rule receives mutating calls only, failed ones included (they are filtered by capture).
    expect(messages).toHaveLength(6);
    const capture = createCaptureHandler({ journal, logger: quietLogger(), metrics: metrics() });
    const bodies = messages.map((m) => ({ id: m.MessageId ?? "", body: m.Body ?? "" }));
    const invalid = [
      { id: "not-json", body: "{oops" },
      {
        id: "not-cloudtrail",
        body: JSON.stringify({ "detail-type": "Glue Data Catalog Table State Change", detail: {} }),
      },
    ];
    const response = await capture(sqsEvent([...bodies, ...invalid], location.region));
    // Only the bad messages fail; they go back to the queue (and on to its DLQ), never dropped.
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: "not-json" },
      { itemIdentifier: "not-cloudtrail" },
    ]);

    const journaled = await journal.listEvents({ limit: 100 });
    expect(new Map(journaled.map((e) => [e.eventId, e.eventName]))).toEqual(expected);
    expect(journaled.every((e) => e.capturedBy === "eventbridge")).toBe(true);

    // Redelivery of the same messages (SQS is at-least-once) changes nothing.
    expect((await capture(sqsEvent(bodies, location.region))).batchItemFailures).toEqual([]);

    const poll = createPollHandler({
      config: {
        journalTable: "journal",
        sourceAccount: location.account,
        sourceRegion: location.region,
        journalRegion: location.region,
        lookbackMinutes: 20,
        maxPages: 50,
      },
      clients: patientClients,
      journal,
      logger: quietLogger(),
      metrics: metrics(),
    });
    expect(await poll({})).toMatchObject({
      journaled: 0,
      duplicates: 4,
      failedSkipped: 2,
      readOnlySkipped: 3,
    });

    // Each event is stored once, captured by whichever path saw it first.
    const after = await journal.listEvents({ limit: 100 });
    expect(after.map((e) => e.eventId).sort()).toEqual([...expected.keys()].sort());
    expect(after.every((e) => e.capturedBy === "eventbridge")).toBe(true);
  });

  it("when the poller journals first, the queue's later copies are duplicates", async () => {
    const location = testLocation("us-east-1");
    const journal = await newJournal(location);
    const queueUrl = await routeCloudTrailEventsToQueue(patientClients, location, "capture");
    await makeCatalogActivity(location, "gap_db");
    const messages = await drain(location, queueUrl);

    const poll = createPollHandler({
      config: {
        journalTable: "journal",
        sourceAccount: location.account,
        sourceRegion: location.region,
        journalRegion: location.region,
        lookbackMinutes: 20,
        maxPages: 50,
      },
      clients: patientClients,
      journal,
      logger: quietLogger(),
      metrics: metrics(),
    });
    expect(await poll({})).toMatchObject({ journaled: 4, duplicates: 0 });

    const capture = createCaptureHandler({ journal, logger: quietLogger(), metrics: metrics() });
    const response = await capture(
      sqsEvent(
        messages.map((m) => ({ id: m.MessageId ?? "", body: m.Body ?? "" })),
        location.region,
      ),
    );
    expect(response.batchItemFailures).toEqual([]);
    const journaled = await journal.listEvents({ limit: 100 });
    expect(journaled).toHaveLength(4);
    expect(journaled.every((e) => e.capturedBy === "poller")).toBe(true);
  });

  it("the stack's rule pattern lets through successful Glue and Lake Formation writes only", async () => {
    const location = testLocation("us-east-1");
    const sqs = client("sqs", location);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "pattern" }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    const eventbridge = client("eventbridge", location);
    await eventbridge.send(
      new PutRuleCommand({
        Name: "capture",
        EventPattern: JSON.stringify(CAPTURE_EVENT_PATTERN),
        State: "ENABLED",
      }),
    );
    await eventbridge.send(
      new PutTargetsCommand({ Rule: "capture", Targets: [{ Id: "q", Arn: Attributes?.QueueArn }] }),
    );
    await makeCatalogActivity(location, "pattern_db");

    const delivered = (await drain(location, QueueUrl ?? "")).map(
      (m) => JSON.parse(m.Body ?? "{}").detail.eventID,
    );
    expect(delivered.sort()).toEqual([...successfulWrites(await cloudTrailEvents(location)).keys()].sort());
  });
});
