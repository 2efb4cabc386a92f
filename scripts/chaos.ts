// `npm run chaos [-- --sequences N --seed S --concurrency C] [--json]`: random sequences of source
// writes through the realtime path under API faults, capture faults and crashes (see
// test/chaos/realtime-sequence.ts), against a local AWS of its own. Prints one line per sequence
// that did not converge (its writes, to turn into a regression test) and a summary; with --json
// the last line is the summary object. Exit 0 when every sequence converged, 1 otherwise.
import { Command, InvalidArgumentError } from "commander";
import fc from "fast-check";
import pLimit from "p-limit";
import { heldAccounts, startLocalAws } from "../modules/local/local-aws.ts";
import { ownCpuSeconds, processCpuSeconds } from "../modules/local/process-cpu.ts";
import { runRealtimeSequence, type SequenceResult } from "../test/chaos/realtime-sequence.ts";
import { describeWrites, sourceWrites } from "../test/chaos/source-writes.ts";

const positive = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`${name} must be a positive integer, got "${value}"`);
  return n;
};
const integer = (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`--seed must be an integer, got "${value}"`);
  return n;
};

const program = new Command("chaos")
  .description("realtime replication under faults and crashes: does every sequence converge?")
  .option("--sequences <n>", "sequences to run", positive("--sequences"), 20)
  .option("--seed <s>", "seed of the whole run (default: random)", integer)
  .option("--concurrency <n>", "sequences at once (each in its own accounts)", positive("--concurrency"), 12)
  .option("--max-writes <n>", "source writes per sequence, at most", positive("--max-writes"), 10)
  .option("--json", "last line: the summary as one JSON object")
  .parse();

const options = program.opts<{
  sequences: number;
  seed?: number;
  concurrency: number;
  maxWrites: number;
  json?: boolean;
}>();
const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
// Bound now: each sequence's in-process `lakesync diff` borrows process.stdout and stderr.
const stderr = process.stderr.write.bind(process.stderr);
const stdout = process.stdout.write.bind(process.stdout);
const say = (text: string) => stderr(`${text}\n`);

const server = await startLocalAws();
process.env.AWS_ENDPOINT_URL = server.endpoint;
process.env.AWS_ACCESS_KEY_ID ??= "testing";
process.env.AWS_SECRET_ACCESS_KEY ??= "testing";
process.env.AWS_REGION ??= "us-east-1";
process.env.POWERTOOLS_METRICS_DISABLED = "true";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
delete process.env.AWS_PROFILE;

const started = Date.now();
const sequences = fc.sample(
  fc.tuple(sourceWrites(options.maxWrites), fc.noBias(fc.integer({ min: 1, max: 2 ** 31 - 1 }))),
  {
    seed,
    numRuns: options.sequences,
  },
);
const limit = pLimit(options.concurrency);
const finished: SequenceResult[] = [];
/** Each sequence's own wall time, in finishing order: it must stay flat over a long run. */
const seconds: number[] = [];
const meanSeconds = (from: number, to: number) => {
  const slice = seconds.slice(from, to);
  return slice.length ? (slice.reduce((a, b) => a + b, 0) / slice.length).toFixed(2) : "-";
};

function summarize(results: readonly SequenceResult[]) {
  const sum = (pick: (r: SequenceResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  return {
    sequences: results.length,
    operations: sum((r) => r.operations),
    faultsInjected: sum((r) => r.faultsInjected),
    crashes: sum((r) => r.crashes),
    converged: results.filter((r) => r.converged).length,
    lostEvents: sum((r) => r.lostEvents),
    duplicateEffects: sum((r) => r.duplicateEffects),
    seed,
  };
}
/**
 * CPU seconds used so far by this process and its local AWS: on a shared machine the wall time per
 * sequence says more about the neighbours than about the run.
 */
const cpuSeconds = () => ownCpuSeconds() + (processCpuSeconds(server.pid) ?? 0);

let windowStarted = { cpu: cpuSeconds(), at: Date.now() };
let done = 0;
const results: SequenceResult[] = await Promise.all(
  sequences.map(([writes, sequenceSeed]) =>
    limit(async () => {
      const sequenceStarted = Date.now();
      const result = await runRealtimeSequence(writes, {
        endpoint: server.endpoint,
        seed: sequenceSeed,
      }).catch(
        (error: unknown): SequenceResult => ({
          seed: sequenceSeed,
          operations: writes.length,
          faultsInjected: 0,
          breakdown: {},
          crashes: 0,
          converged: false,
          lostEvents: 0,
          duplicateEffects: 0,
          unfinished: 0,
          problems: [`the harness failed: ${(error as Error).stack ?? String(error)}`],
        }),
      );
      done++;
      finished.push(result);
      seconds.push((Date.now() - sequenceStarted) / 1000);
      if (!result.converged) {
        say(
          `sequence seed ${sequenceSeed} did not converge:\n${result.problems.join("\n")}\nwrites:\n${describeWrites(writes)}`,
        );
      }
      if (done % 50 === 0) {
        const elapsed = Math.round((Date.now() - started) / 1000);
        const cpu = cpuSeconds();
        const window = { cpu: (cpu - windowStarted.cpu) / 50, wall: (Date.now() - windowStarted.at) / 50000 };
        windowStarted = { cpu, at: Date.now() };
        say(
          `${done}/${sequences.length} sequences, ${elapsed} s; last 50: ${window.wall.toFixed(2)} s and ` +
            `${window.cpu.toFixed(2)} CPU s per sequence, ${meanSeconds(done - 50, done)} s each from start to end: ` +
            JSON.stringify(summarize(finished)),
        );
      }
      return result;
    }),
  ),
);
// Each sequence's accounts are forgotten once it is judged: a long run must not pile them up.
const held = (await heldAccounts(server.endpoint)).length;
const cpuTotal = cpuSeconds(); // before the server stops: its /proc entry goes with it
await server.stop();

const summary = summarize(results);
const elapsed = Math.round((Date.now() - started) / 1000);
const breakdown: Record<string, number> = {};
for (const result of results) {
  for (const [kind, n] of Object.entries(result.breakdown)) breakdown[kind] = (breakdown[kind] ?? 0) + n;
}
say(`faults and crashes by kind: ${JSON.stringify(breakdown)}`);
say(`accounts local AWS still holds: ${held}`);
const tenth = Math.max(1, Math.floor(seconds.length / 10));
say(
  `seconds per sequence (each in its own wall time): first ${tenth} ${meanSeconds(0, tenth)}, ` +
    `last ${tenth} ${meanSeconds(seconds.length - tenth, seconds.length)}`,
);
if (options.json) {
  say(`chaos: ${elapsed} s, ${(cpuTotal / results.length).toFixed(2)} CPU s per sequence (with local AWS)`);
  stdout(`${JSON.stringify(summary)}\n`);
} else {
  stdout(
    `${summary.converged}/${summary.sequences} sequences converged (${summary.operations} source writes, ` +
      `${summary.faultsInjected} faults, ${summary.crashes} crashes injected; ${summary.lostEvents} lost, ` +
      `${summary.duplicateEffects} duplicated) in ${elapsed} s; seed ${seed}\n`,
  );
}
process.exitCode = summary.converged === summary.sequences ? 0 : 1;
