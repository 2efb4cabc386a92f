// Helpers for tests that talk to the run's local AWS.
import { randomInt } from "node:crypto";
import { inject } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import { AwsClients, type AwsLocation, type ClientOf, type ServiceName } from "../../modules/aws/clients.ts";

/** A fresh account per test file keeps files isolated on the shared server (moto keys state by account). */
export function freshAccount(): string {
  return String(randomInt(100_000_000_000, 999_999_999_999));
}

export interface TestLocation extends AwsLocation {
  account: string;
}

export function testLocation(region = "us-east-1", account = freshAccount()): TestLocation {
  return { account, region };
}

const shared = new AwsClients(allClients, { maxAttempts: 1 });

/** An SDK client acting in the given account and region (moto fails fast: no retries). */
export function client<S extends ServiceName>(service: S, location: AwsLocation): ClientOf<S> {
  endpoint();
  return shared.get(service, location);
}

/** The run's local AWS; a clear error where there is none (the `unit` project). */
export function endpoint(): string {
  const value = inject("awsEndpoint");
  if (!value) {
    throw new Error(
      "no local AWS in this run: the test file is in the `unit` project; a file that uses local " +
        "AWS imports test/support/local-aws.ts, which puts it in `integration` (test/support/tiers.ts)",
    );
  }
  return value;
}

/**
 * Runs `body` with the SDK's default credentials (the environment's) acting in `location`'s
 * account, and `variables` set beside them, as a deployed function sees its environment; the
 * environment is restored after.
 */
export async function withAccountEnvironment<T>(
  location: AwsLocation,
  variables: Record<string, string>,
  body: () => Promise<T>,
): Promise<T> {
  const credentials = await client("sts", location).config.credentials();
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken ?? "",
    ...variables,
  });
  try {
    return await body();
  } finally {
    process.env = saved;
  }
}
