// Works a set of journaled events until each target is settled or failed for good. Events run in
// eventTime order; a failed attempt with attempts left goes round again after the others, after an
// exponential backoff. That is what lets an event that depends on one in the same second (a
// CreateTable journaled before its CreateDatabase) converge whatever order they arrive in.
// Events on a resource whose earlier event is waiting for another round wait with it, so a retried
// event can never land after (and undo) a newer change to the same resource.
// A stream batch only holds what was journaled before it: capture can journal a child (a
// partition) ahead of its parent (its table), so the parent may sit, pending, in a later batch.
// When an event fails for a missing parent, the next round also works the pending events that
// could have created it (see parentSearch); their own stream records find them settled later.
import pLimit from "p-limit";
import type { JournalEvent } from "../journal/event-item.ts";
import { backoffDelay } from "../operations/retry.ts";
import { parseCloudTrailInput } from "../replication/cloudtrail-record.ts";
import {
  type ReplicatorDeps,
  type ReplicatorSettings,
  replicateEvent,
  type TargetOutcome,
} from "./replicate-event.ts";
import { recordResourceKeys } from "./resource-keys.ts";

export interface EventRef {
  eventId: string;
  eventTime: string;
  /** Breaks ties between events of the same second (see byEventTime). */
  eventName?: string;
}

export interface DrainOptions {
  /** Backoff between rounds: full jitter over base * 2^(round-1), at most max. */
  roundBaseDelayMs?: number;
  roundMaxDelayMs?: number;
  onOutcome?: (outcome: TargetOutcome) => void;
  /** Events worked at once, on different tables (default DEFAULT_DRAIN_CONCURRENCY). */
  concurrency?: number;
  /**
   * Asked before each event: true ends the drain once the events in hand are done (Ctrl-C on
   * `replicate --follow`). What is left stays pending in the journal for the next run.
   */
  stopRequested?: () => boolean;
}

/**
 * CloudTrail times have 1 s resolution, so events of one second have no known order. Within a
 * second, additions go before updates and updates before removals (the usual life of an object);
 * additions run parents first (settings, databases, tables, partitions, tags, filters, tag
 * assignments, grants) and removals children first. Retry rounds cover what this gets wrong.
 */
const additionOrder = [
  "PutDataLakeSettings",
  "RegisterResource",
  "CreateDatabase",
  "CreateTable",
  "CreatePartition",
  "BatchCreatePartition",
  "CreateLFTag",
  "CreateDataCellsFilter",
  "AddLFTagsToResource",
  "GrantPermissions",
  "BatchGrantPermissions",
];
const removalOrder = [
  "RevokePermissions",
  "BatchRevokePermissions",
  "RemoveLFTagsFromResource",
  "DeleteDataCellsFilter",
  "DeleteLFTag",
  "DeletePartition",
  "BatchDeletePartition",
  "DeleteTable",
  "BatchDeleteTable",
  "DeleteDatabase",
  "DeregisterResource",
];

function sameSecondRank(eventName = ""): number {
  const addition = additionOrder.indexOf(eventName);
  if (addition >= 0) return addition;
  const removal = removalOrder.indexOf(eventName);
  if (removal >= 0) return 200 + removal;
  return 100; // updates, and events the replicator does not replay
}

export function byEventTime(a: EventRef, b: EventRef): number {
  if (a.eventTime !== b.eventTime) return a.eventTime < b.eventTime ? -1 : 1;
  return sameSecondRank(a.eventName) - sameSecondRank(b.eventName);
}

/**
 * Every outcome recorded, in the order recorded; the last one per event+target is final.
 *
 * Each round reads its events in a few batch reads, then works them in eventTime order in lanes:
 * events on one table (its partitions, indexes and filters) run one after another, events on
 * different tables side by side (at most `concurrency` at once); an event on a database as a whole
 * (the database, several of its tables) waits for every earlier event on that database and holds
 * back the later ones; every other event (Lake Formation permissions, tags, settings, locations,
 * or one touching several databases) is a barrier that waits for everything before it and holds
 * back everything after it.
 */
