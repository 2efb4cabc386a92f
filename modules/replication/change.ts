// What happened in the source catalog, one variant per replicated CloudTrail event. Inputs are
// already in AWS SDK v3 shape (see translate.ts) but still name SOURCE identities: the planner
// applies the mapping. Only the members the planner relies on are typed; the rest pass through.

type Json = Record<string, unknown>;

/** Where and when the change happened (from the CloudTrail record). */
export interface ChangeSource {
  eventId: string;
  eventName: string;
  /** ISO 8601 */
  eventTime: string;
  account: string;
  region: string;
}

export interface DatabaseInput extends Json {
  Name: string;
}
export interface TableInput extends Json {
  Name: string;
}
export interface PartitionInput extends Json {
  Values?: string[];
}
export interface PermissionsEntry extends Json {
  Id?: string;
  Principal?: { DataLakePrincipalIdentifier?: string };
  Resource?: Json;
  Permissions?: string[];
  PermissionsWithGrantOption?: string[];
}
export interface DataCellsFilter extends Json {
  TableCatalogId: string;
  DatabaseName: string;
  TableName: string;
  Name: string;
}

interface Catalog {
  CatalogId?: string;
}
interface InTable extends Catalog {
  DatabaseName: string;
  TableName: string;
}

/** SDK inputs of the source calls, per supported event (the 28 events lakesync replays). */
export interface ChangeInputs {
  CreateDatabase: Catalog & { DatabaseInput: DatabaseInput; Tags?: Record<string, string> };
  UpdateDatabase: Catalog & { Name: string; DatabaseInput: DatabaseInput };
  DeleteDatabase: Catalog & { Name: string };
  // Iceberg tables created through OpenTableFormatInput may name the table at the top level.
  CreateTable: Catalog & { DatabaseName: string; Name?: string; TableInput?: TableInput } & Json;
  UpdateTable: Catalog & { DatabaseName: string; Name?: string; TableInput?: TableInput } & Json;
  DeleteTable: Catalog & { DatabaseName: string; Name: string } & Json;
  BatchDeleteTable: Catalog & { DatabaseName: string; TablesToDelete: string[] } & Json;
  CreatePartition: InTable & { PartitionInput: PartitionInput };
  BatchCreatePartition: InTable & { PartitionInputList: PartitionInput[] };
  UpdatePartition: InTable & { PartitionValueList: string[]; PartitionInput: PartitionInput };
  BatchUpdatePartition: InTable & {
    Entries: { PartitionValueList: string[]; PartitionInput: PartitionInput }[];
  };
  DeletePartition: InTable & { PartitionValues: string[] };
  BatchDeletePartition: InTable & { PartitionsToDelete: { Values: string[] }[] };
  GrantPermissions: Catalog & PermissionsEntry;
  RevokePermissions: Catalog & PermissionsEntry;
  BatchGrantPermissions: Catalog & { Entries: PermissionsEntry[] };
  BatchRevokePermissions: Catalog & { Entries: PermissionsEntry[] };
  CreateLFTag: Catalog & { TagKey: string; TagValues: string[] };
  UpdateLFTag: Catalog & { TagKey: string; TagValuesToAdd?: string[]; TagValuesToDelete?: string[] };
  DeleteLFTag: Catalog & { TagKey: string };
  AddLFTagsToResource: Catalog & { Resource: Json; LFTags: Json[] };
  RemoveLFTagsFromResource: Catalog & { Resource: Json; LFTags: Json[] };
  PutDataLakeSettings: Catalog & { DataLakeSettings: Json };
  RegisterResource: { ResourceArn: string; RoleArn?: string } & Json;
  DeregisterResource: { ResourceArn: string };
  CreateDataCellsFilter: { TableData: DataCellsFilter };
  UpdateDataCellsFilter: { TableData: DataCellsFilter };
  DeleteDataCellsFilter: {
    TableCatalogId?: string;
    DatabaseName?: string;
    TableName?: string;
    Name?: string;
  };
}

export type EventName = keyof ChangeInputs;

export const glueEvents = [
  "CreateDatabase",
  "UpdateDatabase",
  "DeleteDatabase",
  "CreateTable",
  "UpdateTable",
  "DeleteTable",
  "BatchDeleteTable",
  "CreatePartition",
  "BatchCreatePartition",
  "UpdatePartition",
  "BatchUpdatePartition",
  "DeletePartition",
  "BatchDeletePartition",
] as const satisfies readonly EventName[];

export const lakeFormationEvents = [
  "GrantPermissions",
  "RevokePermissions",
  "BatchGrantPermissions",
  "BatchRevokePermissions",
  "CreateLFTag",
  "UpdateLFTag",
  "DeleteLFTag",
  "AddLFTagsToResource",
  "RemoveLFTagsFromResource",
  "PutDataLakeSettings",
  "RegisterResource",
  "DeregisterResource",
  "CreateDataCellsFilter",
  "UpdateDataCellsFilter",
  "DeleteDataCellsFilter",
] as const satisfies readonly EventName[];

export const supportedEvents: readonly EventName[] = [...glueEvents, ...lakeFormationEvents];

export type CatalogChange = {
  [K in EventName]: { kind: K; source: ChangeSource; input: ChangeInputs[K] };
}[EventName];

export type ChangeOf<K extends EventName> = Extract<CatalogChange, { kind: K }>;

/** A read against the source catalog, used when CloudTrail omitted the request parameters. */
export interface SourceRead {
  service: "glue" | "lakeformation";
  operation: string;
  input: Json;
  resourceKey: string;
  description: string;
}

/** The result of decoding one record. */
export type Decoded =
  | { outcome: "change"; change: CatalogChange }
  | { outcome: "ignore"; reason: string }
  | { outcome: "unsupported"; reason: string }
  | { outcome: "refetch"; reason: string; source: ChangeSource; reads: SourceRead[] };
