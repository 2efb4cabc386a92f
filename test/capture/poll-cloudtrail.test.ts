import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { describe, expect, it } from "vitest";
import { createPollHandler, handler as pollHandler } from "../../handlers/poll-cloudtrail.ts";
import { allClients } from "../../modules/aws/all-clients.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { cloudTrailHistory } from "../../modules/aws/cloudtrail-lookup.ts";
import { createJournalTable, JournalStore } from "../../modules/aws/journal-store.ts";
import { CAPTURE_ENV } from "../../modules/capture/env.ts";
import { type PollOptions, pollCloudTrail } from "../../modules/capture/poll.ts";
import { IntervalRateLimiter } from "../../modules/capture/rate-limiter.ts";
import { isoSeconds } from "../../modules/journal/event-item.ts";
import { client, freshAccount, type TestLocation, testLocation } from "../support/local-aws.ts";
import {
  cloudTrailEvents,
  makeCatalogActivity,
  newJournal,
  patientClients,
  recordingLog,
  sleep,
  successfulWrites,
} from "./support.ts";

function poller(
  location: TestLocation,
  journal: JournalStore,
  clients = patientClients,
  requestsPerSecond = 2,
) {
  const log = recordingLog();
  const deps = {
    history: cloudTrailHistory(clients.get("cloudtrail", location)),
    journal,
    checkpoints: journal,
    limiter: new IntervalRateLimiter(requestsPerSecond, { now: Date.now, sleep }),
    sleep,
    log,
  };
  const poll = (options: Partial<PollOptions> = {}) =>
    pollCloudTrail(deps, { account: location.account, region: location.region, now: new Date(), ...options });
  return { poll, log };
}

const journaledIds = async (journal: JournalStore) =>
  new Map((await journal.listEvents({ limit: 1000 })).map((e) => [e.eventId, e.eventName]));

