import { describe, expect, it } from "vitest";
import { classifyRecord } from "../../modules/capture/classify.ts";
import { parseCaptureEnv } from "../../modules/capture/env.ts";
import { InvalidCaptureMessageError, parseEnvelope } from "../../modules/capture/eventbridge-envelope.ts";
import { TRACKED_EVENTS } from "../../modules/capture/tracked-events.ts";
import { aggregateStatus, canTransition } from "../../modules/journal/target-state.ts";
import type { CloudTrailRecord } from "../../modules/replication/cloudtrail-record.ts";

function record(overrides: Partial<CloudTrailRecord>): CloudTrailRecord {
  return {
    eventVersion: "1.08",
    eventID: "11111111-2222-4333-8444-555555555555",
    eventTime: "2026-03-01T10:00:00Z",
    eventSource: "glue.amazonaws.com",
    eventName: "CreateTable",
    awsRegion: "us-east-1",
    recipientAccountId: "123456789012",
    userIdentity: { type: "AssumedRole" },
    readOnly: false,
    ...overrides,
  };
}

describe("what capture journals", () => {
  it("tracks the 13 Glue and 15 Lake Formation write events the replicator handles", () => {
    expect(TRACKED_EVENTS["glue.amazonaws.com"]).toHaveLength(13);
    expect(TRACKED_EVENTS["lakeformation.amazonaws.com"]).toHaveLength(15);
    expect(TRACKED_EVENTS["glue.amazonaws.com"]).toContain("BatchDeletePartition");
    expect(TRACKED_EVENTS["lakeformation.amazonaws.com"]).toContain("RemoveLFTagsFromResource");
  });

  it("journals successful writes, flagging the ones the replicator does not handle", () => {
    expect(classifyRecord(record({}))).toEqual({ action: "journal", tracked: true });
    expect(
      classifyRecord(
        record({ eventSource: "lakeformation.amazonaws.com", eventName: "BatchGrantPermissions" }),
      ),
    ).toEqual({ action: "journal", tracked: true });
    expect(classifyRecord(record({ eventName: "CreateCrawler" }))).toEqual({
      action: "journal",
      tracked: false,
    });
    // A batch call with some failed entries still changed something.
    expect(
      classifyRecord(record({ eventName: "BatchCreatePartition", responseElements: { errors: [{}] } })),
    ).toEqual({
      action: "journal",
      tracked: true,
    });
  });

  it("skips failed calls, read-only calls and other services", () => {
    expect(classifyRecord(record({ errorCode: "AlreadyExistsException" }))).toEqual({
      action: "skip",
      reason: "failed",
    });
    expect(classifyRecord(record({ eventName: "GetTable", readOnly: true }))).toEqual({
      action: "skip",
      reason: "read-only",
    });
    const { readOnly: _readOnly, ...withoutFlag } = record({ eventName: "GetPartitions" });
    expect(classifyRecord(withoutFlag as CloudTrailRecord)).toEqual({ action: "skip", reason: "read-only" });
    expect(classifyRecord(record({ eventSource: "s3.amazonaws.com", eventName: "PutObject" }))).toEqual({
      action: "skip",
      reason: "foreign-source",
    });
  });
});

describe("EventBridge envelope", () => {
  const envelope = (overrides: Record<string, unknown> = {}) =>
    JSON.stringify({
      version: "0",
      id: "abc",
      "detail-type": "AWS API Call via CloudTrail",
      source: "aws.glue",
      account: "123456789012",
      time: "2026-03-01T10:00:01Z",
      region: "us-east-1",
      resources: [],
      detail: record({}),
      ...overrides,
    });

  it("yields the CloudTrail record of a valid envelope", () => {
    expect(parseEnvelope(envelope())).toEqual(record({}));
  });

  it("rejects bad input with an error naming the problem", () => {
    expect(() => parseEnvelope("{not json")).toThrow(InvalidCaptureMessageError);
    expect(() => parseEnvelope(envelope({ "detail-type": "Glue Data Catalog Table State Change" }))).toThrow(
      /detail-type/,
    );
    expect(() => parseEnvelope(envelope({ detail: { ...record({}), eventID: undefined } }))).toThrow(
      /detail\.eventID/,
    );
    expect(() => parseEnvelope(envelope({ source: "aws.s3" }))).toThrow(/source/);
  });
});

describe("capture configuration", () => {
  it("reads the environment once, with defaults and validation", () => {
    expect(parseCaptureEnv({ LAKESYNC_JOURNAL_TABLE: "journal", AWS_REGION: "eu-west-1" })).toEqual({
      journalTable: "journal",
      sourceRegion: "eu-west-1",
      journalRegion: "eu-west-1",
      lookbackMinutes: 20,
      maxPages: 100,
    });
    expect(() =>
      parseCaptureEnv({ LAKESYNC_JOURNAL_TABLE: "j", AWS_REGION: "x", LAKESYNC_POLL_LOOKBACK_MINUTES: "5" }),
    ).toThrow(/LAKESYNC_POLL_LOOKBACK_MINUTES/);
    expect(() => parseCaptureEnv({ AWS_REGION: "x" })).toThrow(/LAKESYNC_JOURNAL_TABLE/);
    expect(
      parseCaptureEnv({
        LAKESYNC_JOURNAL_TABLE: "j",
        AWS_REGION: "us-west-2",
        LAKESYNC_SOURCE_REGION: "us-east-1",
      }),
    ).toMatchObject({ sourceRegion: "us-east-1", journalRegion: "us-west-2" });
  });
});

describe("target states", () => {
  it("lets pending and failed targets move anywhere and settled ones only back to pending (replay)", () => {
    expect(canTransition(undefined, "applied")).toBe(true);
    expect(canTransition("failed", "applied")).toBe(true);
    expect(canTransition("applied", "noop")).toBe(false);
    expect(canTransition("unsupported", "pending")).toBe(true);
  });

  it("aggregates to the most urgent target state", () => {
    const t = (state: "applied" | "failed" | "noop" | "pending") => ({ state, attempts: 1, updatedAt: "" });
    expect(aggregateStatus({})).toBe("pending");
    expect(aggregateStatus({ a: t("applied"), b: t("failed") })).toBe("failed");
    expect(aggregateStatus({ a: t("applied"), b: t("noop") })).toBe("noop");
    expect(aggregateStatus({ a: t("applied"), b: t("pending") })).toBe("pending");
  });
});
