// The schema of lakesync.config.json: one file configures realtime replication, batch backup and
// sync, the data mesh, the Snowflake sync and the deployment. Every field is described here; the
// descriptions become lakesync.config.schema.json and modules/config/README.md (write-json-schema.ts).
import * as z from "zod";
import { DEFAULT_MAX_DELETE_SHARE } from "../batch/delete-guard.ts";
import { DEFAULT_JOURNAL_RETENTION_DAYS } from "../journal/retention.ts";
import { icebergModes } from "../mapping/mapping.ts";
import {
  accountId,
  bucketName,
  catalogGlob,
  databaseName,
  int,
  nonEmpty,
  principal,
  region,
  resourceName,
  roleArn,
  s3Url,
  shown,
  uniqueBy,
} from "./fields.ts";
import { meshSchema } from "./mesh-schema.ts";
import {
  accountIdPattern,
  iamPrincipalArnPattern,
  scheduleExpressionPattern,
  secretArnPattern,
} from "./rules.ts";

// ---------------------------------------------------------------------------------------------
// Mapping and filters

export const mappingSchema = z
  .strictObject({
    buckets: z
      .record(bucketName(), bucketName())
      .default({})
      .describe(
        "Source S3 bucket → target S3 bucket. Only the bucket (the URI host) is rewritten, never the key, in table, partition and database locations and registered resource ARNs.",
      ),
    accounts: z
      .record(accountId(), accountId())
      .default({})
      .describe(
        "Source account id → target account id for catalog ids and principals' account ids, beyond the implicit source account → target account.",
      ),
    principals: z
      .record(principal(), principal())
      .default({})
      .describe(
        "Source Lake Formation principal (IAM ARN, SAML/Identity Center ARN or account id) → target principal; an exact match wins over account rewriting.",
      ),
  })
  .describe("How source identities become target identities.");

/** Per-target override: any of the three maps, merged key by key over the top-level mapping. */
export const targetMappingSchema = z
  .strictObject({
    buckets: mappingSchema.shape.buckets.unwrap().optional().describe("Merged over mapping.buckets."),
    accounts: mappingSchema.shape.accounts.unwrap().optional().describe("Merged over mapping.accounts."),
    principals: mappingSchema.shape.principals
      .unwrap()
      .optional()
      .describe("Merged over mapping.principals."),
  })
  .describe("Mapping entries for this target only, merged over the top-level mapping (target entries win).");

export const filtersSchema = z
  .strictObject({
    include: z
      .array(catalogGlob())
      .default([])
      .describe('Databases ("sales_*") or tables ("hr.employees") to replicate; empty means every database.'),
    exclude: z
      .array(catalogGlob())
      .default([])
      .describe("Databases or tables never replicated; exclude wins over include."),
  })
  .describe("Which databases and tables are replicated, as `database` or `database.table` globs (* and ?).");

// ---------------------------------------------------------------------------------------------
// Source and targets

const locationFields = {
  account: accountId().describe("12-digit AWS account id."),
  region: region().describe('AWS region name, e.g. "us-east-1".'),
  roleArn: roleArn()
    .optional()
    .describe(
      "IAM role lakesync assumes to reach this account; omit to use the ambient credentials (same account).",
    ),
};

export const sourceSchema = z
  .strictObject({
    name: resourceName().default("source").describe("Name of the source in logs and resource names."),
    ...locationFields,
  })
  .describe("The catalog that is read: the Glue Data Catalog and Lake Formation of one account and region.");

