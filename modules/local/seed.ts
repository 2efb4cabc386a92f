// Applies the sample lake to a catalog through the one executor (so seeding exercises the same
// write path as replication and restore) and counts what the catalog then holds.
import { callerAccount as stsCallerAccount } from "../aws/caller-account.ts";
import type { AwsClients } from "../aws/clients.ts";
import { createBucket } from "../aws/s3-buckets.ts";
import { sleep } from "../aws/wiring/base.ts";
import type { ExecutorWiring } from "../aws/wiring/executor.ts";
import { type ExecutionReport, execute } from "../operations/executor.ts";
import type { CatalogLocation } from "../operations/operation.ts";
import { sampleBucket, sampleLakeOperations } from "./sample-lake.ts";

// The demo creates its backup bucket the same way.
export { createBucket };

export interface SeedResult {
  location: CatalogLocation;
  report: ExecutionReport;
}

/** The account the ambient credentials act in, when none was given. */
export async function callerAccount(clients: AwsClients, region: string): Promise<string> {
  const account = await stsCallerAccount(clients, region);
  if (!account) throw new Error("STS GetCallerIdentity returned no account");
  return account;
}

export async function seedSampleLake(
  aws: ExecutorWiring,
  where: { region: string; account?: string },
): Promise<SeedResult> {
  const { clients } = aws;
  const account = where.account ?? (await callerAccount(clients, where.region));
  const location: CatalogLocation = { name: "source", account, region: where.region };
  // Bucket names are global: after a seed of another account the sample bucket is that account's.
  // The sample lake only names the bucket (locations, a registered ARN), so a second account's
  // catalog is seeded all the same.
  await createBucket(clients, location, sampleBucket, { ownedByAnotherAccountIsFine: true });
  const report = await execute(sampleLakeOperations(location), {
    run: aws.run,
    sleep,
    maxAttempts: 3,
  });
  return { location, report };
}
