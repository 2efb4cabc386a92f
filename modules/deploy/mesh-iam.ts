// IAM actions of the mesh's roles and policies, in one place so the stacks and their synth tests
// read the same lists (AWS Service Authorization Reference, "Actions defined by ..."; Lake Formation
// Developer Guide, "Requirements for roles used to register locations" and "Cross-account data
// sharing prerequisites"; Glue Developer Guide, "Crawler prerequisites").
import type { LakeFormationPermission, MeshConfig } from "../config/mesh-schema.ts";
import { RAM_WRITE_APIS } from "../operations/apis.ts";
import { iamActions } from "./iam.ts";

/** Grants that let a principal write table data, so the registered locations must take writes. */
const DATA_WRITE_PERMISSIONS: readonly LakeFormationPermission[] = ["ALL", "INSERT", "DELETE"];

/** Whether any grant of the mesh lets someone write data through Lake Formation. */
export function meshWritesData(mesh: Pick<MeshConfig, "grants">): boolean {
  return mesh.grants.some((g) => g.permissions.some((p) => DATA_WRITE_PERMISSIONS.includes(p)));
}

/** What Lake Formation's data access role does on the registered producer locations. */
export function dataAccessActions(writes: boolean): { objects: string[]; bucket: string[]; key: string[] } {
  return {
    objects: iamActions("s3", writes ? ["GetObject", "PutObject", "DeleteObject"] : ["GetObject"]),
    bucket: iamActions("s3", ["ListBucket"]),
    key: writes ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
  };
}

/** KMS grant operations matching dataAccessActions (KMS API operation names, not IAM actions). */
export function dataAccessKeyOperations(writes: boolean): string[] {
  return writes ? ["Decrypt", "GenerateDataKey", "DescribeKey"] : ["Decrypt", "DescribeKey"];
}

/** The central crawlers: read the producer prefixes, write tables and partitions into their databases. */
export const MESH_CRAWLER_ACTIONS = {
  glue: iamActions("glue", [
    "GetDatabase",
    "GetTable",
    "GetTables",
    "CreateTable",
    "UpdateTable",
    "GetPartition",
    "GetPartitions",
    "BatchGetPartition",
    "CreatePartition",
    "BatchCreatePartition",
    "UpdatePartition",
    "BatchUpdatePartition",
  ]),
  /** Glue calls on a Lake Formation-managed catalog need this beside the Glue action. */
  lakeformation: ["lakeformation:GetDataAccess"],
  objects: iamActions("s3", ["GetObject"]),
  bucket: iamActions("s3", ["ListBucket"]),
  key: ["kms:Decrypt"],
  /** With a security configuration the crawler's log group is encrypted with the stack key. */
  logs: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"],
};
export const MESH_CRAWLER_KEY_OPERATIONS = ["Decrypt", "DescribeKey"];

/**
 * What the mesh reader reads of RAM (modules/aws/mesh-reader.ts): the invitations an account
 * received. test/stacks/contracts.test.ts checks the writer roles allow every RAM call the
 * reconciler's code makes.
 */
export const MESH_RAM_READ_APIS = ["GetResourceShareInvitations"] as const;

/**
 * The reconciler accepting the central account's RAM share invitations outside one Organization:
 * the runner's RAM writes (modules/operations/apis.ts) and the mesh reader's RAM reads.
 */
export const MESH_RAM_ACCEPT_ACTIONS = {
  /** Listing invitations has no resource-level permission. */
  list: iamActions("ram", MESH_RAM_READ_APIS),
  /** Held to invitations whose share the central account owns (condition ram:ShareOwnerAccountId). */
  accept: iamActions("ram", RAM_WRITE_APIS),
};

/** What the other accounts may call on the central catalog, by the permissions the grants give. */
const CATALOG_POLICY_READS = iamActions("glue", [
  "GetDatabase",
  "GetDatabases",
  "GetTable",
  "GetTables",
  "GetTableVersion",
  "GetTableVersions",
  "GetPartition",
  "GetPartitions",
  "BatchGetPartition",
  "GetPartitionIndexes",
  "SearchTables",
]);
const CATALOG_POLICY_WRITES: Partial<Record<LakeFormationPermission, string[]>> = {
  CREATE_TABLE: iamActions("glue", ["CreateTable"]),
  ALTER: iamActions("glue", ["UpdateTable", "UpdateDatabase"]),
  DROP: iamActions("glue", ["DeleteTable"]),
  INSERT: iamActions("glue", ["CreatePartition", "BatchCreatePartition", "UpdatePartition"]),
  DELETE: iamActions("glue", ["DeletePartition", "BatchDeletePartition"]),
};

/** The Glue actions the central catalog's resource policy allows the mesh accounts. */
export function catalogPolicyActions(mesh: Pick<MeshConfig, "grants">): string[] {
  const granted = new Set(mesh.grants.flatMap((g) => g.permissions));
  const writes = Object.entries(CATALOG_POLICY_WRITES)
    .filter(([permission]) => granted.has("ALL") || granted.has(permission as LakeFormationPermission))
    .flatMap(([, actions]) => actions ?? []);
  return [...new Set([...CATALOG_POLICY_READS, ...writes])];
}

/** What a consumer principal needs in IAM to query the shared tables in its workgroup. */
export const MESH_QUERY_ACTIONS = {
  athena: iamActions("athena", [
    "StartQueryExecution",
    "GetQueryExecution",
    "GetQueryResults",
    "StopQueryExecution",
    "GetWorkGroup",
  ]),
  glue: iamActions("glue", [
    "GetDatabase",
    "GetDatabases",
    "GetTable",
    "GetTables",
    "GetPartition",
    "GetPartitions",
    "BatchGetPartition",
  ]),
  lakeformation: ["lakeformation:GetDataAccess"],
  results: iamActions("s3", ["GetObject", "PutObject", "AbortMultipartUpload"]),
  resultBucket: iamActions("s3", ["ListBucket", "GetBucketLocation"]),
  key: ["kms:Decrypt", "kms:GenerateDataKey"],
};
