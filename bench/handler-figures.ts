// Bundle bytes (with the library floor under them, library-floor.ts) and cold initialisation per
// handler, and synth time of all stacks, for `npm run bench`. Cold init: a fresh Node process imports the bundle (module evaluation, which
// is what Lambda's Init Duration covers: the handlers wire their clients lazily on the first
// event); median of 5 processes.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { HANDLERS } from "../modules/deploy/handlers.ts";
import { projectRoot } from "../modules/local/local-aws.ts";
import { bundleHandler } from "../stacks/handler-bundle.ts";
import { libraryFloor } from "./library-floor.ts";

export interface HandlerFigures {
  bytes: number;
  /**
   * Init bytes of the same SDK commands and Powertools utilities bundled alone
   * (library-floor.ts): the least the handler's libraries weigh.
   */
  libraryFloorBytes: number;
  /** Of `bytes`, lakesync's own source files (the rest is dependencies). */
  ownCodeBytes: number;
  /** Wall time of the import. */
  coldInitMs: number;
  /** CPU time (user + system) of the import: what a core of its own would take, whatever the load. */
  coldInitCpuMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

function importMs(file: string): { wall: number; cpu: number } {
  const script = `const cpu = process.cpuUsage(); const start = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); const wall = performance.now() - start; const used = process.cpuUsage(cpu); process.stdout.write(JSON.stringify({ wall, cpu: (used.user + used.system) / 1000 }));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, AWS_REGION: process.env.AWS_REGION ?? "us-east-1" },
    encoding: "utf8",
  });
  return JSON.parse(out) as { wall: number; cpu: number };
}

export function handlerFigures(runs = 5): Record<string, HandlerFigures> {
  const figures: Record<string, HandlerFigures> = {};
  for (const { entry } of Object.values(HANDLERS)) {
    const bundle = bundleHandler(entry);
    const file = join(bundle.dir, "index.mjs");
    const times = Array.from({ length: runs }, () => importMs(file));
    const round = (ms: number) => Math.round(ms * 10) / 10;
    figures[bundle.name] = {
      bytes: bundle.bytes,
      libraryFloorBytes: libraryFloor(bundle).bytes,
      ownCodeBytes: bundle.ownCodeBytes,
      coldInitMs: round(median(times.map((t) => t.wall))),
      coldInitCpuMs: round(median(times.map((t) => t.cpu))),
    };
  }
  return figures;
}

/**
 * Seconds `cdktf synth` spends in the app (main.ts) for the example config, in a fresh process:
 * wall time, and CPU time (user + system, from GNU time) which a shared machine's load does not
 * inflate.
 */
export function synthSeconds(): { seconds: number; cpuSeconds: number } {
  const outdir = mkdtempSync(join(tmpdir(), "lakesync-bench-synth-"));
  try {
    const start = performance.now();
    const result = spawnSync(
      "/usr/bin/time",
      ["-f", "LAKESYNC_BENCH_CPU=%U %S", join(projectRoot, "node_modules", ".bin", "tsx"), "main.ts"],
      {
        cwd: projectRoot,
        env: { ...process.env, CDKTF_OUTDIR: outdir, LAKESYNC_CONFIG: "lakesync.config.example.json" },
        encoding: "utf8",
      },
    );
    const seconds = (performance.now() - start) / 1000;
    if (result.status !== 0) throw new Error(`synth failed: ${result.stderr.slice(-2000)}`);
    const cpu = /LAKESYNC_BENCH_CPU=([\d.]+) ([\d.]+)/.exec(result.stderr);
    return { seconds, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : Number.NaN };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
