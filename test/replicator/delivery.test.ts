// Delivery and ordering on the real path (local CloudTrail -> capture -> journal -> replicator ->
// targets): duplicates from both capture paths and from stream redelivery apply once; an older
// event replayed after a newer one does not overwrite it; same-second dependencies converge in
// either order; a missing dependency and a poison event fail after maxAttempts, to the DLQ and
// the alert topic.

import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import {
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreateTableCommand,
  GetDatabaseCommand,
  GetTableCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-glue";
import {
  AddLFTagsToResourceCommand,
  CreateLFTagCommand,
  GetResourceLFTagsCommand,
  RemoveLFTagsFromResourceCommand,
  UpdateLFTagCommand,
} from "@aws-sdk/client-lakeformation";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaptureHandler } from "../../handlers/capture-eventbridge.ts";
import { createReplicateHandler } from "../../handlers/replicate.ts";
import { newJournalEvent } from "../../modules/journal/event-item.ts";
import { routeCloudTrailEventsToQueue } from "../../modules/local/cloudtrail-queue.ts";
import { sqsEventOf } from "../../modules/local/sqs-event.ts";
import type { CloudTrailRecord } from "../../modules/replication/cloudtrail-record.ts";
import { replicateEvent } from "../../modules/replicator/replicate-event.ts";
import {
  glue,
  type Harness,
  harness,
  journaled,
  type Lake,
  lf,
  newLake,
  nextSecond,
  patientClients,
  receiveAll,
  startOfSecond,
  streamRecords,
} from "./support.ts";

const silentLogger = () => new Logger({ serviceName: "lakesync-replicator-test", logLevel: "SILENT" });
const metrics = () => new Metrics({ namespace: "lakesync-test", serviceName: "replicator" });

