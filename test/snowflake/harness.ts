// Builds the Snowflake sync handler against the run's local AWS and a local SQL API server, the
// way handlers/snowflake-sync.ts wires it from the environment.
import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import { CreateTopicCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { createSnowflakeSyncHandler } from "../../handlers/snowflake-sync.ts";
import { snsAlertPublisher } from "../../modules/aws/snowflake-alerts.ts";
import { SdkGlueTableSource } from "../../modules/aws/snowflake-glue-source.ts";
import { secretsManagerPrivateKey } from "../../modules/aws/snowflake-secret.ts";
import { SqlApiClient } from "../../modules/snowflake/client.ts";
import { KeyPairTokenSource } from "../../modules/snowflake/jwt.ts";
import { type DdlSettings, ddlSettings } from "../../modules/snowflake/settings.ts";
import { client, type TestLocation } from "../support/local-aws.ts";
import type { LocalSqlApi } from "../support/snowflake-sql-api.ts";

export async function createKeySecret(location: TestLocation, privatePem: string): Promise<string> {
  const { ARN } = await client("secretsManager", location).send(
    new CreateSecretCommand({
      Name: `snowflake-key-${randomUUID()}`,
      SecretString: JSON.stringify({ private_key: privatePem }),
    }),
  );
  return ARN!;
}

/** An SNS topic with an SQS subscriber, so a test can read the alerts that were published. */
export async function alertTopic(location: TestLocation) {
  const sqs = client("sqs", location);
  const { TopicArn } = await client("sns", location).send(
    new CreateTopicCommand({ Name: "snowflake-alerts" }),
  );
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "snowflake-alerts-inbox" }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  await client("sns", location).send(
    new SubscribeCommand({
      TopicArn,
      Protocol: "sqs",
      Endpoint: Attributes!.QueueArn!,
      Attributes: { RawMessageDelivery: "true" },
    }),
  );
  return {
    topicArn: TopicArn!,
    async received(): Promise<unknown[]> {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      return (Messages ?? []).map((m) => JSON.parse(m.Body!));
    },
  };
}

export function buildHandler(options: {
  location: TestLocation;
  api: LocalSqlApi;
  secretArn: string;
  topicArn: string;
  settings: Partial<DdlSettings> & Pick<DdlSettings, "stages">;
  maxReceiveCount?: number;
  logLevel?: "DEBUG" | "INFO" | "WARN";
}) {
  const tokens = new KeyPairTokenSource(
    { account: "xy12345.us-east-1", user: "sync_user" },
    secretsManagerPrivateKey(options.secretArn, client("secretsManager", options.location)),
    Date.now,
  );
  const runner = new SqlApiClient({
    baseUrl: options.api.url,
    tokens,
    warehouse: "SYNC_WH",
    role: "SYNC_ROLE",
    timeoutSeconds: 60,
    sleep: async () => {},
  });
  return createSnowflakeSyncHandler({
    sync: {
      source: new SdkGlueTableSource(client("glue", options.location)),
      runner,
      settings: ddlSettings(options.settings),
    },
    alerts: snsAlertPublisher(client("sns", options.location), options.topicArn),
    logger: new Logger({ serviceName: "snowflake-sync-test", logLevel: options.logLevel ?? "WARN" }),
    metrics: new Metrics({ namespace: "lakesync-test", serviceName: "snowflake-sync" }),
    maxReceiveCount: options.maxReceiveCount ?? 3,
  });
}

let messageCounter = 0;

/** An SQS event whose bodies are EventBridge CloudTrail envelopes for Glue calls. */
export function sqsEvent(
  location: TestLocation,
  calls: Array<{
    eventName: string;
    requestParameters: object;
    responseElements?: object;
    errorCode?: string;
    receiveCount?: number;
  }>,
): SQSEvent {
  return {
    Records: calls.map((call) => {
      const id = `msg-${++messageCounter}`;
      const detail = {
        eventVersion: "1.08",
        eventSource: "glue.amazonaws.com",
        eventName: call.eventName,
        eventID: `event-${id}`,
        awsRegion: location.region,
        recipientAccountId: location.account,
        requestParameters: call.requestParameters,
        ...(call.responseElements ? { responseElements: call.responseElements } : {}),
        ...(call.errorCode ? { errorCode: call.errorCode, errorMessage: "failed" } : {}),
      };
      const envelope = {
        version: "0",
        id: `envelope-${id}`,
        "detail-type": "AWS API Call via CloudTrail",
        source: "aws.glue",
        account: location.account,
        region: location.region,
        time: new Date().toISOString(),
        resources: [],
        detail,
      };
      return {
        messageId: id,
        receiptHandle: `rh-${id}`,
        body: JSON.stringify(envelope),
        attributes: {
          ApproximateReceiveCount: String(call.receiveCount ?? 1),
          SentTimestamp: String(Date.now()),
          SenderId: "events",
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: `arn:aws:sqs:${location.region}:${location.account}:glue-events`,
        awsRegion: location.region,
      };
    }),
  };
}
