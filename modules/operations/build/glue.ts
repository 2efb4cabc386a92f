// One builder per Glue write API, plus the create-or-update pairs (a replayed create converges on
// the update when the object exists). Inputs are checked against the SDK's command inputs.
import type * as Sdk from "@aws-sdk/client-glue";
import type { IcebergDirectives } from "../directives.ts";
import { type OperationOf, Phase, resourceKeys } from "../operation.ts";
import {
  asFallback,
  type BatchKeying,
  catalogField,
  catalogOf,
  chunksFor,
  compact,
  type Destination,
  fields,
  type Json,
  shape,
} from "./common.ts";

type CatalogField = { CatalogId?: string };
const catalog = (to: Destination) => catalogField(to) as CatalogField;

// ---- databases ---------------------------------------------------------------------------------

export function createDatabase(
  to: Destination,
  databaseInput: Json,
  options: { Tags?: Record<string, string> } = {},
): OperationOf<"CreateDatabase"> {
  const name = String(databaseInput.Name);
  const input = {
    ...catalog(to),
    DatabaseInput: shape<Sdk.DatabaseInput>(databaseInput),
    ...(options.Tags ? { Tags: options.Tags } : {}),
  } satisfies Sdk.CreateDatabaseCommandInput;
  return {
    service: "glue",
    operation: "CreateDatabase",
    input,
    ...fields(
      to,
      resourceKeys.database(catalogOf(to), name),
      "create",
      Phase.databases,
      `create database ${name}`,
    ),
  };
}

export function updateDatabase(
  to: Destination,
  name: string,
  databaseInput: Json,
): OperationOf<"UpdateDatabase"> {
  const input = {
    ...catalog(to),
    Name: name,
    DatabaseInput: shape<Sdk.DatabaseInput>(databaseInput),
  } satisfies Sdk.UpdateDatabaseCommandInput;
  return {
    service: "glue",
    operation: "UpdateDatabase",
    input,
    ...fields(
      to,
      resourceKeys.database(catalogOf(to), name),
      "upsert",
      Phase.databases,
      `update database ${name}`,
    ),
  };
}

/** CreateDatabase that updates the database when it exists. */
export function createOrUpdateDatabase(
  to: Destination,
  databaseInput: Json,
  options: { Tags?: Record<string, string> } = {},
): OperationOf<"CreateDatabase"> {
  const update = updateDatabase(to, String(databaseInput.Name), databaseInput);
  return { ...createDatabase(to, databaseInput, options), onExists: asFallback(update) };
}

export function deleteDatabase(to: Destination, name: string): OperationOf<"DeleteDatabase"> {
  const input = { ...catalog(to), Name: name } satisfies Sdk.DeleteDatabaseCommandInput;
  return {
    service: "glue",
    operation: "DeleteDatabase",
    input,
    ...fields(
      to,
      resourceKeys.database(catalogOf(to), name),
      "delete",
      Phase.databases,
      `delete database ${name}`,
    ),
  };
}

// ---- tables ------------------------------------------------------------------------------------

interface TableNaming {
  DatabaseName: string;
  TableInput?: Json;
  /** Iceberg tables created through OpenTableFormatInput may name the table here instead. */
  Name?: string;
  /** The Iceberg metadata rewrite directive (modules/mapping/iceberg-tables.ts), if any. */
  iceberg?: IcebergDirectives;
}

export interface TableCreation extends TableNaming {
  PartitionIndexes?: unknown;
  OpenTableFormatInput?: unknown;
}

export interface TableUpdate extends TableNaming {
  SkipArchive?: unknown;
  ViewUpdateAction?: unknown;
  Force?: unknown;
  UpdateOpenTableFormatInput?: unknown;
}

const tableNameOf = (table: TableNaming) => String(table.TableInput?.Name ?? table.Name);