export async function drainEvents(
  events: readonly EventRef[],
  deps: ReplicatorDeps,
  settings: ReplicatorSettings,
  options: DrainOptions = {},
): Promise<TargetOutcome[]> {
  const outcomes: TargetOutcome[] = [];
  let queue = [...events].sort(byEventTime);
  // This round's events that failed for a missing parent: their databases and latest eventTime.
  let missingParents = noneMissing();
  // Events brought in as possible parents: worked only when they share a database with a child.
  const parentCandidates = new Set<string>();
  // An event's resources do not change between rounds: plan them once.
  const keysByEvent = new Map<string, string[]>();
  const limit = pLimit(options.concurrency ?? DEFAULT_DRAIN_CONCURRENCY);
  for (let round = 1; queue.length > 0; round++) {
    const wanted = missingParents;
    missingParents = noneMissing();
    const again = new Set<EventRef>();
    // Resources with an event waiting for the next round: later events on them wait too.
    const waiting = new Set<string>();
    const work = async (ref: EventRef, event: JournalEvent, keys: readonly string[]) => {
      if (options.stopRequested?.()) return;
      if (keys.some((key) => waiting.has(key))) {
        again.add(ref);
        return;
      }
      const recorded = await replicateEvent(event, deps, settings);
      for (const outcome of recorded) {
        outcomes.push(outcome);
        options.onOutcome?.(outcome);
      }
      if (recorded.some(failedForMissingParent)) {
        missingParents.databases.add(laneOf(keys)?.database ?? ANY_DATABASE);
        // eventTimes are fixed-width ISO strings: string order is time order.
        if (event.eventTime > missingParents.latest) missingParents.latest = event.eventTime;
      }
      if (recorded.some((o) => !o.final)) {
        again.add(ref);
        for (const key of keys) waiting.add(key);
      }
    };
    // In eventTime order: one lane per table under its database's, anything else a barrier (see above).
    const workInLanes = async (window: readonly EventRef[], journaled: Map<string, JournalEvent>) => {
      const databases = new Map<string, DatabaseLanes>();
      let barrier: Promise<unknown> = Promise.resolve();
      const started: Promise<void>[] = [];
      for (const ref of window) {
        const event = journaled.get(ref.eventId);
        if (!event) {
          deps.log.warn("journal event vanished", { eventId: ref.eventId });
          continue;
        }
        let keys = keysByEvent.get(event.eventId);
        if (!keys) {
          keys = resourceKeysOf(event);
          keysByEvent.set(event.eventId, keys);
        }
        const lane = laneOf(keys);
        if (parentCandidates.has(ref.eventId)) {
          parentCandidates.delete(ref.eventId);
          if (!parentWanted(lane, wanted.databases)) continue;
        }
        const db = lane ? databases.get(lane.database) : undefined;
        const tableTail = lane?.table === undefined ? undefined : db?.tables.get(lane.table);
        const before =
          lane === undefined
            ? Promise.all([barrier, ...[...databases.values()].flatMap(tailsOf)])
            : lane.table === undefined
              ? Promise.all([barrier, ...(db ? tailsOf(db) : [])])
              : Promise.all([barrier, db?.whole, tableTail]);
        const run = before.then(() => limit(() => work(ref, event, keys)));
        if (lane === undefined) {
          barrier = run;
          databases.clear();
        } else if (lane.table === undefined) {
          databases.set(lane.database, { whole: run, tables: new Map() });
        } else {
          const lanes = db ?? { whole: Promise.resolve(), tables: new Map() };
          lanes.tables.set(lane.table, run);
          databases.set(lane.database, lanes);
        }
        started.push(run);
      }
      await Promise.all(started);
    };
    // Windows of READ_WINDOW events: one batch read each, and only their records in memory.
    for (let start = 0; start < queue.length; start += READ_WINDOW) {
      if (options.stopRequested?.()) return outcomes;
      const window = queue.slice(start, start + READ_WINDOW);
      const journaled = await deps.journal.getEvents(window.map((ref) => ref.eventId));
      await workInLanes(window, journaled);
    }
    if (options.stopRequested?.()) return outcomes;
    queue = queue.filter((ref) => again.has(ref));
    if (queue.length > 0) {
      await deps.sleep(
        backoffDelay(round, {
          baseDelayMs: options.roundBaseDelayMs ?? 1000,
          maxDelayMs: options.roundMaxDelayMs ?? 30_000,
          // Half fixed, half jitter: every round waits a little, so a dependency has time to land.
          random: () => 0.5 + (deps.random ?? Math.random)() / 2,
        }),
      );
      // After the wait, so a parent journaled meanwhile is found too.
      if (missingParents.databases.size > 0 && deps.journal.pendingEvents) {
        const found = await parentSearch(missingParents, queue, deps);
        for (const ref of found) parentCandidates.add(ref.eventId);
        // The next round keeps only the candidates in these databases (workInLanes).
        queue = [...queue, ...found].sort(byEventTime);
      }
    }
  }
  return outcomes;
}

