// The event journal over a wiring's clients (see base.ts).
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { AwsLocation } from "../clients.ts";
import { JournalStore } from "../journal-store.ts";
import { deferredS3 } from "../lazy/deferred-clients.ts";
import type { AwsWiring } from "./base.ts";

export interface JournalLocation extends AwsLocation {
  tableName: string;
  /** Bucket for records over DynamoDB's 400 KB item limit (the deployed journal has one). */
  recordBucket?: string | undefined;
}

/**
 * The clients journalStore needs, for the entry point's registry: S3 deferred, as only records over
 * DynamoDB's item limit go there.
 */
export const journalClients = {
  dynamodb: DynamoDBClient,
  s3: deferredS3,
};

export function journalStore(aws: AwsWiring, where: JournalLocation): JournalStore {
  const { tableName, recordBucket, ...location } = where;
  return new JournalStore(aws.clients.get("dynamodb", location), {
    tableName,
    ...(recordBucket ? { recordBucket, s3: aws.clients.get("s3", location) } : {}),
  });
}