export const targetSchema = z
  .strictObject({
    name: resourceName().describe(
      'Unique target name, e.g. "dr-west"; used in resource names and CLI flags.',
    ),
    ...locationFields,
    mapping: targetMappingSchema.optional(),
    protectedAdmins: z
      .array(
        z.string().regex(iamPrincipalArnPattern, {
          error: (issue) =>
            `expected an IAM role or user ARN like "arn:aws:iam::123456789012:role/BreakGlass", got ${shown(issue.input)}`,
        }),
      )
      .default([])
      .describe(
        "Target data lake admins never removed (sync --delete, settings replays), e.g. break-glass roles; lakesync's own roles are protected without being listed.",
      ),
    iceberg: z
      .enum(icebergModes, {
        error: (issue) => `expected one of ${icebergModes.join(", ")}, got ${shown(issue.input)}`,
      })
      .optional()
      .describe(
        "Iceberg tables (table_type ICEBERG) whose metadata_location the bucket mapping moves to another bucket: rewrite (the default when absent) writes a complete rewritten metadata tree (metadata JSON, manifest lists, manifests) under metadata/lakesync-dr/ in the target bucket and points the target table at it, so the table reads the target bucket alone; pointer-only maps the metadata_location bucket only (the copied files still name the source bucket); skip leaves such tables out (reported skipped).",
      ),
  })
  .describe("A catalog that is written.");

// ---------------------------------------------------------------------------------------------
// Features

export const replicateSchema = z
  .strictObject({
    catalog: z.boolean().default(true).describe("Replicate Glue databases, tables and partitions."),
    permissions: z.boolean().default(true).describe("Replicate Lake Formation grants and revokes."),
    lfTags: z.boolean().default(true).describe("Replicate LF-Tags and their assignments to resources."),
    dataLakeSettings: z
      .boolean()
      .default(true)
      .describe("Replicate data lake settings as the source sets them (protected admins are never removed)."),
    dataCellsFilters: z
      .boolean()
      .default(true)
      .describe("Replicate data cells filters (row/column filters)."),
    deletes: z.boolean().default(true).describe("Replicate deletes of databases, tables and partitions."),
  })
  .describe("What kinds of change are replicated (realtime and batch).");

export const realtimeSchema = z
  .strictObject({
    journalTable: z
      .string()
      .regex(/^[a-zA-Z0-9_.-]{3,255}$/, {
        error: (issue) =>
          `expected a DynamoDB table name (3-255 letters, digits, _ . -), got ${shown(issue.input)}`,
      })
      .default("lakesync-events")
      .describe("DynamoDB table journaling captured CloudTrail events (deduplicated on eventID)."),
    pollScheduleMinutes: int(1, 60)
      .default(5)
      .describe("How often the CloudTrail LookupEvents poller runs, in minutes."),
    lookbackMinutes: int(15, 1440)
      .default(20)
      .describe(
        "How far back each poll looks, in minutes; at least 15 because CloudTrail delivers events up to 15 minutes late.",
      ),
    maxAttempts: int(1, 100)
      .default(5)
      .describe("Attempts per event before it is parked as failed and alerted."),
    journalRetentionDays: int(1, 3650)
      .default(DEFAULT_JOURNAL_RETENTION_DAYS)
      .describe(
        "Days a journal event is kept once every target concluded it (settled, or failed maxAttempts times); then TTL deletes it. Checkpoints and high-water marks never expire.",
      ),
    replicatorRoleArn: roleArn()
      .optional()
      .describe("Existing role for the replicator Lambda; omit to let the deployment create one."),
    alertEmail: z
      .email({ error: (issue) => `expected an email address, got ${shown(issue.input)}` })
      .optional()
      .describe("Email subscribed to the failure alerts topic."),
  })
  .superRefine((realtime, ctx) => {
    // Only once both numbers are individually valid, so one mistake gives one message.
    const { lookbackMinutes, pollScheduleMinutes } = realtime;
    if (lookbackMinutes >= 15 && pollScheduleMinutes >= 1 && lookbackMinutes < pollScheduleMinutes + 15) {
      ctx.addIssue({
        code: "custom",
        path: ["lookbackMinutes"],
        message: `expected at least realtime.pollScheduleMinutes + 15 (${realtime.pollScheduleMinutes + 15}) so consecutive polls overlap by CloudTrail's delivery delay, got ${realtime.lookbackMinutes}`,
      });
    }
  })
  .describe("Realtime replication: CloudTrail capture, journal and replicator.");

