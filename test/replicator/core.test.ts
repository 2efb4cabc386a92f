// Pure parts of the replicator with plain data: the ordering guard, the refetch replay, target
// resolution and switches, same-second ordering, the outcome line and the Lambda environment.
import type { DynamoDBRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { insertedEvent } from "../../handlers/replicate.ts";
import { parseConfig } from "../../modules/config/load.ts";
import { resolveTargets } from "../../modules/config/targets.ts";
import type { JournalEvent } from "../../modules/journal/event-item.ts";
import type { HighWaterMark } from "../../modules/journal/high-water-mark.ts";
import {
  type CatalogLocation,
  Phase,
  resourceKeys,
  type TargetOperation,
} from "../../modules/operations/operation.ts";
import type { ChangeSource, SourceRead } from "../../modules/replication/change.ts";
import {
  byEventTime,
  type DrainOptions,
  drainEvents,
  type EventRef,
  laneOf,
  outcomeLine,
} from "../../modules/replicator/drain.ts";
import { parseReplicatorEnv, REPLICATOR_ENV } from "../../modules/replicator/env.ts";
import { guardOperations } from "../../modules/replicator/high-water.ts";
import { type ReplicatorJournal, silentLog } from "../../modules/replicator/ports.ts";
import { changeFromReads } from "../../modules/replicator/refetch.ts";
import {
  needsWork,
  type ReplicatorDeps,
  type ReplicatorSettings,
  type TargetOutcome,
} from "../../modules/replicator/replicate-event.ts";
import { deployedReplicatorSettings, replicatorSettings } from "../../modules/replicator/settings.ts";
import { readSource } from "../../modules/replicator/source-reads.ts";
import { switchedOff } from "../../modules/replicator/targets.ts";

const target: CatalogLocation = { name: "west", account: "111111111111", region: "us-west-2" };
const op = (
  operation: string,
  input: Record<string, unknown>,
  resourceKey = "k",
  idempotency: TargetOperation["idempotency"] = "upsert",
): TargetOperation =>
  ({
    target,
    service: "glue",
    operation,
    input,
    resourceKey,
    idempotency,
    phase: Phase.tables,
    description: operation,
  }) as TargetOperation;
const mark = (eventId: string): HighWaterMark => ({
  resourceKey: "x",
  eventTime: "2026-01-01T00:00:09Z",
  eventId,
  updatedAt: "",
});

describe("guardOperations", () => {
  const partition = (values: string[]) => resourceKeys.partition(target.account, "db", "t", values);

  it("drops operations and batch entries on resources a newer event owns, keeps the rest", async () => {
    const batch = op("BatchCreatePartition", {
      DatabaseName: "db",
      TableName: "t",
      PartitionInputList: [{ Values: ["1"] }, { Values: ["2"] }],
    });
    const table = op("UpdateTable", { DatabaseName: "db" }, resourceKeys.table(target.account, "db", "t"));
    const claims: (readonly string[])[] = [];
    const guarded = await guardOperations([batch, table], async (keys) => {
      claims.push(keys);
      return new Map([partition(["1"]), table.resourceKey].map((key) => [key, mark("newer")]));
    });
    // One claim for the whole event, each resource with its own mark.
    expect(claims).toEqual([[partition(["1"]), partition(["2"]), table.resourceKey]]);
    expect(guarded.operations).toEqual([
      { ...batch, input: { ...batch.input, PartitionInputList: [{ Values: ["2"] }] } },
    ]);
    expect(guarded.stale.map((s) => s.resourceKey)).toEqual([partition(["1"]), table.resourceKey]);
  });

  it("never guards grants, revokes, tag assignments or LF tag value edits (set members) nor reads", async () => {
    const ops = ["GrantPermissions", "BatchRevokePermissions", "AddLFTagsToResource", "UpdateLFTag"].map(
      (name) => op(name, {}),
    );
    const claimed: string[] = [];
    const guarded = await guardOperations([...ops, op("GetTable", {}, "k", "read")], async (keys) => {
      claimed.push(...keys);
      return new Map(keys.map((key) => [key, mark("newer")]));
    });
    expect(claimed).toEqual([]);
    expect(guarded.operations).toHaveLength(5);
  });
});

describe("laneOf (the drain's lanes)", () => {
  const c = "111111111111";
  it("puts an event on one table's objects in that table's lane", () => {
    expect(
      laneOf([
        resourceKeys.table(c, "sales", "orders"),
        resourceKeys.partition(c, "sales", "orders", ["2026"]),
        resourceKeys.partitionIndex(c, "sales", "orders", "by_day"),
      ]),
    ).toEqual({ database: `${c}/sales`, table: "orders" });
    expect(laneOf([resourceKeys.dataCellsFilter(c, "sales", "orders", "eu")])).toEqual({
      database: `${c}/sales`,
      table: "orders",
    });
  });

  it("puts an event on a database, or on several of its tables, in the database's lane", () => {
    expect(laneOf([resourceKeys.database(c, "sales")])).toEqual({ database: `${c}/sales` });
    expect(laneOf([resourceKeys.table(c, "sales", "a"), resourceKeys.table(c, "sales", "b")])).toEqual({
      database: `${c}/sales`,
    });
    expect(laneOf([resourceKeys.database(c, "sales"), resourceKeys.table(c, "sales", "a")])).toEqual({
      database: `${c}/sales`,
    });
  });

  it("makes a barrier of events on several databases, outside databases, or on nothing known", () => {
    expect(laneOf([resourceKeys.table(c, "sales", "a"), resourceKeys.table(c, "hr", "b")])).toBeUndefined();
    expect(
      laneOf([resourceKeys.permission("arn:aws:iam::1:role/r", { Database: { Name: "sales" } })]),
    ).toBeUndefined();
    expect(laneOf([resourceKeys.lfTag(c, "pii")])).toBeUndefined();
    expect(laneOf([resourceKeys.settings(c)])).toBeUndefined();
    expect(laneOf([])).toBeUndefined();
  });
});

/** A Glue CloudTrail record of the account at second `second` of 2026-01-01, named by its content. */
function glueRecord(account: string, eventName: string, second: number, requestParameters: object): string {
  return JSON.stringify({
    eventVersion: "1.08",
    eventID: `${eventName}-${JSON.stringify(requestParameters)}`,
    eventTime: `2026-01-01T00:00:0${second}Z`,
    eventSource: "glue.amazonaws.com",
    eventName,
    awsRegion: "us-east-1",
    recipientAccountId: account,
    userIdentity: { type: "AssumedRole", arn: `arn:aws:sts::${account}:assumed-role/etl/job` },
    requestParameters,
    responseElements: null,
  });
}

/** A pending journal event holding a CloudTrail record made by the tests' record(). */
function pendingEvent(text: string, account: string, version = 0): JournalEvent {
  const parsed = JSON.parse(text) as { eventID: string; eventName: string; eventTime: string };
  return {
    eventId: parsed.eventID,
    eventName: parsed.eventName,
    eventSource: "glue.amazonaws.com",
    eventTime: parsed.eventTime,
    sourceAccount: account,
    sourceRegion: "us-east-1",
    capturedBy: "poller",
    capturedAt: "2026-01-01T00:01:00Z",
    tracked: true,
    record: text,
    targets: {},
    status: "pending",
    version,
  };
}

/** The drain tests' one target: eu-west-1 in the source account. */
const oneTarget = (account: string) =>
  resolveTargets(undefined, { targetRegion: "eu-west-1" }, { account, region: "us-east-1" });

/**
 * drainEvents for the tests below: oneTarget(account), a fixed clock, no waits and failure ports
 * that only swallow, so each test states only its journal, runner and settings.
 */
function drainOnOneTarget(
  events: readonly EventRef[],
  ports: Pick<ReplicatorDeps, "journal" | "run">,
  account: string,
  settings: Omit<ReplicatorSettings, "targets">,
  options?: DrainOptions,
): Promise<TargetOutcome[]> {
  return drainEvents(
    events,
    {
      ...ports,
      sleep: async () => {},
      now: () => new Date("2026-01-01T00:02:00Z"),
      deadLetters: { send: async () => {} },
      alerts: { publish: async () => {} },
      log: silentLog,
    },
    { targets: oneTarget(account), ...settings },
    options,
  );
}

describe("drainEvents stopRequested", () => {
  it("ends the drain once the events in hand are done, leaving the rest untouched in the journal", async () => {
    const events = ["e1", "e2", "e3"].map(
      (eventId, i): JournalEvent => ({
        eventId,
        eventName: "CreateTable",
        eventSource: "glue.amazonaws.com",
        eventTime: `2026-01-01T00:00:0${i}Z`,
        sourceAccount: "222222222222",
        sourceRegion: "us-east-1",
        capturedBy: "poller",
        capturedAt: "2026-01-01T00:01:00Z",
        tracked: true,
        record: "not a CloudTrail record",
        targets: {},
        status: "pending",
        version: 0,
      }),
    );
    const recorded: string[] = [];
    const journal: ReplicatorJournal = {
      getEvents: async (ids) =>
        new Map(events.filter((e) => ids.includes(e.eventId)).map((e) => [e.eventId, e])),
      setTargetState: async (eventId, _target, state) => {
        recorded.push(eventId);
        return { state, attempts: 1, updatedAt: "" };
      },
      advanceHighWaterMarks: async () => new Map(),
    };
    const outcomes = await drainOnOneTarget(
      events.map(({ eventId, eventTime, eventName }) => ({ eventId, eventTime, eventName })),
      { journal, run: async () => ({}) },
      "222222222222",
      { maxAttempts: 1 },
      { stopRequested: () => recorded.length >= 1 },
    );
    expect(recorded).toEqual(["e1"]);
    expect(outcomes.map((o) => [o.eventId, o.state])).toEqual([["e1", "failed"]]);
  });
});

describe("drainEvents lanes", () => {
  it("runs events on different tables side by side, after their database's event and in order per table", async () => {
    const account = "222222222222";
    const record = (eventName: string, second: number, requestParameters: object) =>
      glueRecord(account, eventName, second, requestParameters);
    const table = (name: string) => ({
      databaseName: "sales",
      tableInput: { name, storageDescriptor: { location: `s3://lake/${name}/` } },
    });
    const records = [
      record("CreateDatabase", 0, { databaseInput: { name: "sales" } }),
      record("CreateTable", 1, table("a")),
      record("CreateTable", 1, table("b")),
      record("CreatePartition", 2, {
        databaseName: "sales",
        tableName: "a",
        partitionInput: { values: ["1"], storageDescriptor: { location: "s3://lake/a/1/" } },
      }),
    ];
    const events = records.map((text, i) => pendingEvent(text, account, i));
    const journal: ReplicatorJournal = {
      getEvents: async (ids) =>
        new Map(events.filter((e) => ids.includes(e.eventId)).map((e) => [e.eventId, e])),
      setTargetState: async (_eventId, _target, state) => ({ state, attempts: 1, updatedAt: "" }),
      advanceHighWaterMarks: async () => new Map(),
    };
    // Each write waits for the next tick of the test, so the log shows what ran at the same time.
    const log: string[] = [];
    const run = async (operation: { operation: string; input: Record<string, unknown> }) => {
      const name = `${operation.operation}:${String((operation.input.TableInput as { Name?: string })?.Name ?? operation.input.TableName ?? "")}`;
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`end ${name}`);
      return {};
    };
    await drainOnOneTarget(
      events.map(({ eventId, eventTime, eventName }) => ({ eventId, eventTime, eventName })),
      { journal, run },
      account,
      { maxAttempts: 1 },
    );
    const at = (entry: string) => log.indexOf(entry);
    expect(at("end CreateDatabase:")).toBeLessThan(at("start CreateTable:a"));
    expect(at("end CreateDatabase:")).toBeLessThan(at("start CreateTable:b"));
    // The two tables overlap; the partition waits for its own table only.
    expect(at("start CreateTable:b")).toBeLessThan(at("end CreateTable:a"));
    expect(at("end CreateTable:a")).toBeLessThan(at("start CreatePartition:a"));
  });
});