/** What a plan says about the table's Iceberg metadata: rewritten into the target bucket, or skipped. */
function icebergNote(iceberg: IcebergDirectives | undefined): string {
  if (!iceberg) return "";
  if (iceberg.mode === "skip") return ` (skipped: ${iceberg.reason})`;
  const sourceBucket = /^s3[an]?:\/\/([^/]+)/.exec(iceberg.sourceMetadataLocation)?.[1] ?? "";
  return ` (Iceberg metadata tree rewritten into s3://${iceberg.buckets[sourceBucket]}/…/metadata/lakesync-dr/)`;
}
const tableKey = (to: Destination, table: TableNaming) =>
  resourceKeys.table(catalogOf(to), table.DatabaseName, tableNameOf(table));

export function createTable(to: Destination, table: TableCreation): OperationOf<"CreateTable"> {
  const input = compact({
    ...catalog(to),
    DatabaseName: table.DatabaseName,
    Name: table.Name,
    TableInput: shape<Sdk.TableInput | undefined>(table.TableInput),
    PartitionIndexes: shape<Sdk.PartitionIndex[] | undefined>(table.PartitionIndexes),
    OpenTableFormatInput: shape<Sdk.OpenTableFormatInput | undefined>(table.OpenTableFormatInput),
    __iceberg: table.iceberg,
  } satisfies Sdk.CreateTableCommandInput & { __iceberg?: IcebergDirectives });
  const description = `create table ${table.DatabaseName}.${tableNameOf(table)}${icebergNote(table.iceberg)}`;
  return {
    service: "glue",
    operation: "CreateTable",
    input,
    ...fields(to, tableKey(to, table), "create", Phase.tables, description),
  };
}

export function updateTable(to: Destination, table: TableUpdate): OperationOf<"UpdateTable"> {
  const input = compact({
    ...catalog(to),
    DatabaseName: table.DatabaseName,
    Name: table.Name,
    TableInput: shape<Sdk.TableInput | undefined>(table.TableInput),
    SkipArchive: shape<boolean | undefined>(table.SkipArchive),
    ViewUpdateAction: shape<Sdk.ViewUpdateAction | undefined>(table.ViewUpdateAction),
    Force: shape<boolean | undefined>(table.Force),
    UpdateOpenTableFormatInput: shape<Sdk.UpdateOpenTableFormatInput | undefined>(
      table.UpdateOpenTableFormatInput,
    ),
    __iceberg: table.iceberg,
  } satisfies Sdk.UpdateTableCommandInput & { __iceberg?: IcebergDirectives });
  const description = `update table ${table.DatabaseName}.${tableNameOf(table)}${icebergNote(table.iceberg)}`;
  return {
    service: "glue",
    operation: "UpdateTable",
    input,
    ...fields(to, tableKey(to, table), "upsert", Phase.tables, description),
  };
}

/** CreateTable that updates the table when it exists (replays, restore, sync, seeds of tests). */
export function createOrUpdateTable(to: Destination, table: TableCreation): OperationOf<"CreateTable"> {
  const { DatabaseName, Name, TableInput, iceberg } = table;
  return {
    ...createTable(to, table),
    onExists: asFallback(updateTable(to, { DatabaseName, Name, TableInput, iceberg })),
  };
}

export function deleteTable(to: Destination, databaseName: string, name: string): OperationOf<"DeleteTable"> {
  const input = {
    ...catalog(to),
    DatabaseName: databaseName,
    Name: name,
  } satisfies Sdk.DeleteTableCommandInput;
  return {
    service: "glue",
    operation: "DeleteTable",
    input,
    ...fields(
      to,
      resourceKeys.table(catalogOf(to), databaseName, name),
      "delete",
      Phase.tables,
      `delete table ${databaseName}.${name}`,
    ),
  };
}

/** BatchDeleteTable in chunks of the API limit; `container` keys a chunk by its database. */
export function batchDeleteTables(
  to: Destination,
  databaseName: string,
  tables: readonly string[],
  keying: BatchKeying = {},
): OperationOf<"BatchDeleteTable">[] {
  return chunksFor("BatchDeleteTable", tables).map((part) => {
    const input = {
      ...catalog(to),
      DatabaseName: databaseName,
      TablesToDelete: part,
    } satisfies Sdk.BatchDeleteTableCommandInput;
    const resourceKey =
      keying.keyBy === "firstEntry"
        ? resourceKeys.table(catalogOf(to), databaseName, part[0] as string)
        : resourceKeys.database(catalogOf(to), databaseName);
    const description = `delete ${part.length} table(s) in ${databaseName}: ${part.join(", ")}`;
    return {
      service: "glue",
      operation: "BatchDeleteTable",
      input,
      ...fields(to, resourceKey, "delete", Phase.tables, description),
    };
  });
}

