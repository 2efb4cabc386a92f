// Environment variables of the batch handlers (batch-start, batch-worker), shared with the stack
// that sets them: one module, so the names cannot drift apart.

import { defaultBackupPrefix, normalisePrefix } from "../backup/layout.ts";
import { catalogLocationSchema, mappingRulesSchema } from "../config/resolved-target.ts";
import * as z from "../config/zod-mini.ts";
import {
  booleanVariable,
  parseEnvironment,
  parseJsonVariable,
  requiredVariables,
  TRACE_SDK_CALLS_VARIABLE,
} from "../deploy/environment.ts";
import { DEFAULT_MAX_DELETE_SHARE, type DeleteGuard } from "./delete-guard.ts";
import type { BatchTarget } from "./settings.ts";

/** What a refused scheduled delete-sync tells the operator to do (delete-guard.ts). */
export const HANDLER_DELETE_OVERRIDE =
  "nothing written; raise batch.maxDeleteShare in the config to apply them";

export const BATCH_ENV = {
  sourceAccount: "LAKESYNC_SOURCE_ACCOUNT",
  sourceRegion: "LAKESYNC_SOURCE_REGION",
  backupBucket: "LAKESYNC_BACKUP_BUCKET",
  backupPrefix: "LAKESYNC_BACKUP_PREFIX",
  keepBackups: "LAKESYNC_KEEP_BACKUPS",
  /** "all" or a comma-separated list of database names. */
  databases: "LAKESYNC_BATCH_DATABASES",
  /** The work-unit queue the start handler fills and the worker consumes. */
  queueUrl: "LAKESYNC_BATCH_QUEUE_URL",
  concurrency: "LAKESYNC_BATCH_CONCURRENCY",
  /**
   * JSON array of BatchTarget ({location, rules}): the targets each unit syncs to. Empty or unset:
   * backup only. The stack computes it with resolveBatchSettings(config, {}), as the CLI does.
   */
  targets: "LAKESYNC_BATCH_TARGETS",
  deleteSync: "LAKESYNC_BATCH_DELETE_SYNC",
  /** batch.maxDeleteShare: the delete-sync guard's share (delete-guard.ts). */
  maxDeleteShare: "LAKESYNC_BATCH_MAX_DELETE_SHARE",
  syncCatalog: "LAKESYNC_BATCH_SYNC_CATALOG",
  syncPermissions: "LAKESYNC_BATCH_SYNC_PERMISSIONS",
  /** A table with more partitions than this is backed up (and synced) as a work unit of its own. */
  largeTablePartitions: "LAKESYNC_BATCH_LARGE_TABLE_PARTITIONS",
  /** Operations handed to the executor at once when a unit syncs (memory bound of a sync). */
  executeWindow: "LAKESYNC_BATCH_EXECUTE_WINDOW",
  /** The worker's: see TRACE_SDK_CALLS_VARIABLE. */
  traceSdkCalls: TRACE_SDK_CALLS_VARIABLE,
} as const;

/** BatchTarget as JSON: the location and the MappingRules the stack resolved for the source. */
const targetSchema = z.object({ location: catalogLocationSchema, rules: mappingRulesSchema });

/** A whole number from the variable's text, at least `min` (and at most `max`). */
const count = (min: number, max?: number) =>
  z.coerce.number().check(z.int(), z.minimum(min), ...(max === undefined ? [] : [z.maximum(max)]));

