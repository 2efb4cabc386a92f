#!/usr/bin/env node
// `lakesync` entry point (package.json "bin"): runs the TypeScript CLI through tsx's loader.
import { register } from "tsx/esm/api";

// The pinned SDK supports this Node; its notice concerns releases we have not adopted.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register();
const { exitQuietlyOnClosedPipe, runCli } = await import("../modules/cli/main.ts");
exitQuietlyOnClosedPipe();
process.exitCode = await runCli(process.argv.slice(2));
