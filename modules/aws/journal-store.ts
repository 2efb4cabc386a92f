// DynamoDB (+ S3 for oversized records) adapter of the event journal. Item layout and rules live
// in modules/journal; this file only moves them in and out of DynamoDB.
import {
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
  UpdateItemCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
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
import { StaleTargetStateError } from "../replicator/ports.ts";

export { StaleTargetStateError };

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
    const { record, ...rest } = event;
    let stored: JournalEvent = event;
    if (!recordFitsInline(record)) {
      const { recordBucket, s3 } = this.options;
      if (!recordBucket || !s3) {
        throw new Error(
          `record of event ${event.eventId} exceeds the item limit and no record bucket is configured`,
        );
      }
      const key = recordObjectKey(event.eventId);
      // Written before the item: a stored item always points at an existing object.
      await s3.send(
        new PutObjectCommand({
          Bucket: recordBucket,
          Key: key,
          Body: record,
          ContentType: "application/json",
        }),
      );
      stored = { ...rest, recordS3: s3Uri(recordBucket, key) };
    }
    try {
      await this.dynamo.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({ [JOURNAL_TABLE.partitionKey]: eventKey(event.eventId), ...stored }),
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": JOURNAL_TABLE.partitionKey },
        }),
      );
      return "stored";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return "duplicate";
      throw error;
    }
  }

  /** The event with its record (fetched from S3 when it lives there). */
  async getEvent(eventId: string): Promise<JournalEvent | undefined> {
    const event = await this.getItem<JournalEvent>(eventKey(eventId));
    if (!event) return undefined;
    if (event.record === undefined && event.recordS3) {
      const { s3 } = this.options;
      if (!s3)
        throw new Error(`event ${eventId} keeps its record in ${event.recordS3}; no S3 client configured`);
      const { bucket, key } = parseS3Uri(event.recordS3);
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
    for (let round = 0; round < 10; round++) {
      const event = await this.getItem<JournalEvent>(eventKey(eventId));
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
    const time = isoSeconds(eventTime);
    try {
      await this.dynamo.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({
            [JOURNAL_TABLE.partitionKey]: highWaterMarkKey(resourceKey),
            resourceKey,
            eventTime: time,
            eventId,
            updatedAt: this.now().toISOString(),
          }),
          ConditionExpression: "attribute_not_exists(#pk) OR #eventTime <= :eventTime",
          ExpressionAttributeNames: { "#pk": JOURNAL_TABLE.partitionKey, "#eventTime": "eventTime" },
          ExpressionAttributeValues: toItem({ ":eventTime": time }),
        }),
      );
      return { advanced: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.getHighWaterMark(resourceKey);
      if (!current || mayAdvance(current, time))
        return this.advanceHighWaterMark(resourceKey, eventTime, eventId);
      return { advanced: false, current };
    }
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

/** Plain values as DynamoDB attributes; undefined members are left out (DynamoDB has no undefined). */
function toItem(values: object) {
  return marshall(values, { removeUndefinedValues: true });
}
