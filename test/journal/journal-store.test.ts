import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createJournalTable,
  InvalidTargetTransitionError,
  JournalStore,
  StaleTargetStateError,
} from "../../modules/aws/journal-store.ts";
import { newJournalEvent } from "../../modules/journal/event-item.ts";
import type { CloudTrailRecord } from "../../modules/replication/cloudtrail-record.ts";
import { createTableRecord } from "../support/cloudtrail-record.ts";
import { client, testLocation } from "../support/local-aws.ts";

const location = testLocation("us-east-1");
// Bucket names are global across accounts, so the account makes it unique.
const bucket = `journal-records-${location.account}`;
let journal: JournalStore;

const record = (eventID: string, overrides: Partial<CloudTrailRecord> = {}) =>
  createTableRecord(eventID, location.account, overrides);

const event = (id: string, overrides: Partial<CloudTrailRecord> = {}) =>
  newJournalEvent(record(id, overrides), {
    capturedBy: "poller",
    capturedAt: new Date("2026-01-02T03:20:00Z"),
    tracked: true,
  });

beforeAll(async () => {
  await createJournalTable(client("dynamodb", location), "journal");
  await client("s3", location).send(new CreateBucketCommand({ Bucket: bucket }));
  journal = new JournalStore(client("dynamodb", location), {
    tableName: "journal",
    recordBucket: bucket,
    s3: client("s3", location),
  });
});

