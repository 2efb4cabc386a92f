// Recorded calls reach EventBridge as "AWS API Call via CloudTrail" events, routed to SQS by an
// ordinary rule (modules/local/cloudtrail-queue.ts), exactly as users do on AWS.
import { ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import {
  CreateDatabaseCommand,
  CreateTableCommand,
  GetDatabaseCommand,
  GetDatabasesCommand,
} from "@aws-sdk/client-glue";
import { PutDataLakeSettingsCommand } from "@aws-sdk/client-lakeformation";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import { AwsClients, type AwsLocation } from "../../modules/aws/clients.ts";
import {
  catalogCallPattern,
  cloudTrailRuleName,
  routeCloudTrailEventsToQueue,
} from "../../modules/local/cloudtrail-queue.ts";
import { client, testLocation } from "../support/local-aws.ts";
import { lookupAll, recordOf } from "./cloudtrail-support.ts";

interface Envelope {
  version: string;
  id: string;
  source: string;
  "detail-type": string;
  account: string;
  region: string;
  time: string;
  resources: unknown[];
  detail: { eventID: string; eventName: string; eventTime: string; readOnly: boolean };
}

async function drain(location: AwsLocation, queueUrl: string): Promise<Envelope[]> {
  const sqs = client("sqs", location);
  const bodies: Envelope[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((m) => JSON.parse(m.Body ?? "{}") as Envelope));
  }
}

describe("local CloudTrail to EventBridge", () => {
  it("delivers mutating Glue and Lake Formation calls, failed ones included, to a rule's queue", async () => {
    const location = testLocation("eu-west-2");
    const clients = new AwsClients(allClients, { maxAttempts: 1 });
    try {
      const queueUrl = await routeCloudTrailEventsToQueue(clients, location, "catalog-calls");
      // Idempotent: routing again keeps one rule and one target.
      expect(await routeCloudTrailEventsToQueue(clients, location, "catalog-calls")).toBe(queueUrl);
      const { Targets } = await client("eventbridge", location).send(
        new ListTargetsByRuleCommand({ Rule: cloudTrailRuleName("catalog-calls") }),
      );
      expect(Targets?.map((t) => t.Arn)).toEqual([`arn:aws:sqs:eu-west-2:${location.account}:catalog-calls`]);

      const glue = client("glue", location);
      await glue.send(new GetDatabasesCommand({}));
      await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "sales" } }));
      await glue.send(new GetDatabaseCommand({ Name: "sales" }));
      await glue
        .send(new CreateTableCommand({ DatabaseName: "missing", TableInput: { Name: "orders" } }))
        .catch(() => undefined);
      await client("lakeformation", location).send(
        new PutDataLakeSettingsCommand({ DataLakeSettings: { DataLakeAdmins: [] } }),
      );

      const delivered = await drain(location, queueUrl);
      const recorded = (await lookupAll(location)).map(recordOf);
      // Read-only calls are recorded but not delivered: default (ENABLED) rules only get mutating
      // management events on AWS.
      expect(recorded.map((r) => r.eventName)).toEqual([
        "PutDataLakeSettings",
        "CreateTable",
        "GetDatabase",
        "CreateDatabase",
        "GetDatabases",
      ]);
      const mutating = recorded.filter((r) => r.readOnly === false);
      expect(delivered.map((e) => e.detail.eventName).sort()).toEqual(
        mutating.map((r) => r.eventName).sort(),
      );

      for (const envelope of delivered) {
        const record = recorded.find((r) => r.eventID === envelope.detail.eventID);
        expect(envelope).toEqual({
          version: "0",
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          source: record?.eventSource === "lakeformation.amazonaws.com" ? "aws.lakeformation" : "aws.glue",
          "detail-type": "AWS API Call via CloudTrail",
          account: location.account,
          region: "eu-west-2",
          time: record?.eventTime,
          resources: [],
          detail: record,
        });
      }
      expect(delivered.find((e) => e.detail.eventName === "CreateTable")?.detail).toMatchObject({
        errorCode: "EntityNotFoundException",
      });
    } finally {
      clients.destroy();
    }
  });

  it("delivers read-only calls to rules enabled for all CloudTrail management events", async () => {
    const location = testLocation("eu-west-3");
    const sqs = client("sqs", location);
    const eventbridge = client("eventbridge", location);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "all-calls" }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    await eventbridge.send(
      new PutRuleCommand({
        Name: "all-calls",
        EventPattern: JSON.stringify(catalogCallPattern),
        State: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
      }),
    );
    await eventbridge.send(
      new PutTargetsCommand({ Rule: "all-calls", Targets: [{ Id: "q", Arn: Attributes?.QueueArn }] }),
    );

    const glue = client("glue", location);
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "sales" } }));
    await glue.send(new GetDatabaseCommand({ Name: "sales" }));

    const delivered = await drain(location, QueueUrl ?? "");
    expect(delivered.map((e) => [e.detail.eventName, e.detail.readOnly]).sort()).toEqual([
      ["CreateDatabase", false],
      ["GetDatabase", true],
    ]);
  });
});
