// A child journaled ahead of its parent (capture's pollers race): the stream hands the replicator
// the child's batch before the parent's. The drain's retry rounds then look in the journal for the
// pending parent and work it first, so the child is applied, not dead-lettered; the parent's own
// batch finds it settled. A parent that is genuinely missing still ends the child failed after
// maxAttempts, with its reason, on the DLQ and the alert topic.
import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import {
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreateTableCommand,
  GetPartitionCommand,
} from "@aws-sdk/client-glue";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { createReplicateHandler } from "../../handlers/replicate.ts";
import { newJournalEvent } from "../../modules/journal/event-item.ts";
import type { CloudTrailRecord } from "../../modules/replication/cloudtrail-record.ts";
import {
  glue,
  type Harness,
  harness,
  journaled,
  type Lake,
  newLake,
  nextSecond,
  receiveAll,
  streamRecords,
} from "./support.ts";

describe("a child whose parent is journaled in a later stream batch", () => {
  let lake: Lake;
  let h: Harness;

  beforeAll(async () => {
    lake = await newLake();
    h = await harness(lake, 3);
  });

  /** The replicate Lambda's handler, on the lake's journal, targets, DLQ and alert topic. */
  const replicateHandler = () =>
    createReplicateHandler({
      core: h.deps,
      settings: h.settings,
      logger: new Logger({ serviceName: "lakesync-replicator-test", logLevel: "SILENT" }),
      metrics: new Metrics({ namespace: "lakesync-test", serviceName: "replicator" }),
      roundBaseDelayMs: 50,
    });

  /** One stream batch holding the INSERTs of the given events, in the given order. */
  async function batchOf(eventIds: string[]): Promise<DynamoDBStreamEvent> {
    const inserts = (await streamRecords(lake)).filter((r) => r.eventName === "INSERT");
    const records = eventIds.map((id) => inserts.find((r) => r.dynamodb?.NewImage?.eventId?.S === id));
    expect(records.every((r) => r !== undefined)).toBe(true);
    return { Records: records as unknown as DynamoDBRecord[] };
  }

  /** Source writes: a database, a partitioned table and one partition; all journaled by a poll. */
  async function family(db: string) {
    const g = glue(lake.source);
    await g.send(new CreateDatabaseCommand({ DatabaseInput: { Name: db } }));
    await g.send(
      new CreateTableCommand({
        DatabaseName: db,
        TableInput: { Name: "t", PartitionKeys: [{ Name: "dt", Type: "string" }] },
      }),
    );
    await nextSecond();
    await g.send(
      new CreatePartitionCommand({ DatabaseName: db, TableName: "t", PartitionInput: { Values: ["1"] } }),
    );
    await h.poll();
    const find = async (name: string) =>
      (await journaled(h.journal, name)).find((e) => e.record?.includes(`"${db}"`))!;
    return {
      database: await find("CreateDatabase"),
      table: await find("CreateTable"),
      partition: await find("CreatePartition"),
    };
  }

  async function expectPartitionOnTargets(db: string) {
    for (const target of [lake.west, lake.backup]) {
      const { Partition } = await glue(target).send(
        new GetPartitionCommand({ DatabaseName: db, TableName: "t", PartitionValues: ["1"] }),
      );
      expect(Partition?.Values).toEqual(["1"]);
    }
  }

  async function deadLettered(eventId: string) {
    const dead = (await receiveAll(lake.source, h.deadLetterQueueUrl)).map((m) => JSON.parse(m.Body ?? "{}"));
    return dead.filter((d) => d.eventId === eventId);
  }

  it("the child's batch first: the drain works the pending parent and applies the child", async () => {
    const { database, table, partition } = await family("late");
    const replicate = replicateHandler();
    // The child's batch (with its database, as a batch of that moment would hold), then the parent's.
    expect((await replicate(await batchOf([database.eventId, partition.eventId]))).batchItemFailures).toEqual(
      [],
    );
    await expectPartitionOnTargets("late");
    const child = await h.journal.getEvent(partition.eventId);
    expect(child?.status).toBe("applied");
    expect(child?.targets.west?.attempts).toBe(2); // once without its table, once after it
    // The parent was applied by the child's drain; its own batch finds it settled.
    const parentBefore = await h.journal.getEvent(table.eventId);
    expect(parentBefore?.targets.west).toMatchObject({ state: "applied", attempts: 1 });
    expect((await replicate(await batchOf([table.eventId]))).batchItemFailures).toEqual([]);
    const parentAfter = await h.journal.getEvent(table.eventId);
    expect(parentAfter?.version).toBe(parentBefore?.version);
    expect(parentAfter?.targets.backup).toMatchObject({ state: "applied", attempts: 1 });
    expect(await deadLettered(partition.eventId)).toEqual([]);
  });

  it("the parent's batch worked at the same time by another invocation: each event recorded once", async () => {
    const { database, table, partition } = await family("raced");
    await replicateHandler()(await batchOf([database.eventId]));
    const [childBatch, parentBatch] = [await batchOf([partition.eventId]), await batchOf([table.eventId])];
    // Two Lambda invocations (two shards) at once: one with the child, one with its parent.
    const answers = await Promise.all([replicateHandler()(childBatch), replicateHandler()(parentBatch)]);
    expect(answers.map((a) => a.batchItemFailures)).toEqual([[], []]);
    await expectPartitionOnTargets("raced");
    const [parent, child] = await Promise.all([table, partition].map((e) => h.journal.getEvent(e.eventId)));
    for (const target of ["west", "backup"]) {
      // Whichever invocation applied the table recorded it; the other recorded nothing.
      expect(parent?.targets[target]).toMatchObject({ state: "applied", attempts: 1 });
      expect(child?.targets[target]?.state).toBe("applied");
    }
    expect(await deadLettered(partition.eventId)).toEqual([]);
    expect(await deadLettered(table.eventId)).toEqual([]);
  });

  it("a parent that is never journaled: the child still fails after maxAttempts, with its reason", async () => {
    const { partition } = await family("ghosted");
    const record = JSON.parse(partition.record ?? "{}") as CloudTrailRecord;
    // The same partition on a table no event creates.
    const orphan: CloudTrailRecord = {
      ...record,
      eventID: randomUUID(),
      requestParameters: { ...record.requestParameters, tableName: "ghost" },
    };
    await h.journal.putEvent(
      newJournalEvent(orphan, { capturedBy: "eventbridge", capturedAt: new Date(), tracked: true }),
    );
    const replicate = replicateHandler();
    expect((await replicate(await batchOf([orphan.eventID]))).batchItemFailures).toEqual([]);
    const stored = await h.journal.getEvent(orphan.eventID);
    expect(stored?.status).toBe("failed");
    for (const target of ["west", "backup"]) {
      expect(stored?.targets[target]).toMatchObject({ state: "failed", attempts: 3 });
      expect(stored?.targets[target]?.reason).toMatch(/NotFound.*ghost|ghost.*NotFound/);
    }
    const dead = await deadLettered(orphan.eventID);
    expect(dead.map((d) => [d.target, d.attempts]).sort()).toEqual([
      ["backup", 3],
      ["west", 3],
    ]);
    expect(dead[0]?.error).toMatch(/NotFound/);
  });
});