const schema = z.object({
  [BATCH_ENV.sourceAccount]: z.string().check(z.regex(/^\d{12}$/, "expected a 12-digit account id")),
  [BATCH_ENV.sourceRegion]: z.optional(z.string().check(z.minLength(1))),
  [BATCH_ENV.backupBucket]: z.string().check(z.minLength(3)),
  [BATCH_ENV.backupPrefix]: z._default(z.string(), defaultBackupPrefix),
  [BATCH_ENV.keepBackups]: z._default(count(1), 14),
  [BATCH_ENV.databases]: z._default(z.string().check(z.minLength(1)), "all"),
  [BATCH_ENV.queueUrl]: z.optional(z.url()),
  [BATCH_ENV.concurrency]: z._default(count(1, 64), 8),
  [BATCH_ENV.targets]: z.optional(z.string()),
  [BATCH_ENV.deleteSync]: booleanVariable(false),
  [BATCH_ENV.maxDeleteShare]: z._default(
    z.coerce.number().check(z.minimum(0), z.maximum(1)),
    DEFAULT_MAX_DELETE_SHARE,
  ),
  [BATCH_ENV.syncCatalog]: booleanVariable(true),
  [BATCH_ENV.syncPermissions]: booleanVariable(true),
  [BATCH_ENV.largeTablePartitions]: z._default(count(1), 100_000),
  [BATCH_ENV.executeWindow]: z._default(count(1), 500),
  [BATCH_ENV.traceSdkCalls]: booleanVariable(false),
  AWS_REGION: z.optional(z.string().check(z.minLength(1))),
});

/** What the stack must set for batch-start and batch-worker: both send work units to the queue. */
export const BATCH_REQUIRED_ENV = [...requiredVariables(schema), BATCH_ENV.queueUrl];

export interface BatchHandlerConfig {
  source: { account: string; region: string };
  bucket: string;
  prefix: string;
  keepBackups: number;
  databases: "all" | string[];
  queueUrl?: string;
  concurrency: number;
  targets: BatchTarget[];
  deleteSync: boolean;
  deleteGuard: DeleteGuard;
  syncCatalog: boolean;
  syncPermissions: boolean;
  largeTablePartitions: number;
  executeWindow: number;
  /** Trace every SDK call as an X-Ray subsegment (TRACE_SDK_CALLS_VARIABLE). */
  traceSdkCalls: boolean;
}

function parseTargets(text: string | undefined): BatchTarget[] {
  if (!text?.trim()) return [];
  return parseJsonVariable(z.array(targetSchema), text, BATCH_ENV.targets, "batch");
}

export function parseBatchEnv(env: Record<string, string | undefined>): BatchHandlerConfig {
  const data = parseEnvironment(schema, env, "batch");
  const region = data[BATCH_ENV.sourceRegion] ?? data.AWS_REGION;
  if (!region) throw new Error(`invalid batch configuration: set ${BATCH_ENV.sourceRegion} or AWS_REGION`);
  const databases = data[BATCH_ENV.databases].trim();
  return {
    source: { account: data[BATCH_ENV.sourceAccount], region },
    bucket: data[BATCH_ENV.backupBucket],
    prefix: normalisePrefix(data[BATCH_ENV.backupPrefix]),
    keepBackups: data[BATCH_ENV.keepBackups],
    databases:
      databases === "all"
        ? "all"
        : databases
            .split(",")
            .map((d) => d.trim())
            .filter(Boolean),
    ...(data[BATCH_ENV.queueUrl] ? { queueUrl: data[BATCH_ENV.queueUrl] } : {}),
    concurrency: data[BATCH_ENV.concurrency],
    targets: parseTargets(data[BATCH_ENV.targets]),
    deleteSync: data[BATCH_ENV.deleteSync],
    // A scheduled run has no operator to confirm a mass delete: the guard always holds.
    deleteGuard: {
      maxDeleteShare: data[BATCH_ENV.maxDeleteShare],
      // A scheduled run has no --allow-mass-delete: the config's share is its only override.
      allowMassDelete: false,
      override: HANDLER_DELETE_OVERRIDE,
    },
    syncCatalog: data[BATCH_ENV.syncCatalog],
    syncPermissions: data[BATCH_ENV.syncPermissions],
    largeTablePartitions: data[BATCH_ENV.largeTablePartitions],
    executeWindow: data[BATCH_ENV.executeWindow],
    traceSdkCalls: data[BATCH_ENV.traceSdkCalls],
  };
}

/** The deployed handlers' environment: as parseBatchEnv, and the work-unit queue is required. */
export function parseBatchHandlerEnv(
  env: Record<string, string | undefined>,
): BatchHandlerConfig & { queueUrl: string } {
  const config = parseBatchEnv(env);
  if (!config.queueUrl) throw new Error(`invalid batch configuration: set ${BATCH_ENV.queueUrl}`);
  return { ...config, queueUrl: config.queueUrl };
}
