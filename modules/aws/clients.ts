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
import { doesIdentityRequireRefresh, isIdentityExpired, memoizeIdentityProvider } from "@smithy/core";
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

type ClientClass<S extends ServiceName> = new (config: never) => ClientOf<S>;

/**
 * A client class loaded on its first request, for a service a handler calls only on rare paths
 * (alerts, dead letters, oversized journal records, Iceberg rewrites): `load` is an import() of a
 * module re-exporting the class alone (modules/aws/lazy/), so esbuild moves the client into a chunk
 * read when that path first runs, not at cold start. Its callers get an object with `send` and
 * `destroy` only: SDK paginators check `instanceof` the client class, so a service read through
 * paginators must be registered with its class.
 */
export interface DeferredClientClass<S extends ServiceName> {
  readonly deferred: () => Promise<ClientClass<S>>;
}

/** `service` is there for the type checker: it ties the loaded class to the service it stands for. */
export function deferredClient<S extends ServiceName>(
  _service: S,
  load: () => Promise<ClientClass<S>>,
): DeferredClientClass<S> {
  return { deferred: load };
}

/** The client classes an entry point uses, by service name, each given or deferred. */
export type ClientRegistry = { [S in ServiceName]?: ClientClass<S> | DeferredClientClass<S> };

/**
 * `registry` with the services of `extra` it does not name added, without reading `registry`'s
 * entries: a lazy registry (all-clients.ts) loads a client's package when its entry is read, and
 * spreading it would load them all. The entry point's own entries win: a handler that sends to S3
 * on every invocation registers the class, where a wiring defers it for its rare paths.
 */
export function withClients(registry: ClientRegistry, extra: ClientRegistry): ClientRegistry {
  // Defined, not assigned: an assignment would hit the registry's getter for the same service.
  // `in` reads no getter.
  const descriptors = Object.fromEntries(
    Object.entries(extra)
      .filter(([service]) => !(service in registry))
      .map(([service, client]) => [service, { value: client, enumerable: true }]),
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

/**
 * A deferred client as its callers see it: `send` (all lakesync's adapters call) loads the
 * class on the first call, builds the client once through AwsClients (same configuration and
 * instrumentation as a given class), and forwards every call to it; `destroy` closes it if built.
 */
function deferredSend<C extends { send(...args: never[]): unknown; destroy(): void }>(
  load: () => Promise<new (config: object) => C>,
  build: (Client: new (config: object) => C) => C,
): Pick<C, "send" | "destroy"> {
  let built: C | undefined;
  let loading: Promise<C> | undefined;
  const real = () => {
    loading ??= load().then((Client) => {
      built = build(Client);
      return built;
    });
    return loading;
  };
  return {
    send: (async (...args: never[]) => (await real()).send(...args)) as C["send"],
    destroy: () => built?.destroy(),
  };
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
      type Built = new (config: object) => ClientOf<S>;
      const entry = this.registry[service] as unknown as
        | Built
        | { deferred: () => Promise<Built> }
        | undefined;
      if (!entry) throw new UnregisteredClientError(service);
      client =
        "deferred" in entry
          ? (deferredSend(entry.deferred, (Client) => this.build(Client, service, location)) as ClientOf<S>)
          : this.build(entry, service, location);
      this.cache.set(key, client);
    }
    return client;
  }

  private build<S extends ServiceName>(
    Client: new (config: object) => ClientOf<S>,
    service: S,
    location: AwsLocation,
  ): ClientOf<S> {
    const endpoint = this.endpoint();
    const client = new Client({
      region: location.region,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
      ...(service === "s3" && isLocalEndpoint(endpoint) ? { forcePathStyle: true } : {}),
      retryMode: "adaptive",
      maxAttempts: this.options.maxAttempts ?? 5,
      ...this.credentialsFor(location, endpoint),
    });
    this.options.instrument?.(client);
    return client;
  }

  /**
   * Resolves the location's credentials now, assuming its role: a role that cannot be assumed
   * fails here, once, with STS's error, instead of in every call made through it later.
   */
  async checkCredentials(location: AwsLocation): Promise<void> {
    const { credentials } = this.credentialsFor(location, this.endpoint());
    if (credentials) await credentials();
  }

  /** The endpoint every client is built for: the options', else the SDK's AWS_ENDPOINT_URL. */
  private endpoint(): string | undefined {
    return this.options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  }

  private credentialsFor(location: AwsLocation, endpoint: string | undefined) {
    const roleArn =
      location.roleArn ??
      (location.account && isLocalEndpoint(endpoint) ? localRoleArn(location.account) : undefined);
    if (!roleArn) return {};
    let provider = this.credentials.get(`${roleArn}|${location.region}`);
    if (!provider) {
      // Memoized as each SDK client memoizes its own credentials (refreshed 5 minutes before they
      // expire), but once for the role: the Glue, Lake Formation and S3 clients of a target and
      // checkCredentials share one AssumeRole instead of making one each.
      const assumed = fromTemporaryCredentials({
        params: { RoleArn: roleArn, RoleSessionName: "lakesync" },
        clientConfig: {
          region: location.region,
          ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        },
      });
      // (memoizeIdentityProvider answers undefined only for an undefined provider.)
      provider = memoizeIdentityProvider(assumed, isIdentityExpired, doesIdentityRequireRefresh) ?? assumed;
      this.credentials.set(`${roleArn}|${location.region}`, provider);
    }
    return { credentials: provider };
  }

  destroy(): void {
    for (const client of this.cache.values()) (client as { destroy(): void }).destroy();
    this.cache.clear();
  }
}
