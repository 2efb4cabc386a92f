#!/usr/bin/env node
// `lakesync` entry point (package.json "bin"): runs the TypeScript CLI through tsx's loader.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../modules/cli/main.ts");
process.exitCode = await runCli(process.argv.slice(2));