describe("CloudTrail poller", () => {
  it("journals exactly the successful writes, then finds only duplicates on the overlapping re-poll", async () => {
    const location = testLocation("us-east-1");
    const journal = await newJournal(location);
    await makeCatalogActivity(location);
    const expected = successfulWrites(await cloudTrailEvents(location));
    expect([...expected.values()].sort()).toEqual([
      "CreateCrawler",
      "CreateDatabase",
      "CreateLFTag",
      "CreateTable",
    ]);

    const { poll } = poller(location, journal);
    const first = await poll();
    expect(first).toMatchObject({
      read: 9,
      readOnlySkipped: 3,
      failedSkipped: 2,
      journaled: 4,
      duplicates: 0,
      late: 0,
      invalid: 0,
      pages: 2,
      complete: ["glue.amazonaws.com", "lakeformation.amazonaws.com"],
    });
    expect(await journaledIds(journal)).toEqual(expected);
    const crawler = [...expected].find(([, name]) => name === "CreateCrawler")?.[0] ?? "";
    expect(await journal.getEvent(crawler)).toMatchObject({
      tracked: false,
      capturedBy: "poller",
      status: "pending",
    });

    // The checkpoint per source is the newest eventTime seen.
    const all = await cloudTrailEvents(location);
    const newest = (source: string) =>
      all
        .filter((e) => e.EventSource === source)
        .map((e) => isoSeconds(e.EventTime ?? new Date(0)))
        .sort()
        .at(-1);
    for (const eventSource of ["glue.amazonaws.com", "lakeformation.amazonaws.com"]) {
      expect(
        (await journal.getCheckpoint({ account: location.account, region: location.region, eventSource }))
          ?.eventTime,
      ).toBe(newest(eventSource));
    }

    const second = await poll();
    expect(second).toMatchObject({ read: 9, journaled: 0, duplicates: 4, late: 0 });
    expect(await journaledIds(journal)).toEqual(expected);
  });

  it("pages through a window larger than a page, backing off when LookupEvents throttles", async () => {
    const location = testLocation("us-east-1");
    const journal = await newJournal(location);
    await makeCatalogActivity(location);
    const expected = successfulWrites(await cloudTrailEvents(location));

    // No SDK retries and a pace well above AWS's 2 requests/s: the server throttles, the poller's
    // own backoff must carry the read through to the end.
    const impatient = new AwsClients(allClients, { maxAttempts: 1 });
    const { poll, log } = poller(location, journal, impatient, 50);
    // Spend the location's request budget first so throttling is certain even on a slow machine.
    await Promise.allSettled(
      [1, 2, 3, 4].map(() =>
        impatient.get("cloudtrail", location).send(new LookupEventsCommand({ MaxResults: 1 })),
      ),
    );
    const summary = await poll({ pageSize: 1, throttleBaseMs: 300, maxThrottleRetries: 8 });
    expect(summary.pages).toBeGreaterThan(2);
    expect(summary.throttled).toBeGreaterThan(0);
    expect(summary).toMatchObject({
      read: 9,
      journaled: 4,
      duplicates: 0,
      complete: ["glue.amazonaws.com", "lakeformation.amazonaws.com"],
    });
    expect(log.lines.some((l) => l.level === "warn" && /throttled/.test(l.message))).toBe(true);
    expect(await journaledIds(journal)).toEqual(expected);
    impatient.destroy();
  });

  it("keeps the checkpoint when the page budget ends the read early", async () => {
    const location = testLocation("us-east-1");
    const journal = await newJournal(location);
    await makeCatalogActivity(location);
    const { poll, log } = poller(location, journal);

    const partial = await poll({ pageSize: 2, maxPages: 1 });
    expect(partial).toMatchObject({
      pages: 2,
      incomplete: ["glue.amazonaws.com", "lakeformation.amazonaws.com"],
    });
    const scope = { account: location.account, region: location.region, eventSource: "glue.amazonaws.com" };
    expect(await journal.getCheckpoint(scope)).toBeUndefined();
    expect(log.lines.some((l) => /checkpoint kept/.test(l.message))).toBe(true);

    // The next (complete) read picks up the rest.
    await poll();
    expect(await journaledIds(journal)).toEqual(successfulWrites(await cloudTrailEvents(location)));
    expect(await journal.getCheckpoint(scope)).toBeDefined();
  });

  it("reports an event first seen behind the checkpoint as late, naming it", async () => {
    const location = testLocation("us-east-1");
    const journal = await newJournal(location);
    // As if a previous poll had read up to 5 minutes from now: the call below then reaches
    // LookupEvents behind the checkpoint, the way a slowly delivered event does.
    const checkpoint = isoSeconds(new Date(Date.now() + 5 * 60_000));
    const scope = { account: location.account, region: location.region, eventSource: "glue.amazonaws.com" };
    await journal.putCheckpoint(scope, { eventTime: checkpoint, updatedAt: checkpoint });
    await makeCatalogActivity(location, "late_db");

    const { poll, log } = poller(location, journal);
    // The poll runs after that previous one (a checkpoint ahead of the clock would be clamped).
    const summary = await poll({ now: new Date(Date.now() + 6 * 60_000) });
    // Only the Glue source had a checkpoint: its 3 successful writes are late.
    expect(summary.late).toBe(3);
    expect(summary.journaled).toBe(4);
    for (const late of summary.lateEvents) {
      expect(late.lagSeconds).toBeGreaterThan(240);
      expect(log.lines).toContainEqual({
        level: "warn",
        message: `late: ${late.eventId}, ${late.eventTime}, ${late.lagSeconds}s`,
      });
    }
    // Nothing lost, and the checkpoint did not move backwards.
    expect(await journaledIds(journal)).toEqual(successfulWrites(await cloudTrailEvents(location)));
    expect((await journal.getCheckpoint(scope))?.eventTime).toBe(checkpoint);
  });

  it("reports a checkpoint ahead of the clock and clamps it to now, so later writes are journaled", async () => {
    const location = testLocation("eu-west-1");
    const journal = await newJournal(location);
    const future = "2030-01-01T00:00:00Z";
    const scope = { account: location.account, region: location.region, eventSource: "glue.amazonaws.com" };
    await journal.putCheckpoint(scope, { eventTime: future, updatedAt: future });
    await makeCatalogActivity(location, "ahead_db");

    const { poll, log } = poller(location, journal);
    const now = new Date();
    const summary = await poll({ now });
    expect(summary.checkpointsAhead).toEqual(["glue.amazonaws.com"]);
    expect(log.lines.some((l) => l.level === "warn" && /ahead of the clock/.test(l.message))).toBe(true);
    expect(await journaledIds(journal)).toEqual(successfulWrites(await cloudTrailEvents(location)));
    const stored = (await journal.getCheckpoint(scope))?.eventTime;
    expect(stored! <= isoSeconds(now), `${stored} <= ${isoSeconds(now)}`).toBe(true);
  });

  it("runs as a scheduled Lambda handler wired from its configuration", async () => {
    const location = testLocation("us-west-2");
    const journal = await newJournal(location);
    await makeCatalogActivity(location);
    const handler = createPollHandler({
      config: {
        journalTable: "journal",
        sourceAccount: location.account,
        sourceRegion: location.region,
        journalRegion: location.region,
        lookbackMinutes: 20,
        maxPages: 50,
      },
      clients: patientClients,
      journal,
      logger: new Logger({ serviceName: "lakesync-capture-test", logLevel: "ERROR" }),
      metrics: new Metrics({ namespace: "lakesync-test", serviceName: "capture" }),
    });
    expect(await handler({})).toMatchObject({ journaled: 4, duplicates: 0 });
    expect(await handler({})).toMatchObject({ journaled: 0, duplicates: 4 });
  });

  it("the Lambda entry point wires itself from the environment on first call", async () => {
    const location = testLocation("us-east-1");
    // With no account given, the function's own credentials (the default local account) hold the table.
    const own = { region: "us-east-1" };
    const tableName = `journal-${freshAccount()}`;
    await createJournalTable(client("dynamodb", own), tableName);
    await makeCatalogActivity(location);
    const env = {
      [CAPTURE_ENV.journalTable]: tableName,
      [CAPTURE_ENV.sourceAccount]: location.account,
      [CAPTURE_ENV.sourceRegion]: location.region,
      POWERTOOLS_LOG_LEVEL: "ERROR",
    };
    Object.assign(process.env, env);
    try {
      expect(await pollHandler({})).toMatchObject({ journaled: 4, duplicates: 0 });
      const journal = new JournalStore(client("dynamodb", own), { tableName });
      expect((await journal.listEvents({ limit: 10 })).map((e) => e.eventName).sort()).toEqual([
        "CreateCrawler",
        "CreateDatabase",
        "CreateLFTag",
        "CreateTable",
      ]);
    } finally {
      for (const name of Object.keys(env)) delete process.env[name];
    }
  });
});
