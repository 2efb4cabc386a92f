// Progress of long batch runs on a terminal: objects read (count and rate), then operations
// applied (done/total, rate, ETA). Silent with --json or when stderr is not a TTY, so scripts and
// CI logs get only the final output.
import { createRequire } from "node:module";
import type * as CliProgress from "cli-progress";
import type { BatchProgress } from "../batch/ports.ts";

/** cli-progress, loaded only for a terminal display: scripted runs (--json, no TTY) skip its ~7 MB. */
const loadCliProgress = () => createRequire(import.meta.url)("cli-progress") as typeof CliProgress;

export interface ProgressDisplay {
  update(progress: BatchProgress): void;
  stop(): void;
}

const silent: ProgressDisplay = { update: () => undefined, stop: () => undefined };

export interface ProgressOptions {
  json?: boolean;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  now?: () => number;
}

export function createProgressDisplay(options: ProgressOptions): ProgressDisplay {
  const stream = options.stream ?? process.stderr;
  if (options.json || !stream.isTTY) return silent;
  const now = options.now ?? Date.now;
  const { Presets, SingleBar } = loadCliProgress();
  let bar: CliProgress.SingleBar | undefined;
  let label = "";
  let startedAt = 0;
  const rate = (value: number) => (value / Math.max(0.001, (now() - startedAt) / 1000)).toFixed(0);
  const start = (name: string, format: string, total: number) => {
    bar?.stop();
    label = name;
    startedAt = now();
    bar = new SingleBar(
      { stream: stream as NodeJS.WriteStream, format, etaBuffer: 50, hideCursor: true, noTTYOutput: true },
      Presets.shades_classic,
    );
    bar.start(total, 0, { rate: "0", part: "" });
  };
  return {
    update(progress) {
      switch (progress.phase) {
        case "read": {
          const name = `read-${progress.side}`;
          if (label !== name) start(name, `reading ${progress.side} | {value} objects | {rate} objects/s`, 0);
          bar?.setTotal(progress.records);
          bar?.update(progress.records, { rate: rate(progress.records) });
          return;
        }
        case "write-part":
          if (label !== "write") start("write", "writing backup | {value} objects | {part}", 0);
          bar?.setTotal(progress.totalRecords);
          bar?.update(progress.totalRecords, { part: progress.part });
          return;
        case "apply": {
          const name = `apply-${progress.target}`;
          if (label !== name) {
            start(
              name,
              `applying to ${progress.target} {bar} {value}/{total} operations | {rate} ops/s | ETA {eta_formatted}`,
              progress.total,
            );
          }
          bar?.update(progress.done, { rate: rate(progress.done) });
          return;
        }
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
      label = "";
    },
  };
}
