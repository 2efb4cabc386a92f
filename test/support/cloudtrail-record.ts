// A Glue CreateTable record as CloudTrail delivers it, for tests that journal a record and need
// only its shape (override what the test is about, e.g. requestParameters or eventTime).
import type { CloudTrailRecord } from "../../modules/replication/cloudtrail-record.ts";

export function createTableRecord(
  eventID: string,
  account: string,
  overrides: Partial<CloudTrailRecord> = {},
): CloudTrailRecord {
  return {
    eventVersion: "1.08",
    eventID,
    eventTime: "2026-01-02T03:04:05Z",
    eventSource: "glue.amazonaws.com",
    eventName: "CreateTable",
    awsRegion: "us-east-1",
    recipientAccountId: account,
    userIdentity: { type: "AssumedRole" },
    requestParameters: { databaseName: "sales", tableInput: { name: "orders" } },
    responseElements: null,
    readOnly: false,
    ...overrides,
  };
}
