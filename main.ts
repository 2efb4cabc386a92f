// Synthesizes lakesync's Terraform from lakesync.config.json: one stack per region and account
// role. Run by `npx cdktf synth|deploy` (cdktf.json). LAKESYNC_CONFIG picks another file; without
// any config the documented example is synthesized, so a fresh checkout synthesizes offline.
import { existsSync, readFileSync } from "node:fs";
import { App } from "cdktf";
import { loadConfig } from "./modules/config/load.ts";
import { BatchStack } from "./stacks/batch-stack.ts";
import { RealtimeCaptureStack } from "./stacks/realtime-capture-stack.ts";
import { SnowflakeAccountStack } from "./stacks/snowflake-account-stack.ts";
import { SnowflakeSyncStack } from "./stacks/snowflake-sync-stack.ts";
import { TargetAccessStack } from "./stacks/target-access-stack.ts";

function configPath(): string {
  if (process.env.LAKESYNC_CONFIG) return process.env.LAKESYNC_CONFIG;
  if (existsSync("lakesync.config.json")) return "lakesync.config.json";
  process.stderr.write("lakesync: no lakesync.config.json; synthesizing lakesync.config.example.json\n");
  return "lakesync.config.example.json";
}

const config = await loadConfig(configPath());
const app = new App();
new RealtimeCaptureStack(app, `lakesync-realtime-${config.source.name}`, config);
new BatchStack(app, `lakesync-batch-${config.source.name}`, config);
for (const target of config.targets) {
  new TargetAccessStack(app, `lakesync-target-${target.name}`, config, target);
}
if (config.snowflake) {
  new SnowflakeSyncStack(app, `lakesync-snowflake-${config.source.name}`, config, config.snowflake);
  // The Snowflake side needs the sync user's public key, which is not in the config file.
  const publicKeyFile = process.env.LAKESYNC_SNOWFLAKE_PUBLIC_KEY_FILE;
  const integration = config.snowflake.storageIntegration;
  if (integration && publicKeyFile) {
    new SnowflakeAccountStack(app, `lakesync-snowflake-account-${config.source.name}`, {
      snowflake: config.snowflake,
      storageAwsRoleArn: integration.storageAwsRoleArn,
      integrationName: integration.name,
      rsaPublicKey: readFileSync(publicKeyFile, "utf8"),
    });
  } else if (integration) {
    process.stderr.write(
      "lakesync: set LAKESYNC_SNOWFLAKE_PUBLIC_KEY_FILE to synthesize the Snowflake account stack\n",
    );
  }
}
app.synth();
