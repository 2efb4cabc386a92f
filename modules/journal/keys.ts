// Key layout of the journal table (one DynamoDB table, partition key only). Shared by the store
// adapter, the stack that creates the table and the CLI, so the names live in one place.

export const JOURNAL_TABLE = {
  partitionKey: "pk",
  /** GSI listing events by their aggregate status, newest first (`lakesync events list --state`). */
  statusIndex: { name: "byStatus", partitionKey: "status", sortKey: "eventTime" },
  /** The table streams both images so the replicator sees state changes as well as new events. */
  streamViewType: "NEW_AND_OLD_IMAGES",
} as const;

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
  return `journal/records/${eventId}.json`;
}