export const batchSchema = z
  .strictObject({
    backupBucket: bucketName().describe("S3 bucket receiving catalog backups (gzip JSONL + manifest)."),
    backupPrefix: z
      .string()
      .regex(/^(?:[^/].*\/)?$/, {
        error: (issue) =>
          `expected a key prefix ending in "/" and not starting with "/", got ${shown(issue.input)}`,
      })
      .default("lakesync/backups/")
      .describe("Key prefix of the backups in backupBucket."),
    keepBackups: int(1, 10000).default(14).describe("How many backups to keep; older ones are deleted."),
    schedule: z
      .string()
      .regex(scheduleExpressionPattern, {
        error: (issue) =>
          `expected an EventBridge schedule like "cron(0 3 * * ? *)" or "rate(1 day)", got ${shown(issue.input)}`,
      })
      .optional()
      .describe("When the scheduled backup + sync runs; omit to run it only from the CLI."),
    databases: z
      .union(
        [
          z.literal("all"),
          z.array(databaseName()).min(1, { error: 'expected at least one database, or "all"' }),
        ],
        { error: (issue) => `expected "all" or a list of database names, got ${shown(issue.input)}` },
      )
      .default("all")
      .describe('Databases backed up and synced: "all" or a list of names (filters still apply).'),
    syncCatalog: z.boolean().default(true).describe("Sync databases, tables and partitions to the targets."),
    syncPermissions: z.boolean().default(true).describe("Sync Lake Formation permissions to the targets."),
    deleteSync: z
      .boolean()
      .default(false)
      .describe("Delete target objects that no longer exist in the source (off: only report them)."),
    maxDeleteShare: z
      .number()
      .min(0, { error: (issue) => `expected a share from 0 to 1, got ${shown(issue.input)}` })
      .max(1, { error: (issue) => `expected a share from 0 to 1, got ${shown(issue.input)}` })
      .default(DEFAULT_MAX_DELETE_SHARE)
      .describe(
        "Delete-sync guard: a sync or restore refuses to delete more than this share of the target's objects, or anything when the source has no databases, tables or partitions, unless run with --allow-mass-delete.",
      ),
    concurrency: int(1, 64).default(8).describe("Parallel write calls per target."),
  })
  .describe("Batch backup, restore and drift repair.");

const snowflakeIdentifier = () =>
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]{0,254}$/, {
    error: (issue) => `expected a Snowflake identifier (letters, digits, _ and $), got ${shown(issue.input)}`,
  });

export const snowflakeSchema = z
  .strictObject({
    account: z
      .string()
      .regex(/^[A-Za-z0-9]+-[A-Za-z0-9_]+$/, {
        error: (issue) =>
          `expected a Snowflake account identifier "ORGNAME-ACCOUNTNAME", got ${shown(issue.input)}`,
      })
      .describe('Snowflake account identifier "ORGNAME-ACCOUNTNAME".'),
    user: snowflakeIdentifier().describe("Service user (key-pair authentication)."),
    role: snowflakeIdentifier().describe("Role the sync runs as."),
    warehouse: snowflakeIdentifier().describe("Warehouse for DDL and refreshes."),
    secretArn: z
      .string()
      .regex(secretArnPattern, {
        error: (issue) =>
          `expected a Secrets Manager secret ARN like "arn:aws:secretsmanager:us-east-1:123456789012:secret:name", got ${shown(issue.input)}`,
      })
      .describe("Secrets Manager secret holding the user's private key (PEM)."),
    databaseSchemaSeparator: z
      .string()
      .min(1, { error: "expected a non-empty separator" })
      .default("__")
      .describe('Separator when a Glue database name encodes "<snowflake db><sep><schema>".'),
    stages: z
      .record(
        z.string().regex(/^[A-Za-z_][\w$]*\.[A-Za-z_][\w$]*\.[A-Za-z_][\w$]*$/, {
          error: (issue) => `expected a stage name "database.schema.stage", got ${shown(issue.input)}`,
        }),
        s3Url(),
      )
      .default({})
      .describe('External stage "db.schema.stage" → the S3 URL it points at; tables under it use the stage.'),
    dropOnDelete: z
      .boolean()
      .default(false)
      .describe("Drop the Snowflake table when the Glue table is deleted (off: leave it)."),
    compat: z
      .boolean()
      .default(false)
      .describe("Reproduce the seed script's DDL (names, types) instead of lakesync's corrected mapping."),
    storageIntegration: z
      .strictObject({
        name: snowflakeIdentifier().describe("Storage integration name."),
        storageAwsRoleArn: roleArn().describe("IAM role Snowflake assumes to read the stages' S3 locations."),
        allowedLocations: z
          .array(s3Url())
          .min(1, { error: "expected at least one S3 URL" })
          .describe("S3 URLs the integration may read."),
      })
      .optional()
      .describe("Storage integration the deployment creates for the stages; omit if it exists."),
  })
  .describe("Sync Glue tables to Snowflake external tables.");

