#!/usr/bin/env -S node --max-semi-space-size=2
// `lakesync` entry point (package.json "bin"): runs the CLI from its JavaScript bundle, built from
// the TypeScript sources on first use and whenever they change (cli-bundle.mjs). With
// LAKESYNC_FROM_SOURCE=1, or when the bundle cannot be built (no esbuild, a read-only install), it
// runs the sources through tsx's loader instead, at about 35 MB more RSS per run.
//
// The Node flags on the first line (launcherNodeFlags in cli-bundle.mjs; package.json's scripts
// pass the same): backup, restore, diff and sync stream records through many small short-lived
// objects, and V8 grows its young generation to 16 MB semi-spaces for that rate of allocation. 2 MB
// semi-spaces cut their peak RSS by 25-35 MB (S: backup 135 -> 99 MB, restore 131 -> 106 MB) with
// no cost in time beyond the run-to-run spread (README, Performance); V8 takes them only at
// startup.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// The pinned SDK supports this Node; its notice concerns releases we have not adopted.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

async function entry() {
  if (process.env.LAKESYNC_FROM_SOURCE !== "1") {
    try {
      const { cliBundle } = await import("./cli-bundle.mjs");
      const main = await cliBundle(root);
      // --debug prints stack traces: map them to the TypeScript sources (only then: reading every
      // chunk's source map costs memory).
      if (process.argv.includes("--debug")) process.setSourceMapsEnabled(true);
      return pathToFileURL(main).href;
    } catch (error) {
      if (process.argv.includes("--debug"))
        process.stderr.write(`lakesync: running from source (no CLI bundle: ${error.message})\n`);
    }
  }
  const { register } = await import("tsx/esm/api");
  register();
  return "../modules/cli/main.ts";
}

const { exitQuietlyOnClosedPipe, runCli } = await import(await entry());
exitQuietlyOnClosedPipe();
process.exitCode = await runCli(process.argv.slice(2));
