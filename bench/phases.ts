// One bench phase as its own process (so its peak RSS is its own, read by GNU time), with its
// wall time and the API calls local AWS counted for it, per service:Operation and per family.
import { spawn } from "node:child_process";
import { basename, join } from "node:path";
import { build } from "esbuild";
import type { LocalCallCounts } from "../modules/local/call-counts.ts";
import { projectRoot } from "../modules/local/local-aws.ts";
import { externalPackages, launcherNodeFlags } from "../scripts/cli-bundle.mjs";
import { type ApiFamily, type CallsByFamily, familyOf } from "./minimum-calls.ts";

export interface PhaseResult {
  name: string;
  seconds: number;
  peakRssMb: number;
  exitCode: number;
  /** Calls per "service:Operation" (all accounts). */
  calls: Record<string, number>;
  callsByFamily: CallsByFamily;
  /** Calls answered with an error (throttles and injected faults included). */
  errors: number;
  stdout: string;
}

const RSS_MARK = "LAKESYNC_BENCH_MAXRSS_KB=";

/** Runs `node <args>` under GNU time in the project root; the counter is reset before it. */
export async function runPhase(
  name: string,
  args: string[],
  counter: LocalCallCounts,
  okExitCodes: readonly number[] = [0],
): Promise<PhaseResult> {
  await counter.reset();
  const start = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn("/usr/bin/time", ["-f", `${RSS_MARK}%M`, process.execPath, ...args], {
        cwd: projectRoot,
        env: process.env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        err += chunk.toString();
      });
      child.on("error", reject);
      child.on("close", (exit) => resolve({ code: exit ?? 1, stdout: out, stderr: err }));
    },
  );
  const seconds = (performance.now() - start) / 1000;
  const rssLine = stderr.split("\n").find((line) => line.startsWith(RSS_MARK));
  if (!okExitCodes.includes(code))
    throw new Error(
      `bench phase ${name} exited ${code}: ${stderr.replace(/\n?LAKESYNC_BENCH.*/, "").slice(-2000)}`,
    );
  const calls: Record<string, number> = {};
  const callsByFamily: CallsByFamily = {};
  let errors = 0;
  for (const call of await counter.list()) {
    const key = `${call.service}:${call.operation}`;
    calls[key] = (calls[key] ?? 0) + call.count;
    const family: ApiFamily = familyOf(call.service, call.operation);
    callsByFamily[family] = (callsByFamily[family] ?? 0) + call.count;
    errors += call.errors;
  }
  return {
    name,
    seconds,
    peakRssMb: rssLine ? Math.round(Number(rssLine.slice(RSS_MARK.length)) / 1024) : 0,
    exitCode: code,
    calls,
    callsByFamily,
    errors,
    stdout,
  };
}

/** `lakesync <args>` as a phase: `node <the bin's Node flags> scripts/lakesync.mjs <args>`. */
export function cliPhase(
  name: string,
  args: string[],
  counter: LocalCallCounts,
  okExitCodes?: readonly number[],
): Promise<PhaseResult> {
  return runPhase(
    name,
    [...launcherNodeFlags(projectRoot), "scripts/lakesync.mjs", ...args],
    counter,
    okExitCodes,
  );
}

/**
 * A TypeScript file of the bench as a phase, run the way `lakesync` runs (scripts/cli-bundle.mjs):
 * from an esbuild bundle with the same npm packages external, so that a baseline and lakesync pay the same
 * for loading their code and their peak RSS compares the work alone. The bundle sits two levels
 * under the project root, as the sources do, so paths taken from import.meta.url still hold.
 * `nodeFlags` go to Node before the script (none: Node's defaults, as a user runs a script).
 */
export async function scriptPhase(
  name: string,
  file: string,
  args: string[],
  counter: LocalCallCounts,
  nodeFlags: readonly string[] = [],
): Promise<PhaseResult> {
  const outfile = join(projectRoot, "dist", "bench", `${basename(file, ".ts")}.mjs`);
  await build({
    absWorkingDir: projectRoot,
    entryPoints: [file],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: externalPackages(projectRoot),
    logLevel: "silent",
  });
  return runPhase(name, [...nodeFlags, outfile, ...args], counter);
}