// ---- partitions --------------------------------------------------------------------------------

export interface TableRef {
  DatabaseName: string;
  TableName: string;
}

const valuesOf = (partitionInput: Json): string[] => (partitionInput.Values as string[] | undefined) ?? [];
const list = (values: readonly string[]) => JSON.stringify(values);
const where = (table: TableRef) => `${table.DatabaseName}.${table.TableName}`;
const inTable = (to: Destination, table: TableRef) => ({
  ...catalog(to),
  DatabaseName: table.DatabaseName,
  TableName: table.TableName,
});
const partitionKey = (to: Destination, table: TableRef, values: readonly string[] | undefined) =>
  resourceKeys.partition(catalogOf(to), table.DatabaseName, table.TableName, values ?? []);
const batchKey = (
  to: Destination,
  table: TableRef,
  first: readonly string[] | undefined,
  keying: BatchKeying,
) =>
  keying.keyBy === "firstEntry"
    ? partitionKey(to, table, first)
    : resourceKeys.table(catalogOf(to), table.DatabaseName, table.TableName);

export function createPartition(
  to: Destination,
  table: TableRef,
  partitionInput: Json,
): OperationOf<"CreatePartition"> {
  const values = valuesOf(partitionInput);
  const input = {
    ...inTable(to, table),
    PartitionInput: shape<Sdk.PartitionInput>(partitionInput),
  } satisfies Sdk.CreatePartitionCommandInput;
  return {
    service: "glue",
    operation: "CreatePartition",
    input,
    ...fields(
      to,
      partitionKey(to, table, values),
      "create",
      Phase.partitions,
      `create partition ${where(table)} ${list(values)}`,
    ),
  };
}

export function updatePartition(
  to: Destination,
  table: TableRef,
  values: string[],
  partitionInput: Json,
): OperationOf<"UpdatePartition"> {
  const input = {
    ...inTable(to, table),
    PartitionValueList: values,
    PartitionInput: shape<Sdk.PartitionInput>(partitionInput),
  } satisfies Sdk.UpdatePartitionCommandInput;
  return {
    service: "glue",
    operation: "UpdatePartition",
    input,
    ...fields(
      to,
      partitionKey(to, table, values),
      "upsert",
      Phase.partitions,
      `update partition ${where(table)} ${list(values ?? [])}`,
    ),
  };
}

/** CreatePartition that updates the partition when it exists. */
export function createOrUpdatePartition(
  to: Destination,
  table: TableRef,
  partitionInput: Json,
): OperationOf<"CreatePartition"> {
  const update = updatePartition(to, table, valuesOf(partitionInput), partitionInput);
  return { ...createPartition(to, table, partitionInput), onExists: asFallback(update) };
}

export function deletePartition(
  to: Destination,
  table: TableRef,
  values: string[],
): OperationOf<"DeletePartition"> {
  const input = { ...inTable(to, table), PartitionValues: values } satisfies Sdk.DeletePartitionCommandInput;
  return {
    service: "glue",
    operation: "DeletePartition",
    input,
    ...fields(
      to,
      partitionKey(to, table, values),
      "delete",
      Phase.partitions,
      `delete partition ${where(table)} ${list(values ?? [])}`,
    ),
  };
}

/** BatchCreatePartition in chunks of the API limit; partitions that exist are left as they are. */
export function batchCreatePartitions(
  to: Destination,
  table: TableRef,
  partitions: readonly Json[],
  keying: BatchKeying = {},
): OperationOf<"BatchCreatePartition">[] {
  return chunksFor("BatchCreatePartition", partitions).map((part) => {
    const input = {
      ...inTable(to, table),
      PartitionInputList: shape<Sdk.PartitionInput[]>(part),
    } satisfies Sdk.BatchCreatePartitionCommandInput;
    const description = `create ${part.length} partition(s) of ${where(table)}`;
    return {
      service: "glue",
      operation: "BatchCreatePartition",
      input,
      ...fields(
        to,
        batchKey(to, table, part[0]?.Values as string[], keying),
        "create",
        Phase.partitions,
        description,
      ),
    };
  });
}

