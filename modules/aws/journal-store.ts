// DynamoDB (+ S3 for oversized records) adapter of the event journal. Item layout and rules live
// in modules/journal; this file only moves them in and out of DynamoDB.

import { randomUUID } from "node:crypto";
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type CancellationReason,
  ConditionalCheckFailedException,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  paginateQuery,
  paginateScan,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { CheckpointStore, JournalWriter, PollCheckpoint, PutEventResult } from "../capture/ports.ts";
import { isoSeconds, type JournalEvent, parseS3Uri, recordFitsInline, s3Uri } from "../journal/event-item.ts";
import { type AdvanceResult, type HighWaterMark, mayAdvance } from "../journal/high-water-mark.ts";
import {
  type CheckpointScope,
  checkpointKey,
  EVENT_KEY_PREFIX,
  eventKey,
  highWaterMarkKey,
  JOURNAL_TABLE,
  journalKeyAttributes,
  recordObjectKey,
} from "../journal/keys.ts";
import { expiresAt, type RetentionRule } from "../journal/retention.ts";
import {
  aggregateStatus,
  canTransition,
  type EventStatus,
  nextTargetState,
  type TargetState,
  type TargetStateName,
} from "../journal/target-state.ts";
import { type PendingEventQuery, type PendingEventRef, StaleTargetStateError } from "../replicator/ports.ts";

export { StaleTargetStateError };

/**
 * The S3 commands, imported with the first record over DynamoDB's item limit (the journal's rare
 * path, as its S3 client is deferred: wiring/journal.ts), so a handler's cold start leaves them out.
 */
const s3Commands = async () => await import("./lazy/s3-objects.ts");

/** Whether the journal table exists (DescribeTable), so callers can create it or say what is missing. */
export async function journalTableExists(dynamo: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/** The journal table as JOURNAL_TABLE defines it: keys, status index and stream. */
export function journalTableInput(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: journalKeyAttributes().map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type,
    })),
    KeySchema: [{ AttributeName: JOURNAL_TABLE.partitionKey, KeyType: "HASH" }],
    GlobalSecondaryIndexes: JOURNAL_TABLE.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: "HASH" },
        ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: "RANGE" as const }] : []),
      ],
      Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: [...index.projectedAttributes] },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: JOURNAL_TABLE.streamViewType },
  };
}

/** Creates the journal table and waits for it (for local use; the stack does it on AWS). */
export async function createJournalTable(dynamo: DynamoDBClient, name: string): Promise<void> {
  await createTableAndWait(dynamo, journalTableInput(name));
}

/** CreateTable, then wait until the table is usable. */
export async function createTableAndWait(
  dynamo: DynamoDBClient,
  input: CreateTableCommandInput,
): Promise<void> {
  await dynamo.send(new CreateTableCommand(input));
  await waitUntilTableExists({ client: dynamo, maxWaitTime: 60 }, { TableName: input.TableName });
}

export class JournalEventNotFoundError extends Error {
  constructor(eventId: string) {
    super(`no journal event ${eventId}`);
    this.name = "JournalEventNotFoundError";
  }
}

export class InvalidTargetTransitionError extends Error {
  constructor(eventId: string, target: string, from: TargetStateName | undefined, to: TargetStateName) {
    super(`event ${eventId} target ${target}: cannot go from ${from ?? "(none)"} to ${to}`);
    this.name = "InvalidTargetTransitionError";
  }
}

export interface JournalStoreOptions {
  tableName: string;
  /** Where oversized records go; without it an oversized record is an error. */
  recordBucket?: string;
  s3?: S3Client;
  now?: () => Date;
}

export interface SetTargetStateOptions {
  reason?: string;
  /** Fail with StaleTargetStateError unless the target's attempts equal this. */
  expectedAttempts?: number;
  /**
   * The event as the caller last read it: the first write is conditioned on its version instead
   * of reading the item again (a changed item fails the condition and is read then).
   */
  current?: JournalEvent;
  /** When given, an event every target has concluded gets its expiry (JOURNAL_TABLE.ttlAttribute). */
  retention?: RetentionRule;
}

export class JournalStore implements JournalWriter, CheckpointStore {
  private readonly now: () => Date;

  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly options: JournalStoreOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  get tableName(): string {
    return this.options.tableName;
  }

  /** Stores the event once per eventID; a second capture (other path, overlapping poll) is "duplicate". */
  async putEvent(event: JournalEvent & { record: string }): Promise<PutEventResult> {
    try {
      await this.dynamo.send(new PutItemCommand(this.newEventPut(await this.storedForm(event))));
      return "stored";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return "duplicate";
      throw error;
    }
  }