describe("replicator delivery and ordering", () => {
  let lake: Lake;
  let h: Harness;

  beforeAll(async () => {
    lake = await newLake();
    h = await harness(lake, 3);
  });

  it("an event captured by both paths and redelivered by the stream is applied once per target", async () => {
    const queueUrl = await routeCloudTrailEventsToQueue(patientClients, lake.source, "capture");
    await glue(lake.source).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "twice" } }));

    // EventBridge path: the queue's message through the capture handler.
    const messages = await receiveAll(lake.source, queueUrl);
    const capture = createCaptureHandler({ journal: h.journal, logger: silentLogger(), metrics: metrics() });
    const sqsEvent = sqsEventOf(messages);
    expect((await capture(sqsEvent)).batchItemFailures).toEqual([]);
    // Poller path: the same event is a duplicate.
    const polled = await h.poll();
    expect(polled.duplicates).toBeGreaterThanOrEqual(1);
    const [event] = await journaled(h.journal, "CreateDatabase");
    expect(event?.capturedBy).toBe("eventbridge");

    // The stream's INSERT for it, delivered twice to the replicator Lambda.
    const inserts = (await streamRecords(lake)).filter(
      (r) => r.eventName === "INSERT" && r.dynamodb?.NewImage?.eventId?.S === event?.eventId,
    );
    expect(inserts).toHaveLength(1);
    const streamEvent = { Records: inserts as unknown as DynamoDBRecord[] } as DynamoDBStreamEvent;
    const replicate = createReplicateHandler({
      core: h.deps,
      settings: h.settings,
      logger: silentLogger(),
      metrics: metrics(),
    });
    expect((await replicate(streamEvent)).batchItemFailures).toEqual([]);
    expect((await replicate(streamEvent)).batchItemFailures).toEqual([]);

    const stored = await h.journal.getEvent(event?.eventId ?? "");
    expect(stored?.status).toBe("applied");
    expect(stored?.targets.west).toMatchObject({ state: "applied", attempts: 1 });
    expect(stored?.targets.backup).toMatchObject({ state: "applied", attempts: 1 });
    for (const target of [lake.west, lake.backup]) {
      const { Database } = await glue(target).send(new GetDatabaseCommand({ Name: "twice" }));
      expect(Database?.Name).toBe("twice");
    }
  });

  it("the stream handler drains a batch together: a table ahead of its database in the batch converges", async () => {
    const g = glue(lake.source);
    await g.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "streamed" } }));
    await g.send(new CreateTableCommand({ DatabaseName: "streamed", TableInput: { Name: "t" } }));
    await h.poll();
    const ids = new Set(
      (await Promise.all(["CreateDatabase", "CreateTable"].map((name) => journaled(h.journal, name))))
        .flat()
        .filter((e) => e.record?.includes('"streamed"'))
        .map((e) => e.eventId),
    );
    const inserts = (await streamRecords(lake)).filter(
      (r) => r.eventName === "INSERT" && ids.has(r.dynamodb?.NewImage?.eventId?.S ?? ""),
    );
    expect(inserts).toHaveLength(2);
    // The poller journaled them oldest first; deliver them the other way round.
    const names = inserts.map((r) => r.dynamodb?.NewImage?.eventName?.S);
    expect(names).toEqual(["CreateDatabase", "CreateTable"]);
    const streamEvent = {
      Records: [...inserts].reverse() as unknown as DynamoDBRecord[],
    } as DynamoDBStreamEvent;
    const replicate = createReplicateHandler({
      core: h.deps,
      settings: h.settings,
      logger: silentLogger(),
      metrics: metrics(),
      roundBaseDelayMs: 50,
    });
    expect((await replicate(streamEvent)).batchItemFailures).toEqual([]);
    for (const target of [lake.west, lake.backup]) {
      const { Table } = await glue(target).send(new GetTableCommand({ DatabaseName: "streamed", Name: "t" }));
      expect(Table?.Name).toBe("t");
    }
  });

  it("an older UpdateTable replayed after a newer one is skipped and does not overwrite it", async () => {
    const g = glue(lake.source);
    await g.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "ordered" } }));
    await g.send(new CreateTableCommand({ DatabaseName: "ordered", TableInput: { Name: "t" } }));
    await nextSecond();
    await g.send(
      new UpdateTableCommand({ DatabaseName: "ordered", TableInput: { Name: "t", Description: "old" } }),
    );
    await nextSecond();
    await g.send(
      new UpdateTableCommand({ DatabaseName: "ordered", TableInput: { Name: "t", Description: "new" } }),
    );
    await h.poll();
    const creates = (await journaled(h.journal, "CreateDatabase")).concat(
      await journaled(h.journal, "CreateTable"),
    );
    const [older, newer] = (await journaled(h.journal, "UpdateTable")).filter((e) =>
      e.record?.includes('"ordered"'),
    );
    expect(older && newer && older.eventTime < newer.eventTime).toBe(true);

    await h.drain([...creates, newer!]);
    const late = await h.drain([older!]);
    expect(late.map((o) => [o.target, o.state])).toEqual([
      ["west", "skipped"],
      ["backup", "skipped"],
    ]);
    expect(late[0]?.reason).toContain(`newer event ${newer?.eventId}`);
    for (const target of [lake.west, lake.backup]) {
      const { Table } = await glue(target).send(new GetTableCommand({ DatabaseName: "ordered", Name: "t" }));
      expect(Table?.Description).toBe("new");
    }
  });

  it("CreateDatabase and CreateTable of the same second converge in either order", async () => {
    const g = glue(lake.source);
    await startOfSecond();
    for (const db of ["same1", "same2"]) {
      await g.send(new CreateDatabaseCommand({ DatabaseInput: { Name: db } }));
      await g.send(new CreateTableCommand({ DatabaseName: db, TableInput: { Name: "t" } }));
    }
    await h.poll();
    const find = async (name: string, db: string) =>
      (await journaled(h.journal, name)).find((e) => e.record?.includes(`"${db}"`))!;
    const [db1, t1, db2, t2] = [
      await find("CreateDatabase", "same1"),
      await find("CreateTable", "same1"),
      await find("CreateDatabase", "same2"),
      await find("CreateTable", "same2"),
    ];
    expect(new Set([db1.eventTime, t1.eventTime, db2.eventTime, t2.eventTime]).size).toBe(1);

    // same1: the table first, as a worker that got it first would (its database is not there yet).
    const early = await replicateEvent((await h.journal.getEvent(t1.eventId))!, h.deps, h.settings);
    expect(early.map((o) => [o.target, o.state, o.final])).toEqual([
      ["west", "failed", false],
      ["backup", "failed", false],
    ]);
    expect(early[0]?.reason).toMatch(/NotFound/);
    // Then everything, same2 in its natural order: the table's next round finds its database.
    await h.drain([t1, db1, db2, t2]);
    const final = await Promise.all([t1, db1, db2, t2].map((e) => h.journal.getEvent(e.eventId)));
    expect(final.map((e) => e?.status)).toEqual(["applied", "applied", "applied", "applied"]);
    expect(final.map((e) => e?.targets.west?.attempts)).toEqual([2, 1, 1, 1]);
    for (const target of [lake.west, lake.backup]) {
      for (const db of ["same1", "same2"]) {
        const { Table } = await glue(target).send(new GetTableCommand({ DatabaseName: db, Name: "t" }));
        expect(Table?.Name).toBe("t");
      }
    }
  });

  it("a retried event never lands after a newer change to the same resource", async () => {
    const g = glue(lake.source);
    const l = lf(lake.source);
    await g.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "retag" } }));
    await g.send(new CreateTableCommand({ DatabaseName: "retag", TableInput: { Name: "t" } }));
    await l.send(new CreateLFTagCommand({ TagKey: "grade", TagValues: ["bronze"] }));
    await l.send(new CreateLFTagCommand({ TagKey: "owner", TagValues: ["sales"] }));
    await nextSecond();
    await h.drain(
      await h.poll().then(() => journaledSince(["CreateDatabase", "CreateTable", "CreateLFTag"])),
    );

    // One second: a value is added to a tag, the table is tagged with it, then one tag is removed.
    // Same-second ordering tries the tagging first; it fails (grade=gold is not valid yet) and must
    // not be retried after the removal, or the removed tag would come back.
    const table = { Table: { DatabaseName: "retag", Name: "t" } };
    await startOfSecond();
    await l.send(new UpdateLFTagCommand({ TagKey: "grade", TagValuesToAdd: ["gold"] }));
    await l.send(
      new AddLFTagsToResourceCommand({
        Resource: table,
        LFTags: [
          { TagKey: "grade", TagValues: ["gold"] },
          { TagKey: "owner", TagValues: ["sales"] },
        ],
      }),
    );
    await l.send(
      new RemoveLFTagsFromResourceCommand({
        Resource: table,
        LFTags: [{ TagKey: "owner", TagValues: ["sales"] }],
      }),
    );
    await h.poll();
    const events = await journaledSince(["UpdateLFTag", "AddLFTagsToResource", "RemoveLFTagsFromResource"]);
    expect(new Set(events.map((e) => e.eventTime)).size).toBe(1);
    await h.drain(events);

    for (const target of [lake.west, lake.backup]) {
      const tags = await lf(target).send(
        new GetResourceLFTagsCommand({ Resource: table, ShowAssignedLFTags: true }),
      );
      expect(tags.LFTagsOnTable?.map((t) => [t.TagKey, t.TagValues])).toEqual([["grade", ["gold"]]]);
    }
    const final = await Promise.all(events.map((e) => h.journal.getEvent(e.eventId)));
    expect(final.map((e) => e?.status)).toEqual(["applied", "applied", "applied"]);
  });

  async function journaledSince(names: string[]) {
    const found = await Promise.all(names.map((name) => journaled(h.journal, name)));
    return found
      .flat()
      .filter(
        (e) =>
          e.record?.includes('"retag"') || e.record?.includes('"grade"') || e.record?.includes('"owner"'),
      );
  }

  it("a missing dependency is retried with backoff, then fails: DLQ message and SNS alert", async () => {
    const g = glue(lake.source);
    await g.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "orphan" } }));
    await g.send(
      new CreateTableCommand({
        DatabaseName: "orphan",
        TableInput: { Name: "t", PartitionKeys: [{ Name: "dt", Type: "string" }] },
      }),
    );
    await g.send(
      new CreatePartitionCommand({
        DatabaseName: "orphan",
        TableName: "t",
        PartitionInput: { Values: ["1"] },
      }),
    );
    await h.poll();
    const [partition] = await journaled(h.journal, "CreatePartition");
    // Only the partition is replicated: its table never reaches the targets (its event was settled
    // without them, so the drain's search for pending parents finds nothing either).
    const [table] = (await journaled(h.journal, "CreateTable")).filter((e) => e.record?.includes('"orphan"'));
    for (const target of ["west", "backup"]) {
      await h.journal.setTargetState(table!.eventId, target, "skipped", { reason: "kept out by the test" });
    }
    const outcomes = await h.drain([partition!]);
    // Its pending database is worked as a possible parent; the partition still misses its table.
    const final = outcomes.filter((o) => o.final && o.eventId === partition!.eventId);
    expect(final.map((o) => [o.target, o.state, o.attempts])).toEqual([
      ["west", "failed", 3],
      ["backup", "failed", 3],
    ]);
    expect(final[0]?.reason).toMatch(/NotFound/);
    await expectFailureReported(h, lake, partition!.eventId, "CreatePartition", /NotFound/);
  });

  it("a target that rejects the event (InvalidInput, EntityNotFound) fails after maxAttempts: DLQ and alert", async () => {
    const g = glue(lake.source);
    await g.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "tagged" } }));
    await g.send(new CreateTableCommand({ DatabaseName: "tagged", TableInput: { Name: "t" } }));
    await lf(lake.source).send(new CreateLFTagCommand({ TagKey: "color", TagValues: ["blue"] }));
    await nextSecond();
    await lf(lake.source).send(
      new AddLFTagsToResourceCommand({
        Resource: { Table: { DatabaseName: "tagged", Name: "t" } },
        LFTags: [{ TagKey: "color", TagValues: ["blue"] }],
      }),
    );
    // west has its own "color" tag without "blue"; backup has no such tag at all.
    await lf(lake.west).send(new CreateLFTagCommand({ TagKey: "color", TagValues: ["red"] }));
    await h.poll();
    const find = async (name: string) =>
      (await journaled(h.journal, name)).find((e) => e.record?.includes("tagged"))!;
    await h.drain([await find("CreateDatabase"), await find("CreateTable")]);
    const assignment = await find("AddLFTagsToResource");
    // The source's CreateLFTag stays off the targets (settled without them): the drain's search for
    // pending parents must not bring "color" to backup.
    const [tag] = (await journaled(h.journal, "CreateLFTag")).filter((e) => e.record?.includes('"color"'));
    for (const target of ["west", "backup"]) {
      await h.journal.setTargetState(tag!.eventId, target, "skipped", { reason: "kept out by the test" });
    }
    const outcomes = (await h.drain([assignment])).filter((o) => o.final && o.eventId === assignment.eventId);
    expect(outcomes.map((o) => [o.target, o.state, o.attempts])).toEqual([
      ["west", "failed", 3],
      ["backup", "failed", 3],
    ]);
    expect(outcomes[0]?.reason).toMatch(/Invalid/);
    expect(outcomes[1]?.reason).toMatch(/NotFound/);
    await expectFailureReported(h, lake, assignment.eventId, "AddLFTagsToResource", /Invalid|NotFound/);
  });

  it("a poison event (parameters that do not translate) fails after maxAttempts: DLQ message and SNS alert", async () => {
    const [update] = await journaled(h.journal, "UpdateTable");
    const record = JSON.parse(update!.record ?? "{}") as CloudTrailRecord;
    const poison: CloudTrailRecord = {
      ...record,
      eventID: randomUUID(),
      requestParameters: { ...record.requestParameters, tableInput: { name: "t", noSuchMember: 1 } },
    };
    await h.journal.putEvent(
      newJournalEvent(poison, { capturedBy: "poller", capturedAt: new Date(), tracked: true }),
    );
    const outcomes = await h.drain([{ eventId: poison.eventID, eventTime: update!.eventTime }]);
    expect(outcomes.map((o) => [o.target, o.state, o.attempts, o.final])).toEqual([
      ["west", "failed", 1, false],
      ["backup", "failed", 1, false],
      ["west", "failed", 2, false],
      ["backup", "failed", 2, false],
      ["west", "failed", 3, true],
      ["backup", "failed", 3, true],
    ]);
    expect(outcomes[0]?.reason).toMatch(/TranslateError: .*noSuchMember/);
    await expectFailureReported(h, lake, poison.eventID, "UpdateTable", /noSuchMember/);
    // Parked: a further drain does not touch it.
    expect(await h.drain([{ eventId: poison.eventID, eventTime: update!.eventTime }])).toEqual([]);
  });
});

async function expectFailureReported(
  h: Harness,
  lake: Lake,
  eventId: string,
  eventName: string,
  error: RegExp,
) {
  const dead = (await receiveAll(lake.source, h.deadLetterQueueUrl)).map((m) => JSON.parse(m.Body ?? "{}"));
  const mineDead = dead.filter((d) => d.eventId === eventId).map((d) => [d.target, d.eventName, d.attempts]);
  expect(mineDead.sort()).toEqual([
    ["backup", eventName, 3],
    ["west", eventName, 3],
  ]);
  expect(dead.find((d) => d.eventId === eventId)?.error).toMatch(error);
  const alerts = (await receiveAll(lake.source, h.alertQueueUrl)).map(
    (m) => JSON.parse(m.Body ?? "{}") as { Subject?: string; Message?: string },
  );
  const mine = alerts.filter((a) => a.Message?.includes(eventId));
  expect(mine.map((a) => a.Subject).sort()).toEqual(
    [`lakesync: ${eventName} failed on backup`, `lakesync: ${eventName} failed on west`].sort(),
  );
  for (const alert of mine) {
    expect(alert.Message).toContain(eventId);
    expect(alert.Message).toContain(eventName);
    expect(alert.Message).toMatch(error);
  }
}