/**
 * BatchCreatePartition whose partitions that exist are updated instead: the executor fills the
 * onExists BatchUpdatePartition's Entries with them (modules/operations/README.md, Batch APIs).
 */
export function batchCreateOrUpdatePartitions(
  to: Destination,
  table: TableRef,
  partitions: readonly Json[],
  keying: BatchKeying = {},
): OperationOf<"BatchCreatePartition">[] {
  return batchCreatePartitions(to, table, partitions, keying).map((create) => {
    const input = inTable(to, table) satisfies Omit<Sdk.BatchUpdatePartitionCommandInput, "Entries">;
    const description = `update the partitions of ${where(table)} that already exist`;
    return {
      ...create,
      onExists: {
        service: "glue",
        operation: "BatchUpdatePartition",
        input,
        ...fields(to, create.resourceKey, "upsert", Phase.partitions, description),
      },
    };
  });
}

export interface PartitionUpdate {
  PartitionValueList: string[];
  PartitionInput: Json;
}

export function batchUpdatePartitions(
  to: Destination,
  table: TableRef,
  entries: readonly PartitionUpdate[],
  keying: BatchKeying = {},
): OperationOf<"BatchUpdatePartition">[] {
  return chunksFor("BatchUpdatePartition", entries).map((part) => {
    const input = {
      ...inTable(to, table),
      Entries: shape<Sdk.BatchUpdatePartitionRequestEntry[]>(part),
    } satisfies Sdk.BatchUpdatePartitionCommandInput;
    const description = `update ${part.length} partition(s) of ${where(table)}`;
    return {
      service: "glue",
      operation: "BatchUpdatePartition",
      input,
      ...fields(
        to,
        batchKey(to, table, part[0]?.PartitionValueList, keying),
        "upsert",
        Phase.partitions,
        description,
      ),
    };
  });
}

export function batchDeletePartitions(
  to: Destination,
  table: TableRef,
  partitions: readonly { Values: string[] }[],
  keying: BatchKeying = {},
): OperationOf<"BatchDeletePartition">[] {
  return chunksFor("BatchDeletePartition", partitions).map((part) => {
    const input = {
      ...inTable(to, table),
      PartitionsToDelete: part,
    } satisfies Sdk.BatchDeletePartitionCommandInput;
    const description = `delete ${part.length} partition(s) of ${where(table)}`;
    return {
      service: "glue",
      operation: "BatchDeletePartition",
      input,
      ...fields(to, batchKey(to, table, part[0]?.Values, keying), "delete", Phase.partitions, description),
    };
  });
}

// ---- partition indexes -------------------------------------------------------------------------

export function createPartitionIndex(
  to: Destination,
  table: TableRef,
  partitionIndex: { IndexName: string; Keys: string[] },
): OperationOf<"CreatePartitionIndex"> {
  const input = {
    ...inTable(to, table),
    PartitionIndex: partitionIndex,
  } satisfies Sdk.CreatePartitionIndexCommandInput;
  const name = partitionIndex.IndexName;
  return {
    service: "glue",
    operation: "CreatePartitionIndex",
    input,
    ...fields(
      to,
      resourceKeys.partitionIndex(catalogOf(to), table.DatabaseName, table.TableName, name),
      "create",
      Phase.partitions,
      `create partition index ${name} on ${where(table)}`,
    ),
  };
}

export function deletePartitionIndex(
  to: Destination,
  table: TableRef,
  indexName: string,
): OperationOf<"DeletePartitionIndex"> {
  const input = {
    ...inTable(to, table),
    IndexName: indexName,
  } satisfies Sdk.DeletePartitionIndexCommandInput;
  return {
    service: "glue",
    operation: "DeletePartitionIndex",
    input,
    ...fields(
      to,
      resourceKeys.partitionIndex(catalogOf(to), table.DatabaseName, table.TableName, indexName),
      "delete",
      Phase.partitions,
      `delete partition index ${indexName} on ${where(table)}`,
    ),
  };
}
