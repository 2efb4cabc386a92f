// Synthesizes lakesync's Terraform from lakesync.config.json: one stack per region and account
// role. Run by `npx cdktf synth|deploy` (cdktf.json). LAKESYNC_CONFIG picks another file; without
// any config the documented example is synthesized, so a fresh checkout synthesizes offline.
import { existsSync } from "node:fs";
import { App } from "cdktf";
import { loadConfig } from "./modules/config/load.ts";
import { RealtimeCaptureStack } from "./stacks/realtime-capture-stack.ts";
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
for (const target of config.targets) {
  new TargetAccessStack(app, `lakesync-target-${target.name}`, config, target);
}
app.synth();
