// Batch APIs answer 200 with per-entry errors. This table says, per API, where the entries are in
// the input, how to name one, and where its error is in the output, so the executor can apply the
// idempotency rules entry by entry and resend only the entries worth retrying.
import { type BatchApi, batchLimits } from "./apis.ts";

export interface EntryFailure {
  key: string;
  code: string;
  message: string;
}

export interface BatchSpec {
  /** The input field holding the list of entries. */
  entriesField: string;
  /** AWS's maximum entries per call (apis.ts `batchLimits`); larger inputs are sent in chunks. */
  chunkSize: number;
  /** A stable name for an entry, used to match it with its error and in outcomes. */
  entryKey(entry: unknown): string;
  failures(output: Record<string, unknown>): EntryFailure[];
}

type Loose = Record<string, unknown>;

const asRecord = (value: unknown): Loose => (value && typeof value === "object" ? (value as Loose) : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** Glue batch errors: `Errors: [{<keyField>, ErrorDetail: {ErrorCode, ErrorMessage}}]`. */
function glueErrors(keyOf: (error: Loose) => string) {
  return (output: Loose): EntryFailure[] =>
    asList(output.Errors).map((raw) => {
      const error = asRecord(raw);
      const detail = asRecord(error.ErrorDetail);
      return { key: keyOf(error), code: text(detail.ErrorCode), message: text(detail.ErrorMessage) };
    });
}

/** Lake Formation batch failures: `Failures: [{<entryField>, Error: {ErrorCode, ErrorMessage}}]`. */
function lakeFormationFailures(keyOf: (failure: Loose) => string) {
  return (output: Loose): EntryFailure[] =>
    asList(output.Failures).map((raw) => {
      const failure = asRecord(raw);
      const error = asRecord(failure.Error);
      return { key: keyOf(failure), code: text(error.ErrorCode), message: text(error.ErrorMessage) };
    });
}

export const partitionKey = (values: unknown): string => JSON.stringify(asList(values));

const permissionEntries = {
  entriesField: "Entries",
  chunkSize: batchLimits.BatchGrantPermissions,
  entryKey: (entry: unknown) => text(asRecord(entry).Id),
  failures: lakeFormationFailures((failure) => text(asRecord(failure.RequestEntry).Id)),
} satisfies BatchSpec;

const lfTagEntries = {
  entriesField: "LFTags",
  chunkSize: batchLimits.AddLFTagsToResource,
  entryKey: (entry: unknown) => text(asRecord(entry).TagKey),
  failures: lakeFormationFailures((failure) => text(asRecord(failure.LFTag).TagKey)),
} satisfies BatchSpec;

export const batchSpecs: Record<BatchApi, BatchSpec> = {
  BatchCreatePartition: {
    entriesField: "PartitionInputList",
    chunkSize: batchLimits.BatchCreatePartition,
    entryKey: (entry) => partitionKey(asRecord(entry).Values),
    failures: glueErrors((error) => partitionKey(error.PartitionValues)),
  },
  BatchUpdatePartition: {
    entriesField: "Entries",
    chunkSize: batchLimits.BatchUpdatePartition,
    entryKey: (entry) => partitionKey(asRecord(entry).PartitionValueList),
    failures: glueErrors((error) => partitionKey(error.PartitionValueList)),
  },
  BatchDeletePartition: {
    entriesField: "PartitionsToDelete",
    chunkSize: batchLimits.BatchDeletePartition,
    entryKey: (entry) => partitionKey(asRecord(entry).Values),
    failures: glueErrors((error) => partitionKey(error.PartitionValues)),
  },
  BatchDeleteTable: {
    entriesField: "TablesToDelete",
    chunkSize: batchLimits.BatchDeleteTable,
    entryKey: (entry) => text(entry),
    failures: glueErrors((error) => text(error.TableName)),
  },
  BatchGrantPermissions: { ...permissionEntries, chunkSize: batchLimits.BatchGrantPermissions },
  BatchRevokePermissions: { ...permissionEntries, chunkSize: batchLimits.BatchRevokePermissions },
  AddLFTagsToResource: { ...lfTagEntries, chunkSize: batchLimits.AddLFTagsToResource },
  RemoveLFTagsFromResource: { ...lfTagEntries, chunkSize: batchLimits.RemoveLFTagsFromResource },
};

export function batchSpecFor(operation: string): BatchSpec | undefined {
  return Object.hasOwn(batchSpecs, operation) ? batchSpecs[operation as BatchApi] : undefined;
}

/** BatchCreatePartition entries that already exist, as BatchUpdatePartition entries. */
export function partitionUpdateEntries(createEntries: readonly unknown[]): Loose[] {
  return createEntries.map((entry) => ({
    PartitionValueList: asRecord(entry).Values,
    PartitionInput: entry,
  }));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