const tagKey = () =>
  z.string().regex(/^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, {
    error: (issue) =>
      `expected a tag key of 1-128 characters not starting with "aws:", got ${shown(issue.input)}`,
  });

const terraformCloudFields = () => ({
  hostname: nonEmpty().default("app.terraform.io").describe("Terraform Cloud host."),
  organization: nonEmpty().describe("Organization name."),
  workspaces: z
    .union(
      [
        z.strictObject({ name: nonEmpty().describe("Workspaces named <name>-<stack>, one per stack.") }),
        z.strictObject({ prefix: nonEmpty().describe("Workspaces named <prefix><stack>.") }),
      ],
      { error: 'expected {"name": "<workspace>"} or {"prefix": "<workspace prefix>"}' },
    )
    .describe("Workspace name or prefix; each stack gets its own workspace."),
});

export const backendSchema = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({ type: z.literal("local").describe("State in a local terraform.tfstate file.") }),
      z.strictObject({
        type: z.literal("s3").describe("State in S3."),
        bucket: bucketName().describe("State bucket."),
        key: nonEmpty().default("lakesync/terraform.tfstate").describe("State object key."),
        region: region().describe("Region of the state bucket."),
        dynamodbTable: z.string().optional().describe("Lock table (omit to use S3 native locking)."),
      }),
      z.strictObject({
        type: z.literal("remote").describe("HCP Terraform / Terraform Cloud (a `cloud` block)."),
        ...terraformCloudFields(),
      }),
      z.strictObject({
        type: z.literal("cloud").describe('HCP Terraform / Terraform Cloud, the same as "remote".'),
        ...terraformCloudFields(),
      }),
    ],
    {
      error: (issue) => {
        const input = issue.input;
        return input !== null && typeof input === "object" && !Array.isArray(input)
          ? `expected "type" to be "local", "s3", "remote" or "cloud", got ${shown((input as { type?: unknown }).type)}`
          : `expected an object like {"type": "local"}, got ${shown(input)}`;
      },
    },
  )
  .default({ type: "local" })
  .describe('Where Terraform state lives: {"type":"local"}, {"type":"s3",…} or {"type":"remote"|"cloud",…}.');

// The retention values CloudWatch Logs accepts.
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const DEFAULT_ALARMS = { replicationLagSeconds: 900, eventBridgeSilentHours: 6 } as const;

