// IAM actions of the AWS calls lakesync makes, built from the lists the code calls from, so a role
// cannot fall behind the code: the runner's API lists (modules/operations/apis.ts), the catalog
// snapshot reads and the journal store's calls. An API is authorized by `<service>:<Api>` unless
// the table below says otherwise (AWS Service Authorization Reference, "Actions defined by ...").
import { rewrittenFolder } from "../iceberg/paths.ts";
import {
  GLUE_READ_APIS,
  GLUE_WRITE_APIS,
  LAKE_FORMATION_READ_APIS,
  LAKE_FORMATION_WRITE_APIS,
} from "../operations/apis.ts";

/** Where an API's IAM action is not its own name; an empty list means no permission is checked. */
const AUTHORIZED_BY: Readonly<Record<string, readonly string[]>> = {
  // S3 authorizes listing objects on the bucket, and multipart parts as the object's PutObject.
  "s3:ListObjectsV2": ["s3:ListBucket"],
  "s3:HeadObject": ["s3:GetObject"],
  "s3:DeleteObjects": ["s3:DeleteObject"],
  "s3:CreateMultipartUpload": ["s3:PutObject"],
  "s3:UploadPart": ["s3:PutObject"],
  "s3:CompleteMultipartUpload": ["s3:PutObject"],
  // A batch of messages is authorized as each SendMessage.
  "sqs:SendMessageBatch": ["sqs:SendMessage"],
  // STS answers GetCallerIdentity for any caller, even when a policy denies it.
  "sts:GetCallerIdentity": [],
};

/** The IAM actions that authorize `apis` of `service` (e.g. "glue", ["GetTable"] -> ["glue:GetTable"]). */
export function iamActions(service: string, apis: readonly string[]): string[] {
  const actions = apis.flatMap((api) => AUTHORIZED_BY[`${service}:${api}`] ?? [`${service}:${api}`]);
  return [...new Set(actions)];
}

/**
 * What the batch path reads of a whole catalog (modules/aws/catalog-reader.ts and batch-units.ts):
 * the source for backups, each target for the diff. The synth test checks the code calls no more.
 */
export const CATALOG_SNAPSHOT_APIS = {
  glue: ["GetDatabases", "GetTables", "GetPartitions", "BatchGetPartition", "GetPartitionIndexes"],
  lakeformation: [
    "GetDataLakeSettings",
    "GetResourceLFTags",
    "ListDataCellsFilter",
    "ListLFTags",
    "ListPermissions",
    "ListResources",
    "SearchDatabasesByLFTags",
  ],
} as const;

/**
 * Lake Formation authorizes Glue calls on the resources it manages only for principals whose IAM
 * policy also allows lakeformation:GetDataAccess (Lake Formation Developer Guide, "Lake Formation
 * permissions reference": the IAM permissions every persona that creates tables needs).
 */
const LAKE_FORMATION_MANAGED_CATALOG_ACCESS = ["lakeformation:GetDataAccess"];

/** Reads of one catalog, source or target: what the runner reads and what a snapshot reads. */
export const CATALOG_READ_ACTIONS = {
  glue: iamActions("glue", [...GLUE_READ_APIS, ...CATALOG_SNAPSHOT_APIS.glue]),
  lakeformation: iamActions("lakeformation", [
    ...LAKE_FORMATION_READ_APIS,
    ...CATALOG_SNAPSHOT_APIS.lakeformation,
  ]),
};

/**
 * The target writer role: everything the runner writes and reads (modules/operations/apis.ts)
 * plus the snapshot reads of a batch diff, since the replicator and the batch worker both act on
 * a target through this role.
 */
export const WRITER_ROLE_ACTIONS = {
  glue: iamActions("glue", [...GLUE_WRITE_APIS, ...GLUE_READ_APIS, ...CATALOG_SNAPSHOT_APIS.glue]),
  lakeformation: [
    ...iamActions("lakeformation", [
      ...LAKE_FORMATION_WRITE_APIS,
      ...LAKE_FORMATION_READ_APIS,
      ...CATALOG_SNAPSHOT_APIS.lakeformation,
    ]),
    ...LAKE_FORMATION_MANAGED_CATALOG_ACCESS,
  ],
};

/**
 * RegisterResource and UpdateResource with a RoleArn hand that role to Lake Formation: IAM checks
 * iam:PassRole on it (IAM User Guide, "Grant a user permissions to pass a role to an AWS service").
 * Lake Formation also reads the role (iam:GetRole) when it validates the registration.
 */
export const REGISTRATION_ROLE_ACTIONS = { pass: "iam:PassRole", read: "iam:GetRole" } as const;

/** The replicator re-reads the source with the runner's reads when CloudTrail omitted a request. */
export const SOURCE_REREAD_ACTIONS = [
  ...iamActions("glue", GLUE_READ_APIS),
  ...iamActions("lakeformation", LAKE_FORMATION_READ_APIS),
];

/** What the Snowflake sync reads of the source's Glue tables (modules/snowflake/glue-source.ts). */
export const SNOWFLAKE_SYNC_GLUE_APIS = ["GetDatabases", "GetTables", "GetTable", "GetTableVersion"] as const;

/**
 * The Iceberg metadata rewrite (modules/aws/iceberg-runner.ts through iceberg-file-store.ts): it
 * reads the source table's metadata files (GetObject, HeadObject) with the replicator's or batch
 * worker's own role, and reads and writes the rewritten files under the target's `lakesync-dr/`
 * folders with the role that writes the target (or the worker's own, for a target without one).
 */
export const ICEBERG_REWRITE_ACTIONS = {
  readSource: iamActions("s3", ["GetObject", "HeadObject"]),
  writeTarget: iamActions("s3", ["GetObject", "HeadObject", "PutObject"]),
  /**
   * On the buckets themselves: without s3:ListBucket, S3 answers a GET or HEAD of a missing key
   * with 403 instead of 404 (Amazon S3 User Guide, "HeadObject"/"GetObject" permissions), and the
   * rewrite asks for files that do not exist yet (has this file been rewritten before?).
   */
  tellMissing: ["s3:ListBucket"],
};

/**
 * The objects of the rewrite, scoped by the bucket mapping: the metadata folders of the source
 * buckets it moves, and the `lakesync-dr/` folders beside them in the target buckets. Empty lists
 * when the mapping moves no bucket (nothing is rewritten then).
 */
export function icebergRewriteResources(buckets: Readonly<Record<string, string>>): {
  sourceMetadata: string[];
  targetRewrites: string[];
  sourceBuckets: string[];
  targetBuckets: string[];
} {
  const moved = Object.entries(buckets).filter(([from, to]) => from !== to);
  return {
    sourceBuckets: [...new Set(moved.map(([from]) => `arn:aws:s3:::${from}`))],
    targetBuckets: [...new Set(moved.map(([, to]) => `arn:aws:s3:::${to}`))],
    sourceMetadata: [...new Set(moved.map(([from]) => `arn:aws:s3:::${from}/*metadata/*`))],
    targetRewrites: [...new Set(moved.map(([, to]) => `arn:aws:s3:::${to}/*metadata/${rewrittenFolder}/*`))],
  };
}
