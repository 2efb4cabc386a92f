// Every SDK client lakesync uses, for entry points that do not care about bundle size (the CLI, the
// bench, tests). Lambda handlers register only their own (modules/aws/clients.ts).
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { GlueClient } from "@aws-sdk/client-glue";
import { LakeFormationClient } from "@aws-sdk/client-lakeformation";
import { RAMClient } from "@aws-sdk/client-ram";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import type { ClientRegistry, ServiceName } from "./clients.ts";

export const allClients = {
  cloudtrail: CloudTrailClient,
  dynamodb: DynamoDBClient,
  dynamodbStreams: DynamoDBStreamsClient,
  eventbridge: EventBridgeClient,
  glue: GlueClient,
  lakeformation: LakeFormationClient,
  ram: RAMClient,
  s3: S3Client,
  secretsManager: SecretsManagerClient,
  sns: SNSClient,
  sqs: SQSClient,
  sts: STSClient,
} satisfies Required<ClientRegistry> & Record<ServiceName, unknown>;