export const alarmsSchema = z
  .strictObject({
    replicationLagSeconds: int(1, 86400)
      .default(DEFAULT_ALARMS.replicationLagSeconds)
      .describe(
        "Alarm when the p99 replication lag (source eventTime to applied) exceeds this many seconds.",
      ),
    eventBridgeSilentHours: int(1, 24)
      .default(DEFAULT_ALARMS.eventBridgeSilentHours)
      .describe(
        "Alarm when the EventBridge capture path has journaled nothing for this many hours while the CloudTrail poller still captures events (a broken trail or rule).",
      ),
    subscriptions: z
      .array(
        z.strictObject({
          protocol: z.enum(["email", "https"]).describe("SNS subscription protocol."),
          endpoint: nonEmpty().describe("Email address or HTTPS URL."),
        }),
      )
      .default([])
      .describe("Extra subscriptions to each stack's alert topic, besides realtime.alertEmail."),
  })
  .superRefine((alarms, ctx) => {
    alarms.subscriptions.forEach((s, i) => {
      if (s.protocol === "https" && !/^https:\/\/\S+$/.test(s.endpoint)) {
        ctx.addIssue({
          code: "custom",
          path: ["subscriptions", i, "endpoint"],
          message: `expected an https:// URL, got ${shown(s.endpoint)}`,
        });
      }
      if (s.protocol === "email" && !z.email().safeParse(s.endpoint).success) {
        ctx.addIssue({
          code: "custom",
          path: ["subscriptions", i, "endpoint"],
          message: `expected an email address, got ${shown(s.endpoint)}`,
        });
      }
    });
  })
  .describe("Thresholds of the operations alarms and who they notify.");

export const DEFAULT_RETENTION = { logDays: 365, noncurrentObjectDays: 30 } as const;

export const retentionSchema = z
  .strictObject({
    logDays: z
      .number()
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        error: (issue) =>
          `expected one of CloudWatch Logs' retention values (${LOG_RETENTION_DAYS.join(", ")}), got ${shown(issue.input)}`,
      })
      .default(DEFAULT_RETENTION.logDays)
      .describe("Days the Lambda log groups keep logs."),
    noncurrentObjectDays: int(1, 3650)
      .default(DEFAULT_RETENTION.noncurrentObjectDays)
      .describe("Days S3 keeps an overwritten or deleted object's old version in versioned buckets."),
  })
  .describe("How long logs and old object versions are kept.");

export const DEFAULT_LAMBDA = {
  runtime: "nodejs22.x",
  architecture: "arm64",
  memoryMb: 512,
  timeoutSeconds: 300,
  traceSdkCalls: false,
} as const;

export const deploymentSchema = z
  .strictObject({
    backend: backendSchema,
    kmsKeyArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/, {
        error: (issue) =>
          `expected a KMS key ARN like "arn:aws:kms:us-east-1:123456789012:key/<uuid>", got ${shown(issue.input)}`,
      })
      .optional()
      .describe(
        "Existing customer-managed KMS key for every stack's data; omit to let each stack create its own. Its key policy must allow the stack's roles and services (see the README's security section).",
      ),
    retention: retentionSchema.default(DEFAULT_RETENTION),
    alarms: alarmsSchema.default({ ...DEFAULT_ALARMS, subscriptions: [] }),
    lambda: z
      .strictObject({
        runtime: z
          .enum(["nodejs22.x", "nodejs20.x"])
          .default(DEFAULT_LAMBDA.runtime)
          .describe("Lambda runtime."),
        architecture: z
          .enum(["arm64", "x86_64"])
          .default(DEFAULT_LAMBDA.architecture)
          .describe("Lambda architecture."),
        memoryMb: int(128, 10240).default(DEFAULT_LAMBDA.memoryMb).describe("Lambda memory in MB."),
        timeoutSeconds: int(1, 900)
          .default(DEFAULT_LAMBDA.timeoutSeconds)
          .describe("Lambda timeout in seconds."),
        traceSdkCalls: z
          .boolean()
          .default(DEFAULT_LAMBDA.traceSdkCalls)
          .describe(
            "Trace each replicator drain and batch unit in X-Ray with every Glue, Lake Formation, DynamoDB and S3 call as a subsegment (the Powertools tracer). Every function has X-Ray active tracing either way; this adds the X-Ray SDK (about 90 KB) to those two functions' cold start.",
          ),
      })
      .default(DEFAULT_LAMBDA)
      .describe("Settings shared by lakesync's Lambdas."),
    tags: z
      .record(tagKey(), z.string().max(256, { error: "expected a tag value of at most 256 characters" }))
      .default({})
      .describe("Tags applied to every deployed resource."),
  })
  .describe("How lakesync is deployed with CDK for Terraform.");