/** Events that can create what another event needs: the parents a NotFound failure can lack. */
export const PARENT_EVENTS = [
  "RegisterResource",
  "CreateDatabase",
  "CreateTable",
  "CreateLFTag",
  "CreateDataCellsFilter",
];

/** Pending events looked at per parent search (the newest at or before the latest child). */
const PARENT_SEARCH_LIMIT = 100;

const ANY_DATABASE = "*";

/** Children that failed for a missing parent: their databases (ANY_DATABASE: outside one) and the latest's eventTime. */
interface MissingParents {
  databases: Set<string>;
  latest: string;
}

const noneMissing = (): MissingParents => ({ databases: new Set(), latest: "" });

/** A failure that will be tried again and names a missing object (Glue EntityNotFound and kin). */
function failedForMissingParent(outcome: TargetOutcome): boolean {
  return outcome.state === "failed" && !outcome.final && /\bNotFound\b/.test(outcome.reason ?? "");
}

/**
 * Pending parent events (PARENT_EVENTS) no later than the latest child that missed one, not
 * already in the queue: one status-index query, capped. Working them is safe whoever else does:
 * a target's state is written on the attempts it was read with, so a second worker (the parent's
 * own stream record, another drain) finds it settled or loses the race and records nothing.
 */
async function parentSearch(
  missing: MissingParents,
  queue: readonly EventRef[],
  deps: ReplicatorDeps,
): Promise<EventRef[]> {
  const queued = new Set(queue.map((ref) => ref.eventId));
  const found =
    (await deps.journal.pendingEvents?.({
      notAfter: missing.latest,
      eventNames: PARENT_EVENTS,
      limit: PARENT_SEARCH_LIMIT,
    })) ?? [];
  if (found.length > 0)
    deps.log.info("working pending events that may be missing parents", { count: found.length });
  return found.filter((ref) => !queued.has(ref.eventId));
}

/**
 * A candidate parent is worked when it is in the database of a child that missed one, or outside
 * every database (an LF tag, a registered location: anyone's parent).
 */
function parentWanted(lane: Lane | undefined, wanted: ReadonlySet<string>): boolean {
  return lane === undefined || wanted.has(ANY_DATABASE) || wanted.has(lane.database);
}

/** Events read per BatchGetItem and held at once (the API's limit). */
const READ_WINDOW = 100;

/** Events worked at once by one drain (on different tables). */
export const DEFAULT_DRAIN_CONCURRENCY = 8;

/** `catalog/database` and, for an event on one table's objects, that table. */
export interface Lane {
  database: string;
  table?: string;
}

/** The tail of a database's lanes: its last database-wide event and each table's last event. */
interface DatabaseLanes {
  whole: Promise<unknown>;
  tables: Map<string, Promise<unknown>>;
}

const tailsOf = (lanes: DatabaseLanes): Promise<unknown>[] => [lanes.whole, ...lanes.tables.values()];

const databaseScoped = /^(?:database|table|partition|datacellsfilter):([^/]*\/[^/]*)(?:\/([^/#]*))?/;

/**
 * The lane of an event: its table when its resources all belong to one table (the table, its
 * partitions, indexes and filters), its database when they are all in one database but not one
 * table (the database itself, several tables), or undefined when they are not all in one
 * database: such an event is a barrier in the drain. Events on one table run in order; a
 * database-wide event waits for every event before it on that database and holds back the rest.
 */
export function laneOf(keys: readonly string[]): Lane | undefined {
  let lane: Lane | undefined;
  for (const key of keys) {
    const match = databaseScoped.exec(key);
    const database = match?.[1];
    if (database === undefined || (lane !== undefined && lane.database !== database)) return undefined;
    const table = key.startsWith("database:") ? undefined : match?.[2];
    if (lane === undefined) lane = table === undefined ? { database } : { database, table };
    else if (lane.table !== table) lane = { database };
  }
  return lane;
}

function resourceKeysOf(event: JournalEvent): string[] {
  try {
    const [record] = event.record === undefined ? [] : parseCloudTrailInput(event.record);
    return record ? recordResourceKeys(record) : [];
  } catch {
    return [];
  }
}

/** `<eventTime> <eventName> <eventId> -> <target>: <state>[ (<reason>)]` */
export function outcomeLine(outcome: TargetOutcome): string {
  const reason = outcome.reason ? ` (${outcome.reason})` : "";
  return `${outcome.eventTime} ${outcome.eventName} ${outcome.eventId} -> ${outcome.target}: ${outcome.state}${reason}`;
}