  /**
   * Stores many events, each once per eventID, with the dedupe of putEvent: TransactWriteItems of
   * up to TRANSACTION_ITEMS conditional puts (BatchWriteItem cannot be conditional). A duplicate
   * cancels its transaction and the cancellation reasons name it; the others are written again
   * without it. Results are in input order; an eventID given twice is a duplicate the second time.
   */
  async putEvents(events: readonly (JournalEvent & { record: string })[]): Promise<PutEventResult[]> {
    const results: PutEventResult[] = new Array(events.length);
    const first = new Map<string, number>();
    const unique: number[] = [];
    events.forEach((event, i) => {
      if (first.has(event.eventId)) results[i] = "duplicate";
      else {
        first.set(event.eventId, i);
        unique.push(i);
      }
    });
    const stored: JournalEvent[] = [];
    for (const i of unique) stored[i] = await this.storedForm(events[i] as JournalEvent & { record: string });
    for (const chunk of transactionChunks(unique, (i) => itemBytes(stored[i] as JournalEvent))) {
      const outcome = await this.transactPuts(
        chunk,
        (i) => this.newEventPut(stored[i] as JournalEvent),
        () => true,
      );
      for (const i of chunk) results[i] = outcome.refused.has(i) ? "duplicate" : "stored";
    }
    return results;
  }

  /** The item form of an event: its record moved to S3 first when it is too large to stay inline. */
  private async storedForm(event: JournalEvent & { record: string }): Promise<JournalEvent> {
    const { record, ...rest } = event;
    if (recordFitsInline(record)) return event;
    const { recordBucket, s3 } = this.options;
    if (!recordBucket || !s3) {
      throw new Error(
        `record of event ${event.eventId} exceeds the item limit and no record bucket is configured`,
      );
    }
    const key = recordObjectKey(event.eventId);
    // Written before the item: a stored item always points at an existing object.
    const { PutObjectCommand } = await s3Commands();
    await s3.send(
      new PutObjectCommand({
        Bucket: recordBucket,
        Key: key,
        Body: record,
        ContentType: "application/json",
      }),
    );
    return { ...rest, recordS3: s3Uri(recordBucket, key) };
  }

  private newEventPut(event: JournalEvent) {
    return {
      TableName: this.tableName,
      Item: toItem({ [JOURNAL_TABLE.partitionKey]: eventKey(event.eventId), ...event }),
      ConditionExpression: "attribute_not_exists(#pk)",
      ExpressionAttributeNames: { "#pk": JOURNAL_TABLE.partitionKey },
    };
  }

  /**
   * Conditional puts in one TransactWriteItems, repeated without the members whose condition
   * failed and `refuse` confirms (given the item that failed it), until the rest is written.
   * Members cancelled for another reason (a concurrent transaction on the same item) are simply
   * sent again. Returns the refused members with the items that refused them.
   */
  private async transactPuts<T>(
    members: readonly T[],
    put: (member: T) => ReturnType<JournalStore["newEventPut"]> & {
      ExpressionAttributeValues?: Record<string, AttributeValue>;
    },
    refuse: (member: T, current: Record<string, unknown> | undefined) => boolean,
  ): Promise<{ refused: Map<T, Record<string, unknown> | undefined> }> {
    const refused = new Map<T, Record<string, unknown> | undefined>();
    let pending = [...members];
    for (let round = 0; pending.length > 0; round++) {
      if (round >= TRANSACTION_ROUNDS) {
        throw new Error(`journal: ${pending.length} conditional writes kept conflicting with other writers`);
      }
      try {
        await this.dynamo.send(
          new TransactWriteItemsCommand({
            TransactItems: pending.map((member) => ({
              Put: { ...put(member), ReturnValuesOnConditionCheckFailure: "ALL_OLD" },
            })),
            // Makes the SDK's own retry of this request idempotent (a timed-out success is not
            // then reported as a failed condition); a later, separate call is a new transaction.
            ClientRequestToken: randomUUID(),
          }),
        );
        return { refused };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        pending = pending.filter((member, n) => {
          const reason = reasons[n];
          if (reason?.Code !== "ConditionalCheckFailed") return true;
          const current = reason.Item ? unmarshall(reason.Item) : undefined;
          if (!refuse(member, current)) return true;
          refused.set(member, current);
          return false;
        });
      }
    }
    return { refused };
  }