describe("changeFromReads", () => {
  const source: ChangeSource = {
    eventId: "e1",
    eventName: "CreateTable",
    eventTime: "2026-01-01T00:00:00.000Z",
    account: "222222222222",
    region: "us-east-1",
  };
  const read = (operation: string, input: Record<string, unknown>): SourceRead => ({
    service: "glue",
    operation,
    input,
    resourceKey: "k",
    description: operation,
  });

  it("turns GetTable output into the TableInput of the change, without read-only fields", () => {
    const change = changeFromReads(
      source,
      [read("GetTable", { DatabaseName: "db", Name: "t" })],
      [
        {
          Table: {
            Name: "t",
            DatabaseName: "db",
            CreateTime: new Date(),
            VersionId: "3",
            Parameters: { EXTERNAL: "TRUE" },
            StorageDescriptor: { Columns: [{ Name: "Id", Type: "int" }], Location: "s3://b/t/" },
          },
        },
      ],
    );
    expect(change).toEqual({
      kind: "CreateTable",
      source,
      input: {
        DatabaseName: "db",
        TableInput: {
          Name: "t",
          Parameters: { EXTERNAL: "TRUE" },
          StorageDescriptor: { Columns: [{ Name: "Id", Type: "int" }], Location: "s3://b/t/" },
        },
      },
    });
  });

  it("replays every re-read partition for a batch create, and the settings for PutDataLakeSettings", () => {
    const partitions = changeFromReads(
      { ...source, eventName: "BatchCreatePartition" },
      [read("GetPartitions", { DatabaseName: "db", TableName: "t", CatalogId: "222222222222" })],
      [{ Partitions: [{ Values: ["1"], CreationTime: new Date() }, { Values: ["2"] }] }],
    );
    expect(partitions.input).toEqual({
      CatalogId: "222222222222",
      DatabaseName: "db",
      TableName: "t",
      PartitionInputList: [{ Values: ["1"] }, { Values: ["2"] }],
    });
    const settings = changeFromReads(
      { ...source, eventName: "PutDataLakeSettings" },
      [read("GetDataLakeSettings", {})],
      [{ DataLakeSettings: { DataLakeAdmins: [] } }],
    );
    expect(settings).toMatchObject({
      kind: "PutDataLakeSettings",
      input: { DataLakeSettings: { DataLakeAdmins: [] } },
    });
  });

  it("fails clearly when the read returned nothing usable", () => {
    expect(() => changeFromReads(source, [read("GetTable", { DatabaseName: "db" })], [{}])).toThrow(
      "GetTable returned no Table",
    );
  });
});

