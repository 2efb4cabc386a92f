// Synthesizes lakesync's Terraform from lakesync.config.json: one stack per region and account
// role (stacks/lakesync-app.ts). Run by `npx cdktf synth|deploy` (cdktf.json). LAKESYNC_CONFIG
// picks another file; without any config the documented example is synthesized, so a fresh
// checkout synthesizes offline.
import { existsSync, readFileSync } from "node:fs";
import { App } from "cdktf";
import { loadConfig } from "./modules/config/load.ts";
import { addLakesyncStacks } from "./stacks/lakesync-app.ts";

function configPath(): string {
  if (process.env.LAKESYNC_CONFIG) return process.env.LAKESYNC_CONFIG;
  if (existsSync("lakesync.config.json")) return "lakesync.config.json";
  process.stderr.write("lakesync: no lakesync.config.json; synthesizing lakesync.config.example.json\n");
  return "lakesync.config.example.json";
}

const config = await loadConfig(configPath());
const app = new App();
// The Snowflake side needs the sync user's public key, which is not in the config file.
const publicKeyFile = process.env.LAKESYNC_SNOWFLAKE_PUBLIC_KEY_FILE;
addLakesyncStacks(app, config, {
  ...(publicKeyFile ? { snowflakePublicKey: readFileSync(publicKeyFile, "utf8") } : {}),
  warn: (message) => process.stderr.write(`lakesync: ${message}\n`),
});
app.synth();