  /** Events by id, read in BatchGetItem calls of up to 100 (strongly consistent, like getEvent). */
  async getEvents(eventIds: readonly string[]): Promise<Map<string, JournalEvent>> {
    const found = new Map<string, JournalEvent>();
    const ids = [...new Set(eventIds)];
    for (let start = 0; start < ids.length; start += BATCH_GET_KEYS) {
      let keys: Record<string, AttributeValue>[] | undefined = ids
        .slice(start, start + BATCH_GET_KEYS)
        .map((id) => toItem({ [JOURNAL_TABLE.partitionKey]: eventKey(id) }));
      for (let round = 0; keys && keys.length > 0; round++) {
        if (round >= TRANSACTION_ROUNDS)
          throw new Error("journal: BatchGetItem kept leaving keys unprocessed");
        const output: BatchGetItemCommandOutput = await this.dynamo.send(
          new BatchGetItemCommand({
            RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } },
          }),
        );
        for (const item of output.Responses?.[this.tableName] ?? []) {
          const value = unmarshall(item);
          delete value[JOURNAL_TABLE.partitionKey];
          const event = value as JournalEvent;
          found.set(event.eventId, await this.withRecord(event));
        }
        keys = output.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }

  /** The event with its record (fetched from S3 when it lives there). */
  async getEvent(eventId: string): Promise<JournalEvent | undefined> {
    const event = await this.getItem<JournalEvent>(eventKey(eventId));
    return event ? this.withRecord(event) : undefined;
  }

  private async withRecord(event: JournalEvent): Promise<JournalEvent> {
    if (event.record === undefined && event.recordS3) {
      const { s3 } = this.options;
      if (!s3)
        throw new Error(
          `event ${event.eventId} keeps its record in ${event.recordS3}; no S3 client configured`,
        );
      const { bucket, key } = parseS3Uri(event.recordS3);
      const { GetObjectCommand } = await s3Commands();
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      event.record = await object.Body?.transformToString("utf-8");
    }
    return event;
  }

