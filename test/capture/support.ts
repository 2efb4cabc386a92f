// Shared setup of the capture tests: a journal in a fresh account, Glue/LF activity through the
// SDK (recorded by local AWS's CloudTrail layer), and CloudTrail's own view of it.
import { type Event, paginateLookupEvents } from "@aws-sdk/client-cloudtrail";
import {
  CreateCrawlerCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  GetDatabaseCommand,
  GetTablesCommand,
} from "@aws-sdk/client-glue";
import {
  CreateLFTagCommand,
  DeregisterResourceCommand,
  GetLFTagCommand,
} from "@aws-sdk/client-lakeformation";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { allClients } from "../../modules/aws/all-clients.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { createJournalTable, JournalStore } from "../../modules/aws/journal-store.ts";
import type { CaptureLog } from "../../modules/capture/ports.ts";
import { client, type TestLocation } from "../support/local-aws.ts";

/** Clients that ride out LookupEvents throttling with the SDK's retry strategy. */
export const patientClients = new AwsClients(allClients, { maxAttempts: 10 });

export async function newJournal(location: TestLocation, tableName = "journal"): Promise<JournalStore> {
  await createJournalTable(client("dynamodb", location), tableName);
  // Bucket names are global (across accounts) on local AWS too.
  const recordBucket = `${tableName}-records-${location.account}`;
  await client("s3", location).send(new CreateBucketCommand({ Bucket: recordBucket }));
  return new JournalStore(client("dynamodb", location), {
    tableName,
    recordBucket,
    s3: client("s3", location),
  });
}

async function expectFailure(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch {
    return;
  }
  throw new Error("the call was expected to fail");
}

/** Successful writes, failed writes and reads on both sources. */
export async function makeCatalogActivity(location: TestLocation, db = "sales"): Promise<void> {
  const glue = client("glue", location);
  const lf = client("lakeformation", location);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: db } }));
  await expectFailure(glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: db } })));
  await glue.send(
    new CreateTableCommand({
      DatabaseName: db,
      TableInput: { Name: "orders", StorageDescriptor: { Columns: [{ Name: "id", Type: "bigint" }] } },
    }),
  );
  await glue.send(new GetDatabaseCommand({ Name: db }));
  await glue.send(new GetTablesCommand({ DatabaseName: db }));
  // A write lakesync does not replicate: journaled with tracked=false.
  await glue.send(
    new CreateCrawlerCommand({
      Name: `${db}-crawler`,
      Role: `arn:aws:iam::${location.account}:role/crawler`,
      Targets: { S3Targets: [{ Path: "s3://bucket/prefix" }] },
    }),
  );
  await lf.send(new CreateLFTagCommand({ TagKey: `${db}_domain`, TagValues: ["sales", "finance"] }));
  await lf.send(new GetLFTagCommand({ TagKey: `${db}_domain` }));
  await expectFailure(
    lf.send(new DeregisterResourceCommand({ ResourceArn: "arn:aws:s3:::never-registered" })),
  );
}

/** CloudTrail's own view of the location's history (ground truth for the assertions). */
export async function cloudTrailEvents(location: TestLocation): Promise<Event[]> {
  const events: Event[] = [];
  const cloudtrail = patientClients.get("cloudtrail", location);
  for (const source of ["glue.amazonaws.com", "lakeformation.amazonaws.com"]) {
    const pages = paginateLookupEvents(
      { client: cloudtrail },
      { LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: source }] },
    );
    for await (const page of pages) events.push(...(page.Events ?? []));
  }
  return events;
}

/** The events capture must journal: successful (no errorCode) non-read-only calls. */
export function successfulWrites(events: Event[]): Map<string, string> {
  const writes = new Map<string, string>();
  for (const event of events) {
    const record = JSON.parse(event.CloudTrailEvent ?? "{}") as { errorCode?: string; readOnly?: boolean };
    if (event.ReadOnly === "false" && !record.errorCode)
      writes.set(event.EventId ?? "", event.EventName ?? "");
  }
  return writes;
}

export function recordingLog(): CaptureLog & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    info: (message) => lines.push({ level: "info", message }),
    warn: (message) => lines.push({ level: "warn", message }),
    error: (message) => lines.push({ level: "error", message }),
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
