// Environment of the Snowflake sync Lambda, shared with the stack that sets it (one module, one
// set of names; stacks never import handlers).
import * as z from "zod";
import { parseEnvironment, requiredVariables } from "../deploy/environment.ts";
import { SnowflakeSettings } from "./settings.ts";

export const SNOWFLAKE_SYNC_ENV = {
  /** JSON of SnowflakeSettings. */
  settings: "LAKESYNC_SNOWFLAKE_SETTINGS",
  alertTopicArn: "LAKESYNC_SNOWFLAKE_ALERT_TOPIC_ARN",
  /** The source queue's redrive maxReceiveCount: the receive that is the last attempt. */
  maxReceiveCount: "LAKESYNC_SNOWFLAKE_MAX_RECEIVE_COUNT",
} as const;

const schema = z.object({
  [SNOWFLAKE_SYNC_ENV.settings]: z.string().min(1),
  [SNOWFLAKE_SYNC_ENV.alertTopicArn]: z.string().startsWith("arn:"),
  [SNOWFLAKE_SYNC_ENV.maxReceiveCount]: z.coerce.number().int().min(1).default(3),
  AWS_REGION: z.string().min(1),
});

/** What the stack must set for the sync function. */
export const SNOWFLAKE_SYNC_REQUIRED_ENV = requiredVariables(schema);

export interface SnowflakeSyncConfig {
  settings: SnowflakeSettings;
  alertTopicArn: string;
  maxReceiveCount: number;
  region: string;
}

export function parseSnowflakeSyncEnv(env: Record<string, string | undefined>): SnowflakeSyncConfig {
  const data = parseEnvironment(schema, env, "snowflake sync");
  let settings: unknown;
  try {
    settings = JSON.parse(data[SNOWFLAKE_SYNC_ENV.settings]);
  } catch (error) {
    throw new Error(
      `invalid snowflake sync configuration: ${SNOWFLAKE_SYNC_ENV.settings} is not JSON: ${(error as Error).message}`,
    );
  }
  const parsed = SnowflakeSettings.safeParse(settings);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(
      `invalid snowflake sync configuration: ${SNOWFLAKE_SYNC_ENV.settings}: ${problems.join("; ")}`,
    );
  }
  return {
    settings: parsed.data,
    alertTopicArn: data[SNOWFLAKE_SYNC_ENV.alertTopicArn],
    maxReceiveCount: data[SNOWFLAKE_SYNC_ENV.maxReceiveCount],
    region: data.AWS_REGION,
  };
}