describe("targets", () => {
  const config = parseConfig(
    {
      source: { account: "222222222222", region: "us-east-1" },
      targets: [
        {
          name: "west",
          account: "222222222222",
          region: "us-west-2",
          mapping: { buckets: { "src-a": "a-west" } },
        },
        {
          name: "dr",
          account: "333333333333",
          region: "us-east-1",
          roleArn: "arn:aws:iam::333333333333:role/r",
        },
      ],
      mapping: { buckets: { "src-a": "a-dr1", "src-b": "b-dr1" } },
      batch: { backupBucket: "backups-bucket" },
    },
    "test",
  );

  it("fans out to every configured target with the target's mapping over the shared one, flags on top", () => {
    const targets = resolveTargets(config, { bucketMap: ["src-b=b-flag"] }, config.source);
    expect(targets.map((t) => [t.location, t.mapping.buckets])).toEqual([
      [
        { name: "west", account: "222222222222", region: "us-west-2" },
        { "src-a": "a-west", "src-b": "b-flag" },
      ],
      [
        {
          name: "dr",
          account: "333333333333",
          region: "us-east-1",
          roleArn: "arn:aws:iam::333333333333:role/r",
        },
        { "src-a": "a-dr1", "src-b": "b-flag" },
      ],
    ]);
  });

  it("without a config, the flags name the one target", () => {
    const [only] = resolveTargets(
      undefined,
      { targetRegion: "eu-west-1" },
      { account: "222222222222", region: "us-east-1" },
    );
    expect(only?.location).toEqual({ name: "target", account: "222222222222", region: "eu-west-1" });
  });

  it("the replicate switches turn event families off", () => {
    const replicate = { ...config.replicate, permissions: false, deletes: false };
    expect(switchedOff("GrantPermissions", replicate)).toBe("replicate.permissions is off");
    expect(switchedOff("DeleteTable", replicate)).toBe("replicate.deletes is off");
    expect(switchedOff("CreateTable", replicate)).toBeUndefined();
  });
});