  /**
   * Records a target's state. Conditional twice over: on `expectedAttempts` (two workers racing on
   * one target) and on the item's version (another target updated between read and write, which
   * changes the aggregate status; that case is simply retried).
   */
  async setTargetState(
    eventId: string,
    target: string,
    state: TargetStateName,
    options: SetTargetStateOptions = {},
  ): Promise<TargetState> {
    let known = options.current;
    for (let round = 0; round < 10; round++) {
      const event = known ?? (await this.getItem<JournalEvent>(eventKey(eventId)));
      known = undefined;
      if (!event) throw new JournalEventNotFoundError(eventId);
      const current = event.targets[target];
      const attempts = current?.attempts ?? 0;
      if (options.expectedAttempts !== undefined && attempts !== options.expectedAttempts) {
        throw new StaleTargetStateError(eventId, target, options.expectedAttempts, attempts);
      }
      if (!canTransition(current?.state, state)) {
        throw new InvalidTargetTransitionError(eventId, target, current?.state, state);
      }
      const now = this.now();
      const next = nextTargetState(current, state, now.toISOString(), options.reason);
      const targets = { ...event.targets, [target]: next };
      const status = aggregateStatus(targets);
      // Set once every target has concluded; removed again by a replay back to pending.
      const expiry = options.retention ? expiresAt(targets, options.retention, now) : undefined;
      const set = "SET #targets.#target = :next, #status = :status, #version = :nextVersion";
      try {
        await this.dynamo.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: toItem({ [JOURNAL_TABLE.partitionKey]: eventKey(eventId) }),
            UpdateExpression:
              expiry === undefined ? `${set} REMOVE #expiresAt` : `${set}, #expiresAt = :expiresAt`,
            ConditionExpression: "#version = :version",
            ExpressionAttributeNames: {
              "#targets": "targets",
              "#target": target,
              "#status": "status",
              "#version": "version",
              "#expiresAt": JOURNAL_TABLE.ttlAttribute,
            },
            ExpressionAttributeValues: toItem({
              ":next": next,
              ":status": status,
              ":version": event.version,
              ":nextVersion": event.version + 1,
              ...(expiry === undefined ? {} : { ":expiresAt": expiry }),
            }),
          }),
        );
        return next;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new Error(`event ${eventId}: target state kept changing under concurrent updates`);
  }

  /** Events newest first, optionally only those with the given aggregate status. Records not included. */
  async listEvents(query: { state?: EventStatus; limit: number }): Promise<JournalEvent[]> {
    const events: JournalEvent[] = [];
    const pages = query.state
      ? paginateQuery(
          { client: this.dynamo, pageSize: query.limit },
          {
            TableName: this.tableName,
            IndexName: JOURNAL_TABLE.statusIndex.name,
            KeyConditionExpression: "#status = :status",
            ExpressionAttributeNames: { "#status": JOURNAL_TABLE.statusIndex.partitionKey },
            ExpressionAttributeValues: toItem({ ":status": query.state }),
            ScanIndexForward: false,
          },
        )
      : paginateScan(
          { client: this.dynamo, pageSize: 100 },
          {
            TableName: this.tableName,
            FilterExpression: "begins_with(#pk, :prefix)",
            ExpressionAttributeNames: { "#pk": JOURNAL_TABLE.partitionKey },
            ExpressionAttributeValues: toItem({ ":prefix": EVENT_KEY_PREFIX }),
          },
        );
    for await (const page of pages) {
      for (const item of page.Items ?? []) events.push(unmarshall(item) as JournalEvent);
      // A scan is unordered: read it all (the CLI's journal is small) and sort below.
      if (query.state && events.length >= query.limit) break;
    }
    for (const event of events) delete (event as { pk?: string }).pk;
    events.sort((a, b) => (a.eventTime < b.eventTime ? 1 : a.eventTime > b.eventTime ? -1 : 0));
    return events.slice(0, query.limit);
  }

  /**
   * Pending events of the given names with eventTime <= `notAfter`, newest first, at most `limit`:
   * Query pages of the status index (its projection has no record; the drain reads the events it
   * keeps), at most PENDING_QUERY_PAGES of them, so a deep backlog costs a bounded read.
   */
  async pendingEvents(query: PendingEventQuery): Promise<PendingEventRef[]> {
    const found: PendingEventRef[] = [];
    const names = Object.fromEntries(query.eventNames.map((name, i) => [`:name${i}`, name]));
    const pages = paginateQuery(
      { client: this.dynamo, pageSize: 100 },
      {
        TableName: this.tableName,
        IndexName: JOURNAL_TABLE.statusIndex.name,
        KeyConditionExpression: "#status = :status AND #eventTime <= :notAfter",
        FilterExpression: `#eventName IN (${Object.keys(names).join(", ")})`,
        ExpressionAttributeNames: {
          "#status": JOURNAL_TABLE.statusIndex.partitionKey,
          "#eventTime": JOURNAL_TABLE.statusIndex.sortKey,
          "#eventName": "eventName",
        },
        ExpressionAttributeValues: toItem({ ":status": "pending", ":notAfter": query.notAfter, ...names }),
        ScanIndexForward: false,
      },
    );
    let read = 0;
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const { eventId, eventTime, eventName } = unmarshall(item) as JournalEvent;
        found.push({ eventId, eventTime, eventName });
      }
      if (found.length >= query.limit || ++read >= PENDING_QUERY_PAGES) break;
    }
    return found.slice(0, query.limit);
  }

  async getCheckpoint(scope: CheckpointScope): Promise<PollCheckpoint | undefined> {
    const item = await this.getItem<PollCheckpoint>(checkpointKey(scope));
    return item ? { eventTime: item.eventTime, updatedAt: item.updatedAt } : undefined;
  }

  /** Moves the checkpoint forward only: an older concurrent poll cannot move it back. */
  async putCheckpoint(scope: CheckpointScope, checkpoint: PollCheckpoint): Promise<void> {
    try {
      await this.dynamo.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({ [JOURNAL_TABLE.partitionKey]: checkpointKey(scope), ...scope, ...checkpoint }),
          ConditionExpression: "attribute_not_exists(#pk) OR #eventTime <= :eventTime",
          ExpressionAttributeNames: { "#pk": JOURNAL_TABLE.partitionKey, "#eventTime": "eventTime" },
          ExpressionAttributeValues: toItem({ ":eventTime": checkpoint.eventTime }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async clampCheckpoint(scope: CheckpointScope, aheadOf: string, checkpoint: PollCheckpoint): Promise<void> {
    try {
      await this.dynamo.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({ [JOURNAL_TABLE.partitionKey]: checkpointKey(scope), ...scope, ...checkpoint }),
          ConditionExpression: "#eventTime = :aheadOf",
          ExpressionAttributeNames: { "#eventTime": "eventTime" },
          ExpressionAttributeValues: toItem({ ":aheadOf": aheadOf }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async getHighWaterMark(resourceKey: string): Promise<HighWaterMark | undefined> {
    const item = await this.getItem<HighWaterMark>(highWaterMarkKey(resourceKey));
    return item
      ? { resourceKey, eventTime: item.eventTime, eventId: item.eventId, updatedAt: item.updatedAt }
      : undefined;
  }

  /** Records that `eventId` (source time `eventTime`) is applied to `resourceKey`, unless a newer one was. */
  async advanceHighWaterMark(
    resourceKey: string,
    eventTime: string,
    eventId: string,
  ): Promise<AdvanceResult> {
    const current = (await this.advanceHighWaterMarks([resourceKey], eventTime, eventId)).get(resourceKey);
    return current ? { advanced: false, current } : { advanced: true };
  }

  /**
   * advanceHighWaterMark for every key of one event in one round trip where possible: one
   * conditional PutItem for a single key, else TransactWriteItems of up to TRANSACTION_ITEMS
   * conditional puts. Each key is claimed on its own condition, as if written one by one. Answers
   * the keys a newer event owns, with that event's mark.
   */
  async advanceHighWaterMarks(
    resourceKeys: readonly string[],
    eventTime: string,
    eventId: string,
  ): Promise<Map<string, HighWaterMark>> {
    const time = isoSeconds(eventTime);
    const updatedAt = this.now().toISOString();
    const put = (resourceKey: string) => ({
      TableName: this.tableName,
      Item: toItem({
        [JOURNAL_TABLE.partitionKey]: highWaterMarkKey(resourceKey),
        resourceKey,
        eventTime: time,
        eventId,
        updatedAt,
      }),
      ConditionExpression: "attribute_not_exists(#pk) OR #eventTime <= :eventTime",
      ExpressionAttributeNames: { "#pk": JOURNAL_TABLE.partitionKey, "#eventTime": "eventTime" },
      ExpressionAttributeValues: toItem({ ":eventTime": time }),
    });
    // The item that failed the condition; when it no longer does (moved meanwhile), claim again.
    const newerThan = (resourceKey: string, item: Record<string, unknown> | undefined) => {
      const current = item ? markOf(resourceKey, item) : undefined;
      return current && !mayAdvance(current, time) ? current : undefined;
    };
    const refused = new Map<string, HighWaterMark>();
    const keys = [...new Set(resourceKeys)];
    if (keys.length === 1) {
      const [resourceKey] = keys as [string];
      for (let round = 0; ; round++) {
        try {
          await this.dynamo.send(
            new PutItemCommand({ ...put(resourceKey), ReturnValuesOnConditionCheckFailure: "ALL_OLD" }),
          );
          return refused;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException) || round >= TRANSACTION_ROUNDS) throw error;
          const newer = newerThan(resourceKey, error.Item ? unmarshall(error.Item) : undefined);
          if (newer) return refused.set(resourceKey, newer);
        }
      }
    }
    for (let start = 0; start < keys.length; start += TRANSACTION_ITEMS) {
      const chunk = keys.slice(start, start + TRANSACTION_ITEMS);
      const { refused: stale } = await this.transactPuts(
        chunk,
        put,
        (key, item) => newerThan(key, item) !== undefined,
      );
      for (const [key, item] of stale) refused.set(key, markOf(key, item ?? {}));
    }
    return refused;
  }

  private async getItem<T>(pk: string): Promise<T | undefined> {
    const { Item } = await this.dynamo.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: toItem({ [JOURNAL_TABLE.partitionKey]: pk }),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const value = unmarshall(Item);
    delete value[JOURNAL_TABLE.partitionKey];
    return value as T;
  }
}

/** TransactWriteItems takes at most 100 actions and 4 MB in all. */
const TRANSACTION_ITEMS = 100;
const TRANSACTION_BYTES = 4 * 1024 * 1024;
/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_KEYS = 100;
/** Status index pages one pendingEvents call reads at most (100 items each). */
const PENDING_QUERY_PAGES = 5;
/** Rounds of a conditional write (or read) before the store gives up on a contended item. */
const TRANSACTION_ROUNDS = 10;

/** A generous estimate of an event item's size: its record (if inline) and the rest. */
function itemBytes(event: JournalEvent): number {
  return new TextEncoder().encode(event.record ?? "").length + 8 * 1024;
}

/** Members in input order, in groups a TransactWriteItems takes. */
function transactionChunks<T>(members: readonly T[], bytesOf: (member: T) => number): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const member of members) {
    const size = bytesOf(member);
    if (chunk.length > 0 && (chunk.length >= TRANSACTION_ITEMS || bytes + size > TRANSACTION_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(member);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** The per-action reasons of a cancelled transaction, or undefined for any other error. */
function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  return error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : undefined;
}

function markOf(resourceKey: string, item: Record<string, unknown>): HighWaterMark {
  return {
    resourceKey,
    eventTime: String(item.eventTime ?? ""),
    eventId: String(item.eventId ?? ""),
    updatedAt: String(item.updatedAt ?? ""),
  };
}

/** Plain values as DynamoDB attributes; undefined members are left out (DynamoDB has no undefined). */
function toItem(values: object) {
  return marshall(values, { removeUndefinedValues: true });
}
