// Omitted request parameters: CloudTrail dropped them (over ~100 KB), so the replicator re-reads
// the object from the source and replays what it reads as the event's change. The reads come from
// modules/replication (toChange -> SourceRead[]); this file turns their outputs back into the
// CatalogChange the planner takes, with the same input normalisation the batch snapshots use.
import { databaseRecord, dataCellsFilterRecord, partitionRecord, tableRecord } from "../catalog/normalise.ts";
import type { CatalogChange, ChangeSource, SourceRead } from "../replication/change.ts";

type Json = Record<string, unknown>;

export class RefetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefetchError";
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function objectIn(output: Json | undefined, field: string, read: SourceRead): Json {
  const value = output?.[field];
  if (!isObject(value))
    throw new RefetchError(`${read.operation} returned no ${field} (${read.description})`);
  return value;
}

function partitionsIn(output: Json | undefined): Json[] {
  if (isObject(output?.Partition)) return [output.Partition];
  return Array.isArray(output?.Partitions) ? output.Partitions.filter(isObject) : [];
}

/**
 * The change to replay, from the source reads of a refetch and their outputs (same order).
 * GetPartitions outputs carry every page's partitions in `Partitions`.
 */
export function changeFromReads(source: ChangeSource, reads: SourceRead[], outputs: Json[]): CatalogChange {
  const read = reads[0];
  const output = outputs[0];
  if (!read) throw new RefetchError(`no source read for ${source.eventName}`);
  const catalog = typeof read.input.CatalogId === "string" ? { CatalogId: read.input.CatalogId } : {};
  const db = String(read.input.DatabaseName ?? "");
  const table = String(read.input.TableName ?? "");
  const change = (kind: CatalogChange["kind"], input: Json) => ({ kind, source, input }) as CatalogChange;
  switch (source.eventName) {
    case "CreateDatabase":
    case "UpdateDatabase": {
      const DatabaseInput = databaseRecord(objectIn(output, "Database", read)).value;
      return source.eventName === "CreateDatabase"
        ? change("CreateDatabase", { ...catalog, DatabaseInput })
        : change("UpdateDatabase", { ...catalog, Name: DatabaseInput.Name, DatabaseInput });
    }
    case "CreateTable":
    case "UpdateTable": {
      const { TableInput } = tableRecord(db, objectIn(output, "Table", read)).value;
      return change(source.eventName, { ...catalog, DatabaseName: db, TableInput });
    }
    case "CreatePartition":
    case "UpdatePartition":
    case "BatchCreatePartition":
    case "BatchUpdatePartition": {
      const inputs = partitionsIn(output).map((p) => partitionRecord(db, table, p).value.PartitionInput);
      if (inputs.length === 0) throw new RefetchError(`${read.description} found no partitions`);
      const base = { ...catalog, DatabaseName: db, TableName: table };
      const first = inputs[0]!;
      if (source.eventName === "CreatePartition")
        return change("CreatePartition", { ...base, PartitionInput: first });
      if (source.eventName === "UpdatePartition")
        return change("UpdatePartition", {
          ...base,
          PartitionValueList: first.Values,
          PartitionInput: first,
        });
      if (source.eventName === "BatchCreatePartition")
        return change("BatchCreatePartition", { ...base, PartitionInputList: inputs });
      return change("BatchUpdatePartition", {
        ...base,
        Entries: inputs.map((p) => ({ PartitionValueList: p.Values, PartitionInput: p })),
      });
    }
    case "PutDataLakeSettings":
      return change("PutDataLakeSettings", {
        ...catalog,
        DataLakeSettings: objectIn(output, "DataLakeSettings", read),
      });
    case "CreateLFTag":
    case "UpdateLFTag": {
      const TagKey = String(output?.TagKey ?? read.input.TagKey);
      const values = Array.isArray(output?.TagValues) ? (output.TagValues as string[]) : [];
      // A re-read knows the values, not which ones the call added or removed: the target gains
      // every current value (a value deleted in that same call is not removed).
      return source.eventName === "CreateLFTag"
        ? change("CreateLFTag", { ...catalog, TagKey, TagValues: values })
        : change("UpdateLFTag", { ...catalog, TagKey, TagValuesToAdd: values });
    }
    case "CreateDataCellsFilter":
    case "UpdateDataCellsFilter": {
      const TableData = dataCellsFilterRecord(objectIn(output, "DataCellsFilter", read)).value;
      return change(source.eventName, { TableData });
    }
    default:
      throw new RefetchError(`no refetch replay for ${source.eventName}`);
  }
}