describe("ordering, outcomes and environment", () => {
  it("orders by eventTime; within one second additions parents first, updates, removals children first", () => {
    const refs = [
      { eventId: "drop-db", eventTime: "2026-01-01T00:00:01Z", eventName: "DeleteDatabase" },
      { eventId: "drop-partition", eventTime: "2026-01-01T00:00:01Z", eventName: "DeletePartition" },
      { eventId: "update", eventTime: "2026-01-01T00:00:01Z", eventName: "UpdateTable" },
      { eventId: "table", eventTime: "2026-01-01T00:00:01Z", eventName: "CreateTable" },
      { eventId: "db", eventTime: "2026-01-01T00:00:01Z", eventName: "CreateDatabase" },
      { eventId: "earlier", eventTime: "2026-01-01T00:00:00Z", eventName: "DeleteTable" },
    ];
    expect([...refs].sort(byEventTime).map((r) => r.eventId)).toEqual([
      "earlier",
      "db",
      "table",
      "update",
      "drop-partition",
      "drop-db",
    ]);
  });

  it("formats one line per event and target", () => {
    const outcome: TargetOutcome = {
      eventId: "e1",
      eventName: "UpdateTable",
      eventTime: "2026-01-01T00:00:00Z",
      target: "west",
      state: "failed",
      reason: "boom",
      attempts: 1,
      final: false,
      lagSeconds: 3,
    };
    expect(outcomeLine(outcome)).toBe("2026-01-01T00:00:00Z UpdateTable e1 -> west: failed (boom)");
    expect(outcomeLine({ ...outcome, state: "applied", reason: undefined } as TargetOutcome)).toBe(
      "2026-01-01T00:00:00Z UpdateTable e1 -> west: applied",
    );
  });

  it("a target needs work until it is settled or out of attempts", () => {
    const state = (s: "failed" | "applied", attempts: number) => ({ state: s, attempts, updatedAt: "" });
    expect(needsWork(undefined, 3)).toBe(true);
    expect(needsWork(state("failed", 2), 3)).toBe(true);
    expect(needsWork(state("failed", 3), 3)).toBe(false);
    expect(needsWork(state("applied", 1), 3)).toBe(false);
  });

  it("reads the settings the stack resolved from the Lambda environment, with maxAttempts overridable", () => {
    const config = parseConfig(
      {
        source: { account: "222222222222", region: "us-east-1" },
        targets: [{ name: "west", account: "333333333333", region: "us-west-2", iceberg: "skip" }],
        mapping: { buckets: { lake: "lake-west" } },
        replicate: { deletes: false },
        batch: { backupBucket: "backups-bucket" },
      },
      "config.json",
    );
    const settings = deployedReplicatorSettings(config);
    const env = {
      [REPLICATOR_ENV.journalTable]: "journal",
      [REPLICATOR_ENV.settings]: JSON.stringify(settings),
      [REPLICATOR_ENV.deadLetterQueueUrl]: "https://sqs.us-east-1.amazonaws.com/222222222222/dlq",
      [REPLICATOR_ENV.alertTopicArn]: "arn:aws:sns:us-east-1:222222222222:alerts",
      AWS_REGION: "us-east-1",
    };
    const parsed = parseReplicatorEnv(env);
    expect(parsed).toMatchObject({ journalTable: "journal", region: "us-east-1" });
    // What `lakesync replicate` resolves from the same config, each target behind its writer role.
    const resolved = replicatorSettings(config, {}, config.source, 5);
    const writer = "arn:aws:iam::333333333333:role/lakesync-source-west-writer";
    expect(parsed.settings).toEqual({
      ...resolved,
      targets: resolved.targets.map((t) => ({ ...t, location: { ...t.location, roleArn: writer } })),
    });
    expect(parsed.settings.targets[0]).toMatchObject({
      mapping: { buckets: { lake: "lake-west" }, accounts: {}, principals: {} },
      protectedAdmins: expect.arrayContaining([writer]),
      iceberg: "skip",
    });
    expect(parsed.settings.replicate?.deletes).toBe(false);
    expect(parseReplicatorEnv({ ...env, [REPLICATOR_ENV.maxAttempts]: "2" }).settings.maxAttempts).toBe(2);
    // SDK-call tracing: off unless the stack sets the variable (deployment.lambda.traceSdkCalls).
    expect(parsed.traceSdkCalls).toBe(false);
    expect(parseReplicatorEnv({ ...env, [REPLICATOR_ENV.traceSdkCalls]: "true" }).traceSdkCalls).toBe(true);
    expect(() => parseReplicatorEnv({ ...env, [REPLICATOR_ENV.traceSdkCalls]: "yes" })).toThrow(
      /LAKESYNC_TRACE_SDK_CALLS/,
    );
    expect(() => parseReplicatorEnv({ ...env, [REPLICATOR_ENV.alertTopicArn]: undefined })).toThrow(
      REPLICATOR_ENV.alertTopicArn,
    );
    expect(() => parseReplicatorEnv({ ...env, [REPLICATOR_ENV.settings]: "{targets" })).toThrow(
      /LAKESYNC_REPLICATOR_SETTINGS is not JSON/,
    );
    const noAccount = { ...settings, targets: [{ ...settings.targets[0], location: { name: "west" } }] };
    expect(() =>
      parseReplicatorEnv({ ...env, [REPLICATOR_ENV.settings]: JSON.stringify(noAccount) }),
    ).toThrow(/LAKESYNC_REPLICATOR_SETTINGS\.targets\.0\.location\.account/);
  });
});

