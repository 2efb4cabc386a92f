// Every SDK client lakesync uses, for entry points that do not care about bundle size (the CLI, the
// bench, tests). Lambda handlers register only their own (modules/aws/clients.ts).
// Each client's package is loaded when the registry is first asked for it, not when this file is
// imported: a CLI command then holds only the SDK packages it uses (the twelve together cost the
// process about 17 MB of RSS). require() returns the module instance an import of the package gets.
import { createRequire } from "node:module";
import type { ClientRegistry, ServiceName } from "./clients.ts";

const require = createRequire(import.meta.url);

export const allClients = {
  get cloudtrail() {
    return (require("@aws-sdk/client-cloudtrail") as typeof import("@aws-sdk/client-cloudtrail"))
      .CloudTrailClient;
  },
  get dynamodb() {
    return (require("@aws-sdk/client-dynamodb") as typeof import("@aws-sdk/client-dynamodb")).DynamoDBClient;
  },
  get dynamodbStreams() {
    return (require("@aws-sdk/client-dynamodb-streams") as typeof import("@aws-sdk/client-dynamodb-streams"))
      .DynamoDBStreamsClient;
  },
  get eventbridge() {
    return (require("@aws-sdk/client-eventbridge") as typeof import("@aws-sdk/client-eventbridge"))
      .EventBridgeClient;
  },
  get glue() {
    return (require("@aws-sdk/client-glue") as typeof import("@aws-sdk/client-glue")).GlueClient;
  },
  get lakeformation() {
    return (require("@aws-sdk/client-lakeformation") as typeof import("@aws-sdk/client-lakeformation"))
      .LakeFormationClient;
  },
  get ram() {
    return (require("@aws-sdk/client-ram") as typeof import("@aws-sdk/client-ram")).RAMClient;
  },
  get s3() {
    return (require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3")).S3Client;
  },
  get secretsManager() {
    return (require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager"))
      .SecretsManagerClient;
  },
  get sns() {
    return (require("@aws-sdk/client-sns") as typeof import("@aws-sdk/client-sns")).SNSClient;
  },
  get sqs() {
    return (require("@aws-sdk/client-sqs") as typeof import("@aws-sdk/client-sqs")).SQSClient;
  },
  get sts() {
    return (require("@aws-sdk/client-sts") as typeof import("@aws-sdk/client-sts")).STSClient;
  },
} satisfies Required<ClientRegistry> & Record<ServiceName, unknown>;
