// Every stack lakesync deploys for a config, one per region and account role: what main.ts
// synthesizes and what the checkov and synth tests scan. The config's mesh section is validated
// but has no stack yet (the mesh is set up by `lakesync mesh`, not Terraform).
import type { App } from "cdktf";
import type { LakesyncConfig } from "../modules/config/schema.ts";
import { BatchStack } from "./batch-stack.ts";
import { RealtimeCaptureStack } from "./realtime-capture-stack.ts";
import { SnowflakeAccountStack } from "./snowflake-account-stack.ts";
import { SnowflakeSyncStack } from "./snowflake-sync-stack.ts";
import { TargetAccessStack } from "./target-access-stack.ts";

export interface LakesyncAppOptions {
  /** The Snowflake sync user's public key (PEM); the Snowflake account stack needs it. */
  snowflakePublicKey?: string;
  /** Told when a stack cannot be synthesized for want of an input. */
  warn?: (message: string) => void;
}

export function addLakesyncStacks(app: App, config: LakesyncConfig, options: LakesyncAppOptions = {}): void {
  new RealtimeCaptureStack(app, `lakesync-realtime-${config.source.name}`, config);
  new BatchStack(app, `lakesync-batch-${config.source.name}`, config);
  for (const target of config.targets) {
    new TargetAccessStack(app, `lakesync-target-${target.name}`, config, target);
  }
  if (!config.snowflake) return;
  new SnowflakeSyncStack(app, `lakesync-snowflake-${config.source.name}`, config, config.snowflake);
  const integration = config.snowflake.storageIntegration;
  if (integration && options.snowflakePublicKey) {
    new SnowflakeAccountStack(app, `lakesync-snowflake-account-${config.source.name}`, {
      snowflake: config.snowflake,
      storageAwsRoleArn: integration.storageAwsRoleArn,
      integrationName: integration.name,
      rsaPublicKey: options.snowflakePublicKey,
    });
  } else if (integration) {
    options.warn?.("set LAKESYNC_SNOWFLAKE_PUBLIC_KEY_FILE to synthesize the Snowflake account stack");
  }
}
