// Helpers for tests that talk to the run's local AWS.
import { randomInt } from "node:crypto";
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

const shared = new AwsClients({ maxAttempts: 1 });

/** An SDK client acting in the given account and region (moto fails fast: no retries). */
export function client<S extends ServiceName>(service: S, location: AwsLocation): ClientOf<S> {
  return shared.get(service, location);
}

export function endpoint(): string {
  const value = process.env.AWS_ENDPOINT_URL;
  if (!value) throw new Error("AWS_ENDPOINT_URL is not set; is test/support/global-setup.ts configured?");
  return value;
}
