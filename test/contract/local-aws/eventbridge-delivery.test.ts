// Contract: EventBridge on local AWS delivers events to SQS as AWS does (fix in scripts/localaws/fixes/events.py).
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { client, testLocation } from "../../support/local-aws.ts";

const location = testLocation("eu-west-1");
const eventbridge = client("eventbridge", location);
const sqs = client("sqs", location);
let queueUrl = "";

async function routeToQueue(rule: string, source: string, target: Record<string, unknown> = {}) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: rule }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  await eventbridge.send(
    new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }),
  );
  await eventbridge.send(
    new PutTargetsCommand({ Rule: rule, Targets: [{ Id: "queue", Arn: Attributes?.QueueArn, ...target }] }),
  );
  return QueueUrl ?? "";
}

async function receiveOne(url: string): Promise<Record<string, unknown>> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
  expect(Messages).toHaveLength(1);
  return JSON.parse(Messages?.[0]?.Body ?? "null");
}

beforeAll(async () => {
  queueUrl = await routeToQueue("plain", "lakesync.test");
});

describe("PutEvents to a rule with an SQS target", () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
  // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html (no Input/InputPath/
  // InputTransformer: the matched event is passed to the target as it is)
  it("delivers the whole envelope, account included, with the detail exactly as put", async () => {
    // Text that moto's default template used to substitute: "<source>", "<id>", "<time>" and so on.
    const detail = { note: "left <source> and <id> at <time>", nested: { region: "<region>", n: 7 } };
    const time = new Date("2026-01-02T03:04:05Z");
    const { Entries } = await eventbridge.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: "lakesync.test",
            DetailType: "Contract Check",
            Detail: JSON.stringify(detail),
            Resources: ["arn:aws:glue:eu-west-1:123456789012:database/mesh"],
            Time: time,
          },
        ],
      }),
    );

    expect(await receiveOne(queueUrl)).toEqual({
      version: "0",
      id: Entries?.[0]?.EventId,
      "detail-type": "Contract Check",
      source: "lakesync.test",
      account: location.account,
      time: "2026-01-02T03:04:05Z",
      region: "eu-west-1",
      resources: ["arn:aws:glue:eu-west-1:123456789012:database/mesh"],
      detail,
    });
  });

  // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html
  it("still applies an InputTransformer when the target has one", async () => {
    const transformedUrl = await routeToQueue("transformed", "lakesync.transformed", {
      InputTransformer: {
        InputPathsMap: { who: "$.account", what: "$.detail.what" },
        InputTemplate: '{"who": "<who>", "what": "<what>"}',
      },
    });
    await eventbridge.send(
      new PutEventsCommand({
        Entries: [{ Source: "lakesync.transformed", DetailType: "T", Detail: JSON.stringify({ what: "x" }) }],
      }),
    );
    expect(await receiveOne(transformedUrl)).toEqual({ who: location.account, what: "x" });
  });
});
