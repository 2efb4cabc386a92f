// Layout of the journal table (one DynamoDB table, partition key only, one status index). The
// store adapter, the stack that creates the table, the local table and the CLI all read it from
// here, so the deployed table has every key and index the code queries.

/** DynamoDB scalar attribute types a key can have. */
export type KeyAttributeType = "S" | "N" | "B";

const statusIndex = {
  name: "byStatus",
  partitionKey: "status",
  sortKey: "eventTime",
  /** Listing shows summaries; the record itself is fetched per event. */
  projectedAttributes: [
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
  ],
} as const;

export interface JournalIndex {
  name: string;
  partitionKey: string;
  sortKey?: string;
  projectedAttributes: readonly string[];
}

export const JOURNAL_TABLE = {
  partitionKey: "pk",
  /** GSI listing events by their aggregate status, newest first (`lakesync events list --state`). */
  statusIndex,
  /** Every global secondary index; the stack and the local table create each one. */
  indexes: [statusIndex] as readonly JournalIndex[],
  /** Types of the attributes the table's and the indexes' keys use (all strings today). */
  keyAttributeTypes: { pk: "S", status: "S", eventTime: "S" } as Readonly<Record<string, KeyAttributeType>>,
  /** The table streams both images so the replicator sees state changes as well as new events. */
  streamViewType: "NEW_AND_OLD_IMAGES",
  /** DynamoDB TTL attribute (epoch seconds): set on concluded events only (retention.ts). */
  ttlAttribute: "expiresAt",
} as const;

/** The attributes the table and its indexes are keyed on, each once, with its type. */
export function journalKeyAttributes(): { name: string; type: KeyAttributeType }[] {
  const names = [
    JOURNAL_TABLE.partitionKey,
    ...JOURNAL_TABLE.indexes.flatMap((i) => (i.sortKey ? [i.partitionKey, i.sortKey] : [i.partitionKey])),
  ];
  return [...new Set(names)].map((name) => {
    const type = JOURNAL_TABLE.keyAttributeTypes[name];
    if (!type)
      throw new Error(`journal key attribute ${name} has no type in JOURNAL_TABLE.keyAttributeTypes`);
    return { name, type };
  });
}

/**
 * The DynamoDB calls the store makes on the table in a deployed function (the stack grants these
 * and the synth test checks it). Creating and describing the table are the CLI's on local AWS.
 */
export const JOURNAL_DATA_APIS = [
  "GetItem",
  "BatchGetItem",
  "PutItem",
  "UpdateItem",
  // Conditional puts of many items at once: an event's high-water marks, a poll's events.
  "TransactWriteItems",
  "Query",
  "Scan",
] as const;

export const EVENT_KEY_PREFIX = "EVENT#";

export function eventKey(eventId: string): string {
  return `${EVENT_KEY_PREFIX}${eventId}`;
}

/** The poller's checkpoint is per (account, region, eventSource): each source is paged separately. */
export interface CheckpointScope {
  account: string;
  region: string;
  eventSource: string;
}

export function checkpointKey(scope: CheckpointScope): string {
  return `CHECKPOINT#${scope.account}#${scope.region}#${scope.eventSource}`;
}

/** resourceKey is the operation vocabulary's key of one catalog object (e.g. a table on a target). */
export function highWaterMarkKey(resourceKey: string): string {
  return `HWM#${resourceKey}`;
}

/** S3 object key of a record too large to stay inline in its journal item. */
export function recordObjectKey(eventId: string): string {
  // eventID comes from the record: encoded, it stays one segment under journal/records/ whatever
  // it holds (a CloudTrail eventID, a UUID, is unchanged by the encoding).
  return `journal/records/${encodeURIComponent(eventId)}.json`;
}
