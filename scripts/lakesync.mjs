#!/usr/bin/env node
// `lakesync` entry point (package.json "bin"): runs the CLI from its JavaScript bundle, built from
// the TypeScript sources on first use and whenever they change (cli-bundle.mjs). With
// LAKESYNC_FROM_SOURCE=1, or when the bundle cannot be built (no esbuild, a read-only install), it
// runs the sources through tsx's loader instead, at about 35 MB more RSS per run.
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