describe("readSource", () => {
  const read = (operation: string): TargetOperation => ({
    ...op(operation, { DatabaseName: "db", TableName: "t" }, "k", "read"),
    description: `read ${operation}`,
  });
  const noWait = { sleep: async () => {}, delay: () => 0, maxAttempts: 3 };

  it("follows GetPartitions to its last page", async () => {
    const tokens: unknown[] = [];
    const pages: Record<string, Record<string, unknown>> = {
      first: { Partitions: [{ Values: ["1"] }], NextToken: "p2" },
      p2: { Partitions: [{ Values: ["2"] }] },
    };
    const output = await readSource(read("GetPartitions"), {
      ...noWait,
      run: async (operation) => {
        tokens.push(operation.input.NextToken);
        return pages[String(operation.input.NextToken ?? "first")] ?? {};
      },
    });
    expect(tokens).toEqual([undefined, "p2"]);
    expect(output).toEqual({ Partitions: [{ Values: ["1"] }, { Values: ["2"] }] });
  });

  it("retries throttling, answers gone for a missing object, and gives up on access denied", async () => {
    const error = (name: string) =>
      Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 } });
    let calls = 0;
    const throttledOnce = await readSource(read("GetTable"), {
      ...noWait,
      run: async () => {
        calls++;
        if (calls === 1) throw error("ThrottlingException");
        return { Table: { Name: "t" } };
      },
    });
    expect([calls, throttledOnce]).toEqual([2, { Table: { Name: "t" } }]);
    const gone = await readSource(read("GetTable"), {
      ...noWait,
      run: async () => Promise.reject(error("EntityNotFoundException")),
    });
    expect(gone).toBe("gone");
    await expect(
      readSource(read("GetTable"), {
        ...noWait,
        run: async () => Promise.reject(error("AccessDeniedException")),
      }),
    ).rejects.toThrow("read GetTable failed: AccessDenied");
  });
});