describe("journal store", () => {
  it("creates the table with a NEW_AND_OLD_IMAGES stream and the status index", async () => {
    const { Table } = await client("dynamodb", location).send(
      new DescribeTableCommand({ TableName: "journal" }),
    );
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" });
    expect(Table?.LatestStreamArn).toMatch(/^arn:aws:dynamodb:/);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(["byStatus"]);
  });

  it("lists pending events of given names no later than a time, newest first (the drain's parent search)", async () => {
    // Times long before the other tests' events, so only these fall under notAfter.
    const at = (second: number) => `1999-01-01T00:00:0${second}Z`;
    await journal.putEvents([
      event("p-db", { eventName: "CreateDatabase", eventTime: at(1) }),
      event("p-table", { eventName: "CreateTable", eventTime: at(2) }),
      event("p-partition", { eventName: "CreatePartition", eventTime: at(2) }),
      event("p-settled", { eventName: "CreateTable", eventTime: at(3) }),
      event("p-later", { eventName: "CreateTable", eventTime: at(5) }),
    ]);
    await journal.setTargetState("p-settled", "dr", "applied");
    const found = await journal.pendingEvents({
      notAfter: at(4),
      eventNames: ["CreateDatabase", "CreateTable"],
      limit: 10,
    });
    expect(found).toEqual([
      { eventId: "p-table", eventTime: at(2), eventName: "CreateTable" },
      { eventId: "p-db", eventTime: at(1), eventName: "CreateDatabase" },
    ]);
    const newest = await journal.pendingEvents({ notAfter: at(4), eventNames: ["CreateTable"], limit: 1 });
    expect(newest.map((e) => e.eventId)).toEqual(["p-table"]);
  });

  it("stores an event once: a second capture of the same eventID is a duplicate, first capture wins", async () => {
    expect(await journal.putEvent(event("e-dup"))).toBe("stored");
    const again = { ...event("e-dup"), capturedBy: "eventbridge" as const };
    expect(await journal.putEvent(again)).toBe("duplicate");
    const stored = await journal.getEvent("e-dup");
    expect(stored).toMatchObject({
      eventId: "e-dup",
      eventName: "CreateTable",
      eventSource: "glue.amazonaws.com",
      eventTime: "2026-01-02T03:04:05Z",
      sourceAccount: location.account,
      sourceRegion: "us-east-1",
      capturedBy: "poller",
      capturedAt: "2026-01-02T03:20:00Z",
      tracked: true,
      status: "pending",
      targets: {},
    });
    expect(JSON.parse(stored?.record ?? "")).toEqual(record("e-dup"));
    expect(stored?.recordS3).toBeUndefined();
  });

  it("moves a record over the item limit to S3 and keeps a pointer", async () => {
    const big = record("e-big", { requestParameters: { blob: "x".repeat(420 * 1024) } });
    const item = newJournalEvent(big, { capturedBy: "eventbridge", capturedAt: new Date(), tracked: true });
    expect(await journal.putEvent(item)).toBe("stored");

    const stored = await journal.getEvent("e-big");
    expect(stored?.recordS3).toBe(`s3://${bucket}/journal/records/e-big.json`);
    expect(JSON.parse(stored?.record ?? "")).toEqual(big);
    const object = await client("s3", location).send(
      new GetObjectCommand({ Bucket: bucket, Key: "journal/records/e-big.json" }),
    );
    expect(JSON.parse((await object.Body?.transformToString()) ?? "")).toEqual(big);
    // The oversized event is deduplicated like any other.
    expect(await journal.putEvent(item)).toBe("duplicate");
  });

  it("refuses an oversized record when no record bucket is configured", async () => {
    const noBucket = new JournalStore(client("dynamodb", location), { tableName: "journal" });
    const big = newJournalEvent(record("e-big-2", { requestParameters: { blob: "y".repeat(400 * 1024) } }), {
      capturedBy: "poller",
      capturedAt: new Date(),
      tracked: true,
    });
    await expect(noBucket.putEvent(big)).rejects.toThrow(/no record bucket/);
    expect(await noBucket.getEvent("e-big-2")).toBeUndefined();
  });

  it("records per-target states, conditionally on attempts, and lists events by aggregate status", async () => {
    await journal.putEvent(event("e-state", { eventTime: "2026-01-02T05:00:00Z" }));
    await journal.putEvent(event("e-other", { eventTime: "2026-01-02T04:00:00Z" }));

    expect(
      await journal.setTargetState("e-state", "dr-west", "failed", {
        reason: "AccessDenied",
        expectedAttempts: 0,
      }),
    ).toMatchObject({ state: "failed", attempts: 1, reason: "AccessDenied" });
    await journal.setTargetState("e-state", "analytics", "applied", { expectedAttempts: 0 });
    // A worker that read the state before the failure was recorded loses.
    await expect(
      journal.setTargetState("e-state", "dr-west", "applied", { expectedAttempts: 0 }),
    ).rejects.toThrow(StaleTargetStateError);

    const stored = await journal.getEvent("e-state");
    expect(stored?.status).toBe("failed");
    expect(stored?.targets["dr-west"]).toMatchObject({
      state: "failed",
      attempts: 1,
      reason: "AccessDenied",
    });
    expect(stored?.targets.analytics).toMatchObject({ state: "applied", attempts: 1 });

    const failed = await journal.listEvents({ state: "failed", limit: 10 });
    expect(failed.map((e) => e.eventId)).toEqual(["e-state"]);
    const pending = await journal.listEvents({ state: "pending", limit: 10 });
    expect(pending.map((e) => e.eventId)).toContain("e-other");
    expect(pending.map((e) => e.eventId)).not.toContain("e-state");

    // The retry succeeds; the event is now applied everywhere.
    await journal.setTargetState("e-state", "dr-west", "applied", { expectedAttempts: 1 });
    expect((await journal.getEvent("e-state"))?.status).toBe("applied");
    expect((await journal.listEvents({ state: "failed", limit: 10 })).map((e) => e.eventId)).toEqual([]);
    // A settled target does not take another settled state (that would be a double apply).
    await expect(journal.setTargetState("e-state", "dr-west", "noop")).rejects.toThrow(
      InvalidTargetTransitionError,
    );

    const all = await journal.listEvents({ limit: 100 });
    expect(all.map((e) => e.eventId)).toEqual(
      expect.arrayContaining(["e-state", "e-other", "e-dup", "e-big"]),
    );
    expect(all.map((e) => e.eventTime)).toEqual([...all.map((e) => e.eventTime)].sort().reverse());
  });

  it("keeps a checkpoint per account, region and event source that only moves forward", async () => {
    const glue = { account: location.account, region: "us-east-1", eventSource: "glue.amazonaws.com" };
    const lf = { ...glue, eventSource: "lakeformation.amazonaws.com" };
    expect(await journal.getCheckpoint(glue)).toBeUndefined();
    await journal.putCheckpoint(glue, {
      eventTime: "2026-01-02T03:00:00Z",
      updatedAt: "2026-01-02T03:20:00Z",
    });
    await journal.putCheckpoint(glue, {
      eventTime: "2026-01-02T02:00:00Z",
      updatedAt: "2026-01-02T03:21:00Z",
    });
    expect(await journal.getCheckpoint(glue)).toEqual({
      eventTime: "2026-01-02T03:00:00Z",
      updatedAt: "2026-01-02T03:20:00Z",
    });
    expect(await journal.getCheckpoint(lf)).toBeUndefined();
  });

  it("advances a resource's high-water mark only for events at least as new as the applied one", async () => {
    const key = "dr-west/glue/table/sales/orders";
    expect(await journal.advanceHighWaterMark(key, "2026-01-02T03:04:05Z", "e1")).toEqual({ advanced: true });
    expect(await journal.advanceHighWaterMark(key, "2026-01-02T03:10:00Z", "e2")).toEqual({ advanced: true });
    // An older event arriving late must not overwrite the newer state.
    expect(await journal.advanceHighWaterMark(key, "2026-01-02T03:05:00Z", "e3")).toMatchObject({
      advanced: false,
      current: { resourceKey: key, eventTime: "2026-01-02T03:10:00Z", eventId: "e2" },
    });
    // Same second: no knowable order, so it applies (and a retry of e2 itself succeeds).
    expect(await journal.advanceHighWaterMark(key, "2026-01-02T03:10:00.000Z", "e2")).toEqual({
      advanced: true,
    });
    expect(await journal.getHighWaterMark(key)).toMatchObject({
      eventTime: "2026-01-02T03:10:00Z",
      eventId: "e2",
    });
    // Other resources are independent.
    expect(
      await journal.advanceHighWaterMark("dr-west/glue/table/sales/other", "2020-01-01T00:00:00Z", "e4"),
    ).toEqual({
      advanced: true,
    });
  });
});
