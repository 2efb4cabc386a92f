// Environment of the replicator Lambda, shared with the stack that sets it (one module, one set
// of names). The journal variables are the capture handlers' own (CAPTURE_ENV). The stack resolves
// the config at synth into the replicator's settings (replicatorSettings, as `lakesync replicate`
// builds them), so the function parses those with zod/mini and never loads the config schema.
import { CAPTURE_ENV } from "../capture/env.ts";
import { catalogLocationSchema, resolvedTargetSchema } from "../config/resolved-target.ts";
import * as z from "../config/zod-mini.ts";
import {
  booleanVariable,
  parseEnvironment,
  parseJsonVariable,
  requiredVariables,
  TRACE_SDK_CALLS_VARIABLE,
} from "../deploy/environment.ts";
import type { ReplicatorSettings } from "./replicate-event.ts";

export const REPLICATOR_ENV = {
  journalTable: CAPTURE_ENV.journalTable,
  recordBucket: CAPTURE_ENV.recordBucket,
  /**
   * ReplicatorSettings as JSON: the resolved targets (each with its writer role), the source, the
   * replicate switches, attempts and the journal's retention.
   */
  settings: "LAKESYNC_REPLICATOR_SETTINGS",
  deadLetterQueueUrl: "LAKESYNC_REPLICATOR_DLQ_URL",
  alertTopicArn: "LAKESYNC_ALERT_TOPIC_ARN",
  /** Overrides the settings' maxAttempts (realtime.maxAttempts of the config). */
  maxAttempts: "LAKESYNC_REPLICATOR_MAX_ATTEMPTS",
  traceSdkCalls: TRACE_SDK_CALLS_VARIABLE,
} as const;

/** Attempts per event and target: the settings' number, or the override variable's text. */
const attemptChecks = [z.int(), z.minimum(1), z.maximum(100)] as const;

/** The config's `replicate` switches; the parse's return type keeps them in step with ReplicateConfig. */
const replicateSwitches = z.object({
  catalog: z.boolean(),
  permissions: z.boolean(),
  lfTags: z.boolean(),
  dataLakeSettings: z.boolean(),
  dataCellsFilters: z.boolean(),
  deletes: z.boolean(),
});

const settingsSchema = z.object({
  targets: z.array(resolvedTargetSchema),
  source: z.pick(catalogLocationSchema, { account: true, region: true }),
  sourceRoleArn: z.optional(z.string().check(z.startsWith("arn:"))),
  maxAttempts: z.number().check(...attemptChecks),
  journalRetentionDays: z.optional(z.number().check(z.int(), z.minimum(1))),
  replicatorRoleArn: z.optional(z.string().check(z.startsWith("arn:"))),
  replicate: z.optional(replicateSwitches),
});

const schema = z.object({
  [REPLICATOR_ENV.journalTable]: z.string().check(z.minLength(1)),
  [REPLICATOR_ENV.recordBucket]: z.optional(z.string().check(z.minLength(1))),
  [REPLICATOR_ENV.settings]: z.string().check(z.minLength(1)),
  [REPLICATOR_ENV.deadLetterQueueUrl]: z.url(),
  [REPLICATOR_ENV.alertTopicArn]: z.string().check(z.startsWith("arn:")),
  [REPLICATOR_ENV.maxAttempts]: z.optional(z.coerce.number().check(...attemptChecks)),
  [REPLICATOR_ENV.traceSdkCalls]: booleanVariable(false),
  AWS_REGION: z.string().check(z.minLength(1)),
});

/** What the stack must set for the replicator function. */
export const REPLICATOR_REQUIRED_ENV = requiredVariables(schema);

export interface ReplicatorEnv {
  journalTable: string;
  recordBucket?: string;
  /** The region of the journal, the DLQ and the topic: the function's own. */
  region: string;
  settings: ReplicatorSettings;
  deadLetterQueueUrl: string;
  alertTopicArn: string;
  /** Trace every SDK call as an X-Ray subsegment (TRACE_SDK_CALLS_VARIABLE). */
  traceSdkCalls: boolean;
}

export function parseReplicatorEnv(env: Record<string, string | undefined>): ReplicatorEnv {
  const data = parseEnvironment(schema, env, "replicator");
  const settings: ReplicatorSettings = parseJsonVariable(
    settingsSchema,
    data[REPLICATOR_ENV.settings],
    REPLICATOR_ENV.settings,
    "replicator",
  );
  const maxAttempts = data[REPLICATOR_ENV.maxAttempts];
  return {
    journalTable: data[REPLICATOR_ENV.journalTable],
    ...(data[REPLICATOR_ENV.recordBucket] ? { recordBucket: data[REPLICATOR_ENV.recordBucket] } : {}),
    region: data.AWS_REGION,
    settings: maxAttempts === undefined ? settings : { ...settings, maxAttempts },
    deadLetterQueueUrl: data[REPLICATOR_ENV.deadLetterQueueUrl],
    alertTopicArn: data[REPLICATOR_ENV.alertTopicArn],
    traceSdkCalls: data[REPLICATOR_ENV.traceSdkCalls],
  };
}
