// DynamoDB (+ S3 for oversized records) adapter of the event journal. Item layout and rules live
// in modules/journal; this file only moves them in and out of DynamoDB.
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  CreateTableCommand,
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
  recordObjectKey,
} from "../journal/keys.ts";
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

/** Creates the journal table with its stream and status index (for local use; the stack does it on AWS). */
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

export async function createJournalTable(dynamo: DynamoDBClient, name: string): Promise<void> {
  const index = JOURNAL_TABLE.statusIndex;
  await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: JOURNAL_TABLE.partitionKey, AttributeType: "S" },
        { AttributeName: index.partitionKey, AttributeType: "S" },
        { AttributeName: index.sortKey, AttributeType: "S" },
      ],
      KeySchema: [{ AttributeName: JOURNAL_TABLE.partitionKey, KeyType: "HASH" }],
      GlobalSecondaryIndexes: [
        {
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: "HASH" },
            { AttributeName: index.sortKey, KeyType: "RANGE" },
          ],
          // Listing shows summaries; the record itself is fetched per event.
          Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: summaryAttributes },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: JOURNAL_TABLE.streamViewType },
    }),
  );
  await waitUntilTableExists({ client: dynamo, maxWaitTime: 60 }, { TableName: name });
}

const summaryAttributes = [
  "eventId",
  "eventName",
  "eventSource",
  "sourceAccount",
  "sourceRegion",
  "capturedBy",
  "capturedAt",
  "tracked",
  "targets",
  "version",
  "recordS3",
];

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
          Item: toAttributes({ [JOURNAL_TABLE.partitionKey]: eventKey(event.eventId), ...stored }),
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
      const next = nextTargetState(current, state, this.now().toISOString(), options.reason);
      const status = aggregateStatus({ ...event.targets, [target]: next });
      try {
        await this.dynamo.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: toAttributes({ [JOURNAL_TABLE.partitionKey]: eventKey(eventId) }),
            UpdateExpression: "SET #targets.#target = :next, #status = :status, #version = :nextVersion",
            ConditionExpression: "#version = :version",
            ExpressionAttributeNames: {
              "#targets": "targets",
              "#target": target,
              "#status": "status",
              "#version": "version",
            },
            ExpressionAttributeValues: toAttributes({
              ":next": next,
              ":status": status,
              ":version": event.version,
              ":nextVersion": event.version + 1,
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
            ExpressionAttributeValues: toAttributes({ ":status": query.state }),
            ScanIndexForward: false,
          },
        )
      : paginateScan(
          { client: this.dynamo, pageSize: 100 },
          {
            TableName: this.tableName,
            FilterExpression: "begins_with(#pk, :prefix)",
            ExpressionAttributeNames: { "#pk": JOURNAL_TABLE.partitionKey },
            ExpressionAttributeValues: toAttributes({ ":prefix": EVENT_KEY_PREFIX }),
          },
        );
    for await (const page of pages) {
      for (const item of page.Items ?? []) events.push(fromAttributes(item) as unknown as JournalEvent);
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
          Item: toAttributes({ [JOURNAL_TABLE.partitionKey]: checkpointKey(scope), ...scope, ...checkpoint }),
          ConditionExpression: "attribute_not_exists(#pk) OR #eventTime <= :eventTime",
          ExpressionAttributeNames: { "#pk": JOURNAL_TABLE.partitionKey, "#eventTime": "eventTime" },
          ExpressionAttributeValues: toAttributes({ ":eventTime": checkpoint.eventTime }),
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
          Item: toAttributes({
            [JOURNAL_TABLE.partitionKey]: highWaterMarkKey(resourceKey),
            resourceKey,
            eventTime: time,
            eventId,
            updatedAt: this.now().toISOString(),
          }),
          ConditionExpression: "attribute_not_exists(#pk) OR #eventTime <= :eventTime",
          ExpressionAttributeNames: { "#pk": JOURNAL_TABLE.partitionKey, "#eventTime": "eventTime" },
          ExpressionAttributeValues: toAttributes({ ":eventTime": time }),
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
        Key: toAttributes({ [JOURNAL_TABLE.partitionKey]: pk }),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const value = fromAttributes(Item);
    delete value[JOURNAL_TABLE.partitionKey];
    return value as T;
  }
}

// Plain values <-> DynamoDB attribute values (strings, numbers, booleans, null, maps, lists are
// all the journal stores). Undefined map members are left out, as DynamoDB has no undefined.
type Plain = string | number | boolean | null | undefined | Plain[] | { [key: string]: Plain };

function toAttribute(value: Plain): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === "string") return { S: value };
  if (typeof value === "number") return { N: String(value) };
  if (typeof value === "boolean") return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttribute) };
  if (typeof value === "object") return { M: toAttributes(value) };
  throw new Error(`cannot store ${typeof value} in DynamoDB`);
}

function toAttributes(values: object): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) out[key] = toAttribute(value as Plain);
  }
  return out;
}

function fromAttribute(value: AttributeValue): Plain {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL) return null;
  if (value.L) return value.L.map(fromAttribute);
  if (value.M) return fromAttributes(value.M);
  throw new Error(`unexpected DynamoDB attribute ${JSON.stringify(value)}`);
}

function fromAttributes(values: Record<string, AttributeValue>): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  for (const [key, value] of Object.entries(values)) out[key] = fromAttribute(value);
  return out;
}
