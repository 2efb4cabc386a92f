// The poller's handling of individual LookupEvents entries, fed as plain data (the journal is the
// real one on local AWS).
import { describe, expect, it } from "vitest";
import { pollCloudTrail } from "../../modules/capture/poll.ts";
import type { LookupPage, LookupQuery } from "../../modules/capture/ports.ts";
import { testLocation } from "../support/local-aws.ts";
import { newJournal, recordingLog } from "./support.ts";

const location = testLocation("us-east-1");
const now = new Date("2026-03-01T10:30:00Z");

function record(eventID: string, eventName: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    eventVersion: "1.08",
    eventID,
    eventTime: "2026-03-01T10:20:00Z",
    eventSource: "glue.amazonaws.com",
    eventName,
    awsRegion: "us-east-1",
    recipientAccountId: location.account,
    userIdentity: { type: "AssumedRole" },
    readOnly: false,
    ...extra,
  });
}

const eventTime = new Date("2026-03-01T10:20:00Z");

describe("poller entry handling", () => {
  it("skips read-only entries without parsing them, logs invalid ones and journals the rest", async () => {
    const journal = await newJournal(location);
    const queries: LookupQuery[] = [];
    const glue: LookupPage[] = [
      {
        entries: [
          // Read-only: skipped on the entry's flag, so its (broken) JSON is never parsed.
          { eventId: "r1", eventName: "GetTable", eventTime, readOnly: "true", cloudTrailEvent: "{broken" },
          {
            eventId: "w1",
            eventName: "CreateTable",
            eventTime,
            readOnly: "false",
            cloudTrailEvent: record("w1", "CreateTable"),
          },
        ],
        nextToken: "t1",
      },
      {
        entries: [
          {
            eventId: "bad",
            eventName: "UpdateTable",
            eventTime,
            readOnly: "false",
            cloudTrailEvent: "{broken",
          },
          {
            eventId: "f1",
            eventName: "DeleteTable",
            eventTime,
            readOnly: "false",
            cloudTrailEvent: record("f1", "DeleteTable", { errorCode: "EntityNotFoundException" }),
          },
        ],
      },
    ];
    const log = recordingLog();
    const summary = await pollCloudTrail(
      {
        history: {
          async *pages(query) {
            queries.push(query);
            if (query.eventSource === "glue.amazonaws.com") yield* glue.slice(query.startingToken ? 1 : 0);
          },
        },
        journal,
        checkpoints: journal,
        limiter: { acquire: async () => {} },
        sleep: async () => {},
        log,
      },
      { account: location.account, region: location.region, now, lookbackMinutes: 20 },
    );

    expect(summary).toMatchObject({
      read: 4,
      readOnlySkipped: 1,
      invalid: 1,
      failedSkipped: 1,
      journaled: 1,
      pages: 2,
    });
    expect(log.lines).toContainEqual({ level: "error", message: "invalid CloudTrail event in LookupEvents" });
    expect((await journal.listEvents({ limit: 10 })).map((e) => e.eventId)).toEqual(["w1"]);
    // One query per source over [now - lookback, now], EventSource filter, 50 per page.
    expect(queries).toEqual([
      {
        eventSource: "glue.amazonaws.com",
        startTime: new Date("2026-03-01T10:10:00Z"),
        endTime: now,
        pageSize: 50,
      },
      {
        eventSource: "lakeformation.amazonaws.com",
        startTime: new Date("2026-03-01T10:10:00Z"),
        endTime: now,
        pageSize: 50,
      },
    ]);
    // The next window starts lookback minutes before the newest event seen.
    const glueScope = {
      account: location.account,
      region: location.region,
      eventSource: "glue.amazonaws.com",
    };
    expect((await journal.getCheckpoint(glueScope))?.eventTime).toBe("2026-03-01T10:20:00Z");
  });

  it("journals both sources' writes oldest first, so the journal's stream follows the calls", async () => {
    const journal = await newJournal(testLocation("us-east-1"));
    const order: string[] = [];
    const entry = (id: string, name: string, time: string, source: string) => ({
      eventId: id,
      eventName: name,
      eventTime: new Date(time),
      readOnly: "false",
      cloudTrailEvent: JSON.stringify({
        ...JSON.parse(record(id, name)),
        eventTime: time.replace(".000", ""),
        eventSource: source,
      }),
    });
    const glue = "glue.amazonaws.com";
    const lf = "lakeformation.amazonaws.com";
    // LookupEvents answers newest first, one source per query.
    const pages: Record<string, LookupPage[]> = {
      [glue]: [
        {
          entries: [
            entry("g3", "UpdateTable", "2026-03-01T10:22:00Z", glue),
            entry("g2", "CreateTable", "2026-03-01T10:21:00Z", glue),
            entry("g1", "CreateDatabase", "2026-03-01T10:21:00Z", glue),
          ],
        },
      ],
      [lf]: [{ entries: [entry("l1", "GrantPermissions", "2026-03-01T10:21:30Z", lf)] }],
    };
    await pollCloudTrail(
      {
        history: {
          async *pages(query) {
            yield* pages[query.eventSource] ?? [];
          },
        },
        journal: {
          putEvents: async (events) => {
            order.push(...events.map((event) => event.eventId));
            return journal.putEvents(events);
          },
        },
        checkpoints: journal,
        limiter: { acquire: async () => {} },
        sleep: async () => {},
        log: recordingLog(),
      },
      { account: location.account, region: location.region, now, lookbackMinutes: 20 },
    );
    expect(order).toEqual(["g1", "g2", "l1", "g3"]);
  });
});