// ---------------------------------------------------------------------------------------------
// The file

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Path or URL of lakesync.config.schema.json, for editors."),
    source: sourceSchema,
    targets: z
      .array(targetSchema)
      .min(1, { error: "expected at least one target" })
      .superRefine((targets, ctx) => {
        uniqueBy(targets, (t) => t.name, ctx, { array: "targets", field: "name", what: "target name" });
        uniqueBy(targets, (t) => `${t.account} ${t.region}`, ctx, {
          array: "targets",
          field: "region",
          what: "account and region per target",
        });
      })
      .describe("Catalogs kept in sync with the source (other regions and/or accounts)."),
    mapping: mappingSchema.default({ buckets: {}, accounts: {}, principals: {} }),
    filters: filtersSchema.default({ include: [], exclude: [] }),
    replicate: replicateSchema.default({
      catalog: true,
      permissions: true,
      lfTags: true,
      dataLakeSettings: true,
      dataCellsFilters: true,
      deletes: true,
    }),
    realtime: realtimeSchema.default({
      journalTable: "lakesync-events",
      pollScheduleMinutes: 5,
      lookbackMinutes: 20,
      maxAttempts: 5,
      journalRetentionDays: DEFAULT_JOURNAL_RETENTION_DAYS,
    }),
    batch: batchSchema,
    mesh: meshSchema.optional(),
    snowflake: snowflakeSchema.optional(),
    deployment: deploymentSchema.default({
      backend: { type: "local" },
      retention: DEFAULT_RETENTION,
      alarms: { ...DEFAULT_ALARMS, subscriptions: [] },
      lambda: DEFAULT_LAMBDA,
      tags: {},
    }),
  })
  .superRefine((config, ctx) => {
    config.targets.forEach((target, i) => {
      if (target.account === config.source.account && target.region === config.source.region) {
        ctx.addIssue({
          code: "custom",
          path: ["targets", i, "region"],
          message: `expected a target that differs from the source (account ${config.source.account}, region ${config.source.region}) in account or region`,
        });
      }
      const mapped =
        target.mapping?.accounts?.[config.source.account] ?? config.mapping.accounts[config.source.account];
      // A malformed mapped id is already reported on the map itself.
      if (mapped !== undefined && accountIdPattern.test(mapped) && mapped !== target.account) {
        const where =
          target.mapping?.accounts?.[config.source.account] !== undefined
            ? `targets[${i}].mapping`
            : "mapping";
        ctx.addIssue({
          code: "custom",
          path: ["targets", i, "account"],
          message: `${where}.accounts maps the source account ${config.source.account} to ${mapped}, but this target's account is ${target.account}`,
        });
      }
    });
  })
  .meta({ title: "lakesync configuration" })
  .describe(
    "lakesync.config.json: one file for realtime replication, batch, mesh, Snowflake and deployment.",
  );

/** The config as the program sees it: validated, every default filled in. */
export type LakesyncConfig = z.output<typeof configSchema>;
/** The config as written in the file (defaults optional). */
export type LakesyncConfigFile = z.input<typeof configSchema>;
export type SourceConfig = LakesyncConfig["source"];
export type TargetConfig = LakesyncConfig["targets"][number];
export type MappingConfig = LakesyncConfig["mapping"];
export type FiltersConfig = LakesyncConfig["filters"];
export type ReplicateConfig = LakesyncConfig["replicate"];
export type RealtimeConfig = LakesyncConfig["realtime"];
export type BatchConfig = LakesyncConfig["batch"];
export type { MeshConfig } from "./mesh-schema.ts";
export type SnowflakeConfig = NonNullable<LakesyncConfig["snowflake"]>;
export type DeploymentConfig = LakesyncConfig["deployment"];
