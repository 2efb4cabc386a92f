// Regression: the deployed journal had no byStatus index, so `lakesync events list --state` failed
// on AWS while passing locally (the local table was made by other code). Here the table is created
// on local AWS from the stack's own synthesized definition, and the status query runs against it.
import {
  type CreateTableCommandInput,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { Testing } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { createTableAndWait, JournalStore } from "../../modules/aws/journal-store.ts";
import { loadConfig } from "../../modules/config/load.ts";
import { newJournalEvent } from "../../modules/journal/event-item.ts";
import type { CloudTrailRecord } from "../../modules/replication/cloudtrail-record.ts";
import { RealtimeCaptureStack } from "../../stacks/realtime-capture-stack.ts";
import { client, testLocation } from "../support/local-aws.ts";
import { synthesize } from "./synthesized.ts";

/** The fields of Terraform's aws_dynamodb_table that shape the table. */
interface TerraformTable {
  name: string;
  billing_mode: "PAY_PER_REQUEST" | "PROVISIONED";
  hash_key: string;
  range_key?: string;
  attribute: { name: string; type: "S" | "N" | "B" }[];
  global_secondary_index?: {
    name: string;
    hash_key: string;
    range_key?: string;
    projection_type: "ALL" | "KEYS_ONLY" | "INCLUDE";
    non_key_attributes?: string[];
  }[];
  stream_enabled?: boolean;
  stream_view_type?: "NEW_IMAGE" | "OLD_IMAGE" | "NEW_AND_OLD_IMAGES" | "KEYS_ONLY";
  ttl?: { attribute_name: string; enabled: boolean };
}

const keySchema = (hash: string, range?: string) => [
  { AttributeName: hash, KeyType: "HASH" as const },
  ...(range ? [{ AttributeName: range, KeyType: "RANGE" as const }] : []),
];

/** What `terraform apply` asks DynamoDB for, as one CreateTable. */
function createTableInput(table: TerraformTable): CreateTableCommandInput {
  return {
    TableName: table.name,
    BillingMode: table.billing_mode,
    AttributeDefinitions: table.attribute.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: keySchema(table.hash_key, table.range_key),
    ...(table.global_secondary_index?.length
      ? {
          GlobalSecondaryIndexes: table.global_secondary_index.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.hash_key, index.range_key),
            Projection: {
              ProjectionType: index.projection_type,
              ...(index.non_key_attributes ? { NonKeyAttributes: index.non_key_attributes } : {}),
            },
          })),
        }
      : {}),
    ...(table.stream_enabled
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream_view_type } }
      : {}),
  };
}

const location = testLocation("us-east-1");
let table: TerraformTable;
let journal: JournalStore;

function record(eventID: string, eventTime: string): CloudTrailRecord {
  return {
    eventVersion: "1.08",
    eventID,
    eventTime,
    eventSource: "glue.amazonaws.com",
    eventName: "CreateTable",
    awsRegion: location.region,
    recipientAccountId: location.account,
    userIdentity: { type: "AssumedRole" },
    requestParameters: { databaseName: "sales", tableInput: { name: "orders" } },
    responseElements: null,
    readOnly: false,
  };
}

beforeAll(async () => {
  const config = await loadConfig("lakesync.config.example.json");
  const realtime = synthesize(new RealtimeCaptureStack(Testing.app(), "realtime", config));
  table = realtime.resourceOf(
    "aws_dynamodb_table",
    realtime.stack.journal.table,
  ) as unknown as TerraformTable;
  const dynamo = client("dynamodb", location);
  await createTableAndWait(dynamo, createTableInput(table));
  if (table.ttl?.enabled) {
    await dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: table.name,
        TimeToLiveSpecification: { AttributeName: table.ttl.attribute_name, Enabled: true },
      }),
    );
  }
  journal = new JournalStore(dynamo, { tableName: table.name });
}, 120_000);

describe("the journal table the stack deploys", () => {
  it("answers `events list --state failed` (the byStatus query), newest first", async () => {
    for (const [id, time] of [
      ["old-failure", "2026-01-01T00:00:01Z"],
      ["new-failure", "2026-01-01T00:00:03Z"],
      ["waiting", "2026-01-01T00:00:02Z"],
    ] as const) {
      await journal.putEvent(
        newJournalEvent(record(id, time), { capturedBy: "poller", capturedAt: new Date(), tracked: true }),
      );
    }
    await journal.setTargetState("old-failure", "dr-west", "failed", { reason: "AccessDenied" });
    await journal.setTargetState("new-failure", "dr-west", "failed", { reason: "AccessDenied" });

    const failed = await journal.listEvents({ state: "failed", limit: 10 });
    expect(failed.map((e) => [e.eventId, e.targets["dr-west"]?.reason])).toEqual([
      ["new-failure", "AccessDenied"],
      ["old-failure", "AccessDenied"],
    ]);
    expect((await journal.listEvents({ state: "pending", limit: 10 })).map((e) => e.eventId)).toEqual([
      "waiting",
    ]);
  });

  it("expires items on the attribute the replicator writes", async () => {
    const { TimeToLiveDescription } = await client("dynamodb", location).send(
      new DescribeTimeToLiveCommand({ TableName: table.name }),
    );
    expect(TimeToLiveDescription).toMatchObject({ AttributeName: "expiresAt", TimeToLiveStatus: "ENABLED" });
  });
});