describe("insertedEvent (stream records the replicator acts on)", () => {
  const record = (eventName: "INSERT" | "MODIFY" | "REMOVE", pk: string): DynamoDBRecord => ({
    eventName,
    dynamodb: {
      NewImage: {
        pk: { S: pk },
        eventId: { S: pk.replace("EVENT#", "") },
        eventTime: { S: "2026-01-01T00:00:00Z" },
        eventName: { S: "CreateTable" },
      },
    },
  });

  it("takes INSERTs of event items only: not state updates, checkpoints or high-water marks", () => {
    expect(insertedEvent(record("INSERT", "EVENT#e1"))).toEqual({
      eventId: "e1",
      eventTime: "2026-01-01T00:00:00Z",
      eventName: "CreateTable",
    });
    expect(insertedEvent(record("MODIFY", "EVENT#e1"))).toBeUndefined();
    expect(insertedEvent(record("INSERT", "CHECKPOINT#1#us-east-1#glue.amazonaws.com"))).toBeUndefined();
    expect(insertedEvent(record("INSERT", "HWM#west|table:1/db/t"))).toBeUndefined();
  });
});

describe("drainEvents parent search", () => {
  it("works a pending parent in the child's database after a NotFound round, and leaves other databases' events", async () => {
    const account = "222222222222";
    const record = (eventName: string, requestParameters: object) =>
      glueRecord(account, eventName, 1, requestParameters);
    const table = (databaseName: string) => ({
      databaseName,
      tableInput: { name: "a", storageDescriptor: { location: `s3://lake/${databaseName}/a/` } },
    });
    const events = [
      record("CreatePartition", {
        databaseName: "sales",
        tableName: "a",
        partitionInput: { values: ["1"], storageDescriptor: { location: "s3://lake/a/1/" } },
      }),
      record("CreateTable", table("sales")),
      record("CreateTable", table("other")),
    ].map((text) => pendingEvent(text, account));
    const [child, parent, stranger] = events as [JournalEvent, JournalEvent, JournalEvent];
    const attempts = new Map<string, number>();
    const asked: string[] = [];
    const journal: ReplicatorJournal = {
      getEvents: async (ids) =>
        new Map(
          events
            .filter((e) => ids.includes(e.eventId))
            .map((e) => {
              const n = attempts.get(e.eventId) ?? 0;
              const targets = n
                ? {
                    [oneTarget(account)[0]?.location.name ?? ""]: {
                      state: "failed" as const,
                      attempts: n,
                      updatedAt: "",
                    },
                  }
                : {};
              return [e.eventId, { ...e, targets }];
            }),
        ),
      setTargetState: async (eventId, _target, state) => {
        const n = (attempts.get(eventId) ?? 0) + 1;
        attempts.set(eventId, n);
        return { state, attempts: n, updatedAt: "" };
      },
      advanceHighWaterMarks: async () => new Map(),
      pendingEvents: async (query) => {
        asked.push(`${query.notAfter} ${query.eventNames.includes("CreateTable")}`);
        return [parent, stranger].map(({ eventId, eventTime, eventName }) => ({
          eventId,
          eventTime,
          eventName,
        }));
      },
    };
    const tables = new Set<string>();
    const calls: string[] = [];
    const run = async (operation: { operation: string; input: Record<string, unknown> }) => {
      const database = String(operation.input.DatabaseName);
      calls.push(`${operation.operation}:${database}`);
      if (operation.operation === "CreateTable") tables.add(database);
      else if (!tables.has(database)) {
        throw Object.assign(new Error("Table a not found"), { name: "EntityNotFoundException" });
      }
      return {};
    };
    const outcomes = await drainOnOneTarget(
      [{ eventId: child.eventId, eventTime: child.eventTime, eventName: child.eventName }],
      { journal, run },
      account,
      { maxAttempts: 3, operationAttempts: 1 },
    );
    expect(asked).toEqual(["2026-01-01T00:00:01Z true"]);
    expect(outcomes.map((o) => [o.eventName, o.state, o.attempts])).toEqual([
      ["CreatePartition", "failed", 1],
      ["CreateTable", "applied", 1],
      ["CreatePartition", "applied", 2],
    ]);
    expect(calls.filter((c) => c.endsWith(":other"))).toEqual([]);
  });
});
