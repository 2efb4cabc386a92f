// One place that builds AWS SDK clients for an {account, region}. Clients are cached per
// location so credentials (assumed roles) and connection pools are shared across callers.
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
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";

export interface AwsLocation {
  region: string;
  /** The account to act in; with no roleArn the caller's own credentials are used. */
  account?: string;
  /** Role to assume for this location (cross-account targets). */
  roleArn?: string;
}

export interface ClientOptions {
  /** Overrides AWS_ENDPOINT_URL (the SDK reads that variable itself when this is unset). */
  endpoint?: string;
  maxAttempts?: number;
}

const clientClasses = {
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
} as const;

type ClientClasses = typeof clientClasses;
export type ServiceName = keyof ClientClasses;
export type ClientOf<S extends ServiceName> = InstanceType<ClientClasses[S]>;

/** True when the SDK is pointed at a loopback endpoint (the embedded local AWS). */
export function isLocalEndpoint(endpoint = process.env.AWS_ENDPOINT_URL): boolean {
  if (!endpoint) return false;
  const host = new URL(endpoint).hostname;
  return host === "localhost" || host === "::1" || host === "[::1]" || host.startsWith("127.");
}

/**
 * On local AWS any role in an account can be assumed (moto mints keys for that account), so an
 * account without a role is reached through this conventional role name.
 */
export function localRoleArn(account: string): string {
  return `arn:aws:iam::${account}:role/lakesync-local`;
}

export class AwsClients {
  private readonly cache = new Map<string, unknown>();
  private readonly credentials = new Map<string, AwsCredentialIdentityProvider>();

  constructor(private readonly options: ClientOptions = {}) {}

  get<S extends ServiceName>(service: S, location: AwsLocation): ClientOf<S> {
    const key = `${service}|${location.region}|${location.account ?? ""}|${location.roleArn ?? ""}`;
    let client = this.cache.get(key) as ClientOf<S> | undefined;
    if (!client) {
      const Client = clientClasses[service] as unknown as new (config: object) => ClientOf<S>;
      const endpoint = this.options.endpoint ?? process.env.AWS_ENDPOINT_URL;
      client = new Client({
        region: location.region,
        ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        ...(service === "s3" && isLocalEndpoint(endpoint) ? { forcePathStyle: true } : {}),
        retryMode: "adaptive",
        maxAttempts: this.options.maxAttempts ?? 5,
        ...this.credentialsFor(location, endpoint),
      });
      this.cache.set(key, client);
    }
    return client;
  }

  private credentialsFor(location: AwsLocation, endpoint: string | undefined) {
    const roleArn =
      location.roleArn ??
      (location.account && isLocalEndpoint(endpoint) ? localRoleArn(location.account) : undefined);
    if (!roleArn) return {};
    let provider = this.credentials.get(`${roleArn}|${location.region}`);
    if (!provider) {
      provider = fromTemporaryCredentials({
        params: { RoleArn: roleArn, RoleSessionName: "lakesync" },
        clientConfig: {
          region: location.region,
          ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        },
      });
      this.credentials.set(`${roleArn}|${location.region}`, provider);
    }
    return { credentials: provider };
  }

  /** The account the ambient credentials act in (STS GetCallerIdentity). */
  async callerAccount(region: string): Promise<string | undefined> {
    return (await this.get("sts", { region }).send(new GetCallerIdentityCommand({}))).Account;
  }

  destroy(): void {
    for (const client of this.cache.values()) (client as { destroy(): void }).destroy();
    this.cache.clear();
  }
}
