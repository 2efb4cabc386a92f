// The AWS APIs lakesync can call on a target, by service: the one list that the runner's command
// tables (modules/aws/operation-runner.ts), the operation builders and the writer role's IAM
// policy (stacks/) are all built from, so a new write API cannot reach one without the others.

export const GLUE_WRITE_APIS = [
  "CreateDatabase",
  "UpdateDatabase",
  "DeleteDatabase",
  "CreateTable",
  "UpdateTable",
  "DeleteTable",
  "BatchDeleteTable",
  "CreatePartition",
  "UpdatePartition",
  "DeletePartition",
  "BatchCreatePartition",
  "BatchUpdatePartition",
  "BatchDeletePartition",
  "CreatePartitionIndex",
  "DeletePartitionIndex",
] as const;

/** Reads the executor makes (refetches from the source, read-modify-write, onExists fills). */
export const GLUE_READ_APIS = ["GetDatabase", "GetTable", "GetPartition", "GetPartitions"] as const;

export const LAKE_FORMATION_WRITE_APIS = [
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
  "UpdateResource",
  "CreateDataCellsFilter",
  "UpdateDataCellsFilter",
  "DeleteDataCellsFilter",
] as const;

export const LAKE_FORMATION_READ_APIS = [
  "GetDataLakeSettings",
  "GetDataCellsFilter",
  "GetLFTag",
  "GetResourceLFTags",
  "DescribeResource",
  "ListPermissions",
] as const;

/**
 * RAM: the mesh reconciler accepts the central account's resource share invitations in a consumer
 * (outside one Organization). Mesh roles only (modules/deploy/mesh-iam.ts); the replication
 * writer roles are not given it.
 */
export const RAM_WRITE_APIS = ["AcceptResourceShareInvitation"] as const;

export type GlueWriteApi = (typeof GLUE_WRITE_APIS)[number];
export type GlueReadApi = (typeof GLUE_READ_APIS)[number];
export type LakeFormationWriteApi = (typeof LAKE_FORMATION_WRITE_APIS)[number];
export type LakeFormationReadApi = (typeof LAKE_FORMATION_READ_APIS)[number];
export type GlueApi = GlueWriteApi | GlueReadApi;
export type LakeFormationApi = LakeFormationWriteApi | LakeFormationReadApi;
export type RamApi = (typeof RAM_WRITE_APIS)[number];

/**
 * AWS's maximum entries per call of each batch API: producers split their batches at these
 * limits and the executor chunks larger inputs with them (batch-entries.ts).
 */
export const batchLimits = {
  BatchCreatePartition: 100,
  BatchUpdatePartition: 100,
  BatchDeletePartition: 25,
  BatchDeleteTable: 100,
  BatchGrantPermissions: 20,
  BatchRevokePermissions: 20,
  AddLFTagsToResource: 50,
  RemoveLFTagsFromResource: 50,
} as const satisfies Partial<Record<GlueWriteApi | LakeFormationWriteApi, number>>;

export type BatchApi = keyof typeof batchLimits;
