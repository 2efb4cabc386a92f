// Environment of the replicator Lambda, shared with the stack that sets it (one module, one set
// of names). The journal variables are the capture handlers' own (CAPTURE_ENV).
import * as z from "zod";
import { CAPTURE_ENV } from "../capture/env.ts";
import { parseConfig } from "../config/load.ts";
import type { LakesyncConfig } from "../config/schema.ts";
import { parseEnvironment, requiredVariables } from "../deploy/environment.ts";

export const REPLICATOR_ENV = {
  journalTable: CAPTURE_ENV.journalTable,
  recordBucket: CAPTURE_ENV.recordBucket,
  /** The lakesync config as JSON text: targets, mapping, filters, replicate switches, realtime. */
  config: "LAKESYNC_CONFIG",
  deadLetterQueueUrl: "LAKESYNC_REPLICATOR_DLQ_URL",
  alertTopicArn: "LAKESYNC_ALERT_TOPIC_ARN",
  /** Overrides realtime.maxAttempts of the config. */
  maxAttempts: "LAKESYNC_REPLICATOR_MAX_ATTEMPTS",
} as const;

const schema = z.object({
  [REPLICATOR_ENV.journalTable]: z.string().min(1),
  [REPLICATOR_ENV.recordBucket]: z.string().min(1).optional(),
  [REPLICATOR_ENV.config]: z.string().min(1),
  [REPLICATOR_ENV.deadLetterQueueUrl]: z.url(),
  [REPLICATOR_ENV.alertTopicArn]: z.string().startsWith("arn:"),
  [REPLICATOR_ENV.maxAttempts]: z.coerce.number().int().min(1).max(100).optional(),
  AWS_REGION: z.string().min(1),
});

/** What the stack must set for the replicator function. */
export const REPLICATOR_REQUIRED_ENV = requiredVariables(schema);

export interface ReplicatorConfig {
  journalTable: string;
  recordBucket?: string;
  /** The region of the journal, the DLQ and the topic: the function's own. */
  region: string;
  config: LakesyncConfig;
  deadLetterQueueUrl: string;
  alertTopicArn: string;
  maxAttempts: number;
}

export function parseReplicatorEnv(env: Record<string, string | undefined>): ReplicatorConfig {
  const data = parseEnvironment(schema, env, "replicator");
  // parseConfig takes the JSON text and names the variable in its messages.
  const config = parseConfig(data[REPLICATOR_ENV.config], REPLICATOR_ENV.config);
  return {
    journalTable: data[REPLICATOR_ENV.journalTable],
    ...(data[REPLICATOR_ENV.recordBucket] ? { recordBucket: data[REPLICATOR_ENV.recordBucket] } : {}),
    region: data.AWS_REGION,
    config,
    deadLetterQueueUrl: data[REPLICATOR_ENV.deadLetterQueueUrl],
    alertTopicArn: data[REPLICATOR_ENV.alertTopicArn],
    maxAttempts: data[REPLICATOR_ENV.maxAttempts] ?? config.realtime.maxAttempts,
  };
}
