// Journal retention on local DynamoDB, driven by the replicator core: an event gets expiresAt once
// every target has concluded it (applied, noop, skipped, or failed after maxAttempts), never while
// work is left, and checkpoints and high-water marks never do.
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { createJournalTable, JournalStore } from "../../modules/aws/journal-store.ts";
import { newJournalEvent } from "../../modules/journal/event-item.ts";
import { JOURNAL_TABLE } from "../../modules/journal/keys.ts";
import type { OperationOutput } from "../../modules/operations/runner.ts";
import type { CloudTrailRecord } from "../../modules/replication/cloudtrail-record.ts";
import { silentLog } from "../../modules/replicator/ports.ts";
import {
  type ReplicatorDeps,
  type ReplicatorSettings,
  replicateEvent,
} from "../../modules/replicator/replicate-event.ts";
import type { ReplicationTarget } from "../../modules/replicator/targets.ts";
import { client, testLocation } from "../support/local-aws.ts";

const source = testLocation("us-east-1");
const day = 24 * 3600;
const now = new Date("2026-03-01T00:00:00Z");
const nowSeconds = now.getTime() / 1000;
let journal: JournalStore;

const awsError = (name: string) => Object.assign(new Error(name), { name });

/** Target catalogs in memory: deletes find nothing, and some calls are refused. */
const runner = async (operation: {
  operation: string;
  input: unknown;
  target: { name: string };
}): Promise<OperationOutput> => {
  const input = operation.input as { DatabaseInput?: { Name?: string }; Name?: string };
  const name = input.DatabaseInput?.Name ?? input.Name ?? "";
  if (name.startsWith("denied")) throw awsError("AccessDeniedException");
  if (name.startsWith("partly") && operation.target.name === "east") throw awsError("AccessDeniedException");
  if (operation.operation === "DeleteDatabase") throw awsError("EntityNotFoundException");
  return {};
};

const target = (name: string): ReplicationTarget => ({
  location: { name, account: source.account, region: "us-west-2" },
  mapping: { buckets: {}, accounts: {}, principals: {} },
  filters: { include: [], exclude: ["skipped_*"] },
  protectedAdmins: [],
});

const deps: ReplicatorDeps = {
  journal: undefined as unknown as JournalStore,
  run: runner as ReplicatorDeps["run"],
  sleep: async () => {},
  now: () => now,
  deadLetters: { send: async () => {} },
  alerts: { publish: async () => {} },
  log: silentLog,
};

const settings = (targets: string[], maxAttempts: number): ReplicatorSettings => ({
  targets: targets.map(target),
  maxAttempts,
  operationAttempts: 1,
  journalRetentionDays: 7,
});

let sequence = 0;
function record(eventName: string, requestParameters: Record<string, unknown>): CloudTrailRecord {
  sequence += 1;
  return {
    eventVersion: "1.08",
    eventID: `retention-${sequence}`,
    eventTime: `2026-02-01T00:00:${String(sequence).padStart(2, "0")}Z`,
    eventSource: "glue.amazonaws.com",
    eventName,
    awsRegion: source.region,
    recipientAccountId: source.account,
    userIdentity: { type: "AssumedRole" },
    requestParameters,
    responseElements: null,
    readOnly: false,
  };
}

/** Journals the record, replicates it once and returns the stored item. */
async function replicateOnce(r: CloudTrailRecord, s: ReplicatorSettings) {
  await journal.putEvent(newJournalEvent(r, { capturedBy: "poller", capturedAt: now, tracked: true }));
  const event = await journal.getEvent(r.eventID);
  if (!event) throw new Error("not journaled");
  const outcomes = await replicateEvent(event, { ...deps, journal }, s);
  return { outcomes, item: await journal.getEvent(r.eventID) };
}

const createDatabase = (name: string) => record("CreateDatabase", { databaseInput: { name } });

beforeAll(async () => {
  await createJournalTable(client("dynamodb", source), "retention");
  journal = new JournalStore(client("dynamodb", source), { tableName: "retention", now: () => now });
});

describe("journal retention", () => {
  it("concluded events expire retention days after they concluded: applied, noop, skipped", async () => {
    for (const [r, state] of [
      [createDatabase("sales"), "applied"],
      [record("DeleteDatabase", { name: "gone" }), "noop"],
      [createDatabase("skipped_scratch"), "skipped"],
    ] as const) {
      const { outcomes, item } = await replicateOnce(r, settings(["west"], 3));
      expect(outcomes.map((o) => o.state)).toEqual([state]);
      expect(item?.[JOURNAL_TABLE.ttlAttribute]).toBe(nowSeconds + 7 * day);
    }
  });

  it("a failure expires only once it is final; a replay back to pending removes the expiry", async () => {
    const retried = await replicateOnce(createDatabase("denied_once"), settings(["west"], 2));
    expect(retried.outcomes.map((o) => [o.state, o.final])).toEqual([["failed", false]]);
    expect(retried.item?.expiresAt).toBeUndefined();

    const final = await replicateOnce(createDatabase("denied_final"), settings(["west"], 1));
    expect(final.outcomes.map((o) => [o.state, o.final])).toEqual([["failed", true]]);
    expect(final.item?.expiresAt).toBe(nowSeconds + 7 * day);

    const eventId = final.item?.eventId ?? "";
    await journal.setTargetState(eventId, "west", "pending", { reason: "retry requested" });
    expect((await journal.getEvent(eventId))?.expiresAt).toBeUndefined();
  });

  it("an event expires only when every target concluded it", async () => {
    const twoTargets = settings(["west", "east"], 2);
    const first = await replicateOnce(createDatabase("partly_denied"), twoTargets);
    expect(first.outcomes.map((o) => [o.target, o.state]).sort()).toEqual([
      ["east", "failed"],
      ["west", "applied"],
    ]);
    expect(first.item?.expiresAt).toBeUndefined();

    // The second attempt is east's last: the event has concluded on both targets now.
    const event = await journal.getEvent(first.item?.eventId ?? "");
    if (!event) throw new Error("event gone");
    const second = await replicateEvent(event, { ...deps, journal }, twoTargets);
    expect(second.map((o) => [o.target, o.state, o.final])).toEqual([["east", "failed", true]]);
    expect((await journal.getEvent(event.eventId))?.expiresAt).toBe(nowSeconds + 7 * day);
  });

  it("pending events, checkpoints and high-water marks never carry expiresAt", async () => {
    await journal.putEvent(
      newJournalEvent(createDatabase("waiting"), {
        capturedBy: "eventbridge",
        capturedAt: now,
        tracked: true,
      }),
    );
    await journal.putCheckpoint(
      { account: source.account, region: source.region, eventSource: "glue.amazonaws.com" },
      { eventTime: "2026-02-01T00:00:00Z", updatedAt: "2026-02-01T00:00:00Z" },
    );
    await journal.advanceHighWaterMark("table/x", "2026-02-01T00:00:00Z", "e1");
    const { Items = [] } = await client("dynamodb", source).send(new ScanCommand({ TableName: "retention" }));
    const items = Items.map((i) => unmarshall(i));
    const keep = items.filter((i) => i.status === "pending" || !String(i.pk).startsWith("EVENT#"));
    expect(keep.map((i) => String(i.pk).split("#")[0]).sort()).toEqual(
      expect.arrayContaining(["CHECKPOINT", "EVENT", "HWM"]),
    );
    for (const item of keep) expect(item[JOURNAL_TABLE.ttlAttribute], String(item.pk)).toBeUndefined();
  });
});
