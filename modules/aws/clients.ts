// One place that builds AWS SDK clients for an {account, region}. Clients are cached per
// location so credentials (assumed roles) and connection pools are shared across callers.
// The client classes are a registry the entry point passes in, not imports of this file: a Lambda
// bundle then carries only the SDK clients its handler registers (esbuild drops the rest), and the
// CLI registers them all (all-clients.ts).
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { GlueClient } from "@aws-sdk/client-glue";
import type { LakeFormationClient } from "@aws-sdk/client-lakeformation";
import type { RAMClient } from "@aws-sdk/client-ram";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { STSClient } from "@aws-sdk/client-sts";
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
  /** Called once per client built, e.g. the Lambda tracer's captureAWSv3Client. */
  instrument?: (client: ServiceClient) => void;
}

/** The SDK client each service name stands for (types only: the classes come from a registry). */
interface ClientTypes {
  cloudtrail: CloudTrailClient;
  dynamodb: DynamoDBClient;
  dynamodbStreams: DynamoDBStreamsClient;
  eventbridge: EventBridgeClient;
  glue: GlueClient;
  lakeformation: LakeFormationClient;
  ram: RAMClient;
  s3: S3Client;
  secretsManager: SecretsManagerClient;
  sns: SNSClient;
  sqs: SQSClient;
  sts: STSClient;
}

export type ServiceName = keyof ClientTypes;
export type ClientOf<S extends ServiceName> = ClientTypes[S];
export type ServiceClient = ClientOf<ServiceName>;

/** The client classes an entry point uses, by service name. */
export type ClientRegistry = { [S in ServiceName]?: new (config: never) => ClientOf<S> };

/**
 * `registry` with `extra` added, without reading `registry`'s entries: a lazy registry (all-clients.ts)
 * loads a client's package when its entry is read, and spreading it would load them all.
 */
export function withClients(registry: ClientRegistry, extra: ClientRegistry): ClientRegistry {
  // Defined, not assigned: an assignment would hit the registry's getter for the same service.
  const descriptors = Object.fromEntries(
    Object.entries(extra).map(([service, client]) => [service, { value: client, enumerable: true }]),
  );
  return Object.create(registry, descriptors) as ClientRegistry;
}

/** A service the entry point did not register: a wiring bug, named so it is found at once. */
export class UnregisteredClientError extends Error {
  constructor(service: ServiceName) {
    super(`no ${service} client is registered for this entry point (pass it in its AwsClients registry)`);
    this.name = "UnregisteredClientError";
  }
}

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

  constructor(
    private readonly registry: ClientRegistry,
    private readonly options: ClientOptions = {},
  ) {}

  get<S extends ServiceName>(service: S, location: AwsLocation): ClientOf<S> {
    const key = `${service}|${location.region}|${location.account ?? ""}|${location.roleArn ?? ""}`;
    let client = this.cache.get(key) as ClientOf<S> | undefined;
    if (!client) {
      const Client = this.registry[service] as unknown as (new (config: object) => ClientOf<S>) | undefined;
      if (!Client) throw new UnregisteredClientError(service);
      const endpoint = this.options.endpoint ?? process.env.AWS_ENDPOINT_URL;
      client = new Client({
        region: location.region,
        ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        ...(service === "s3" && isLocalEndpoint(endpoint) ? { forcePathStyle: true } : {}),
        retryMode: "adaptive",
        maxAttempts: this.options.maxAttempts ?? 5,
        ...this.credentialsFor(location, endpoint),
      });
      this.options.instrument?.(client);
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

  destroy(): void {
    for (const client of this.cache.values()) (client as { destroy(): void }).destroy();
    this.cache.clear();
  }
}
