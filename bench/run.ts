// `npm run bench [-- --size S|M|L] [--json] [--events N] [--seed N] [--phases micro,batch,realtime,handlers]`:
// the performance figures the README quotes, measured in one run on local AWS (issue 12). On a seeded synthetic catalog
// (catalog-generator.ts): backup, restore into an empty target, diff and sync of a 1% change, each
// as its own process (wall time, API calls per operation counted by local AWS, peak RSS); the
// per-object restore baseline (per-object-restore.ts) and lakesync's speed-up over it; calls
// against the minimum per API family (minimum-calls.ts); a realtime burst through capture ->
// journal -> replicator (realtime.ts); each handler bundle's bytes and cold init and the synth
// time (handler-figures.ts); and the two micro-cases (micro-cases.ts). Size L seeds and backs up
// only (memory). The realtime burst reports local AWS's own CPU per event (per call, counted by
// local AWS), the ceiling that puts on the rate. With --json the last line is one object; every run writes
// bench/results/<date>-<size>.json. --phases runs only some parts (e.g. `--phases batch` for the
// call counts); what is skipped is null or empty in the object, and the file is
// <date>-<size>-<phases>.json so a partial run never replaces a full one.
import { randomInt } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { allClients } from "../modules/aws/all-clients.ts";
import { createBucket } from "../modules/aws/s3-buckets.ts";
import { ExecutorWiring } from "../modules/aws/wiring/executor.ts";
import { LocalCallCounts } from "../modules/local/call-counts.ts";
import { LocalFaults } from "../modules/local/faults.ts";
import { projectRoot, startLocalAws } from "../modules/local/local-aws.ts";
import { execute } from "../modules/operations/executor.ts";
import { launcherNodeFlags } from "../scripts/cli-bundle.mjs";
import {
  benchBucket,
  type CatalogSize,
  catalogChange,
  catalogOperations,
  catalogSizes,
  generateCatalog,
  type SizeName,
} from "./catalog-generator.ts";
import { handlerFigures, synthSeconds } from "./handler-figures.ts";
import { benchDiff, benchPartitionRestore } from "./micro-cases.ts";
import {
  addCalls,
  type CallsByFamily,
  changeWriteMinimum,
  restoreWriteMinimum,
  snapshotReadMinimum,
  totalCalls,
} from "./minimum-calls.ts";
import { cliPhase, type PhaseResult, scriptPhase } from "./phases.ts";
import { realtimeBurst } from "./realtime.ts";
import { requestFloor } from "./request-floor.ts";
import { throttledRestore } from "./throttled-restore.ts";

const say = (text: string) => process.stdout.write(`${text}\n`);

/** The parts of a run --phases can choose: the micro-cases, the batch phases, the realtime burst, the handler figures and synth. */
const allPhases = ["micro", "batch", "realtime", "handlers"] as const;
type BenchPart = (typeof allPhases)[number];

function options() {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: "S" },
      json: { type: "boolean", default: false },
      events: { type: "string" },
      seed: { type: "string", default: "12" },
      phases: { type: "string", default: allPhases.join(",") },
    },
  });
  const phases = String(values.phases)
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const unknown = phases.filter((p) => !(allPhases as readonly string[]).includes(p));
  if (phases.length === 0 || unknown.length > 0) {
    process.stderr.write(`bench: --phases takes ${allPhases.join(", ")} (got ${values.phases})\n`);
    process.exit(1);
  }
  const size = String(values.size).toUpperCase();
  if (!(size in catalogSizes)) {
    process.stderr.write(`bench: --size must be S, M or L (got ${values.size})\n`);
    process.exit(1);
  }
  const defaultEvents = size === "S" ? 10_000 : size === "M" ? 10_000 : 0;
  const events = values.events === undefined ? defaultEvents : Number(values.events);
  if (!Number.isInteger(events) || events < 0) {
    process.stderr.write(`bench: --events must be a whole number (got ${values.events})\n`);
    process.exit(1);
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) {
    process.stderr.write(`bench: --seed must be an integer (got ${values.seed})\n`);
    process.exit(1);
  }
  const only = new Set(phases as BenchPart[]);
  return {
    size: size as SizeName,
    json: values.json,
    events: only.has("realtime") ? events : 0,
    seed,
    micro: only.has("micro"),
    batch: only.has("batch"),
    handlers: only.has("handlers"),
    partial: only.size < allPhases.length ? [...only].join("-") : undefined,
  };
}

/**
 * The request-rate quota local AWS puts on the throttled restore's Glue and LF calls: below the
 * 40-50 calls/s the S restore sends unthrottled here, so the quota, not local AWS, sets the pace.
 */
const RESTORE_QUOTA_PER_SECOND = 20;
/** The paced realtime run: writes, and their rate (well under local AWS's ceiling here). */
const PACED_WRITES = 1_000;
const PACED_WRITES_PER_SECOND = 10;
/** The realtime run under a target quota: writes, and the target's Glue and LF calls per second. */
const QUOTA_WRITES = 500;
const REALTIME_QUOTA_PER_SECOND = 10;
const account = () => String(randomInt(100_000_000_000, 999_999_999_999));
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function ratios(actual: CallsByFamily, minimum: CallsByFamily): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [family, min] of Object.entries(minimum))
    if (min) out[family] = round((actual[family as keyof CallsByFamily] ?? 0) / min);
  return out;
}

function describePhase(phase: PhaseResult): string {
  const top = Object.entries(phase.calls)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
  return `  ${phase.name.padEnd(22)} ${phase.seconds.toFixed(1).padStart(7)} s  ${String(phase.peakRssMb).padStart(4)} MB  ${String(totalCalls(phase.callsByFamily)).padStart(7)} calls (${top})`;
}

const opts = options();
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.POWERTOOLS_METRICS_DISABLED = "true";
const server = await startLocalAws();
process.env.AWS_ENDPOINT_URL = server.endpoint;
process.env.AWS_ACCESS_KEY_ID ??= "testing";
process.env.AWS_SECRET_ACCESS_KEY ??= "testing";
process.env.AWS_REGION ??= "us-east-1";
const aws = new ExecutorWiring(allClients, { maxAttempts: 5 });
const counter = new LocalCallCounts(server.endpoint);
const size: CatalogSize = catalogSizes[opts.size];
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? "unknown",
  memoryGb: round(totalmem() / 1024 ** 3, 1),
  node: process.version,
  loadAverageAtStart: round(loadavg()[0] ?? 0, 1),
};

try {
  if (opts.micro) {
    await benchPartitionRestore(aws, Number(process.env.BENCH_PARTITIONS ?? 2000));
    await benchDiff(Number(process.env.BENCH_DIFF_PARTITIONS ?? 200_000));
  }

  const results: Record<string, unknown> = { size: opts.size, seed: opts.seed, catalog: size, machine };
  const phases: PhaseResult[] = [];
  const peakRssMb: Record<string, number> = {};
  let apiCallsVsMinimum: Record<string, number> = {};
  let restoreSpeedupVsPerObject: number | null = null;
  let realtime: Awaited<ReturnType<typeof realtimeBurst>> | null = null;

  // ---- the catalog ----
  if (opts.batch) {
    const catalog = generateCatalog(size, opts.seed);
    const source = { name: "source", account: account(), region: "us-east-1" };
    const target = { name: "dr", account: account(), region: "us-west-2" };
    const baselineTarget = { name: "baseline", account: account(), region: "us-west-2" };
    const backupBucket = `lakesync-bench-backups-${source.account}`;
    await createBucket(aws.clients, source, backupBucket);
    await createBucket(aws.clients, source, benchBucket);
    const seedStart = performance.now();
    // Seeding is not measured: operations that failed retryably (a loaded local AWS times out) run
    // again, up to twice.
    let seeded = await execute(catalogOperations(catalog, source), aws.executeDeps({ concurrency: 8 }));
    for (let round = 1; round < 3 && seeded.summary.failed > 0; round++) {
      const again = seeded.results
        .filter((r) => r.outcome.status === "failed" && r.outcome.retryable)
        .map((r) => r.operation);
      if (again.length < seeded.summary.failed) break;
      seeded = await execute(again, aws.executeDeps({ concurrency: 4 }));
    }
    if (seeded.summary.failed > 0)
      throw new Error(`seeding the bench catalog failed: ${JSON.stringify(seeded.summary)}`);
    say(
      `bench catalog ${opts.size} (seed ${opts.seed}): ${size.databases} databases, ${size.tables} tables, ${size.partitions} partitions, ${size.grants} grants, ${size.tags} tags / ${size.tagAssignments} assignments; seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const sourceFlags = ["--source-account", source.account, "--source-region", source.region];
    const targetFlags = ["--target-account", target.account, "--target-region", target.region];
    const bucketFlags = ["--bucket", backupBucket];
    const phase = async (result: Promise<PhaseResult>) => {
      const done = await result;
      phases.push(done);
      say(describePhase(done));
      return done;
    };

    // The floor under every phase's peak RSS: the CLI process that loads its code and does nothing.
    const idle = await phase(cliPhase("cli --help (idle)", ["--help"], counter));
    const backup = await phase(
      cliPhase("backup", ["backup", ...sourceFlags, ...bucketFlags, "--json"], counter),
    );
    const readMinimum = snapshotReadMinimum(catalog);
    const writeMinimum = restoreWriteMinimum(catalog);
    Object.assign(peakRssMb, { cliIdle: idle.peakRssMb, backup: backup.peakRssMb });

    if (opts.size !== "L") {
      const restore = await phase(
        cliPhase(
          "restore",
          ["restore", "--from", "latest", ...sourceFlags, ...targetFlags, ...bucketFlags, "--json"],
          counter,
        ),
      );
      // Before the 1% change, so both restores write the same catalog.
      const perObjectRestore = (name: string, into: string, nodeFlags?: readonly string[]) =>
        phase(
          scriptPhase(
            name,
            "bench/per-object-restore.ts",
            [
              ...["--source-account", source.account, "--source-region", source.region],
              ...["--target-account", into, "--target-region", baselineTarget.region],
            ],
            counter,
            nodeFlags,
          ),
        );
      const baseline = await perObjectRestore("per-object restore", baselineTarget.account);
      // The same baseline under lakesync's Node flags (scripts/lakesync.mjs), so the peak RSS also
      // compares at equal runtime settings; S only (at M it would add 20 minutes).
      const baselineSameFlags =
        opts.size === "S"
          ? await perObjectRestore("per-object, lakesync's flags", account(), launcherNodeFlags(projectRoot))
          : undefined;
      const baselineTimes = JSON.parse(baseline.stdout.trim().split("\n").at(-1) ?? "{}") as {
        extractMs: number;
        restoreMs: number;
        restored: Record<string, number>;
      };
      const diff = await phase(
        cliPhase("diff", ["diff", ...sourceFlags, ...targetFlags, "--json"], counter, [0, 2]),
      );
      const change = catalogChange(catalog, source);
      const changed = await execute(change.operations, aws.executeDeps({ concurrency: 8 }));
      if (changed.summary.failed > 0)
        throw new Error(`the 1% change failed: ${JSON.stringify(changed.summary)}`);
      const sync = await phase(cliPhase("sync", ["sync", ...sourceFlags, ...targetFlags, "--json"], counter));
      const throttled = await throttledRestore(
        server.endpoint,
        counter,
        restore,
        (into) => [
          "restore",
          "--from",
          "latest",
          ...sourceFlags,
          ...["--target-account", into.account, "--target-region", into.region],
          ...bucketFlags,
          "--json",
        ],
        { account: account(), region: "us-west-2" },
        RESTORE_QUOTA_PER_SECOND,
      );
      phases.push(throttled.phase);
      say(describePhase(throttled.phase));
      results.throttledRestore = throttled.figures;
      say(
        `  restore under a quota of ${RESTORE_QUOTA_PER_SECOND} Glue and LF calls/s (unthrottled it sent ${throttled.figures.unthrottledCallsPerSecond}/s): ${throttled.figures.throttlesInjected} throttled, ${throttled.figures.retries} retries, ${throttled.figures.failed} failed; answered calls ran at ${Math.round(throttled.figures.shareOfQuota * 100)}% of the quota`,
      );
      restoreSpeedupVsPerObject = round(baselineTimes.restoreMs / 1000 / restore.seconds);
      say(
        `  per-object restore (baseline): ${(baselineTimes.restoreMs / 1000).toFixed(1)} s of restore after ${(baselineTimes.extractMs / 1000).toFixed(1)} s extract (${JSON.stringify(baselineTimes.restored)}); lakesync restore is ${restoreSpeedupVsPerObject}x faster`,
      );
      Object.assign(peakRssMb, {
        restore: restore.peakRssMb,
        diff: diff.peakRssMb,
        sync: sync.peakRssMb,
        perObjectRestore: baseline.peakRssMb,
        ...(baselineSameFlags ? { perObjectRestoreSameFlags: baselineSameFlags.peakRssMb } : {}),
      });

      // Calls against the minimum: backup reads one side, restore writes the catalog (and reads an
      // empty target and the backup), diff and sync read both sides, sync writes the change.
      const minimum = {
        backup: readMinimum,
        restore: writeMinimum,
        diff: addCalls(readMinimum, readMinimum),
        sync: addCalls(readMinimum, readMinimum, changeWriteMinimum(change)),
      };
      const perPhase: Record<string, Record<string, number>> = {};
      for (const done of [backup, restore, diff, sync]) {
        const min = minimum[done.name as keyof typeof minimum];
        const actual = Object.fromEntries(
          Object.entries(done.callsByFamily).filter(([family]) => family in min),
        ) as CallsByFamily;
        perPhase[done.name] = { ...ratios(actual, min), total: round(totalCalls(actual) / totalCalls(min)) };
      }
      const allActual = addCalls(
        ...[backup, restore, diff, sync].map((done) => {
          const min = minimum[done.name as keyof typeof minimum];
          return Object.fromEntries(
            Object.entries(done.callsByFamily).filter(([family]) => family in min),
          ) as CallsByFamily;
        }),
      );
      const allMinimum = addCalls(...Object.values(minimum));
      apiCallsVsMinimum = {
        ...ratios(allActual, allMinimum),
        total: round(totalCalls(allActual) / totalCalls(allMinimum)),
      };
      results.apiCallsVsMinimumPerPhase = perPhase;
      results.minimumCalls = minimum;
      results.perObjectRestore = baselineTimes;
      say(
        `  API calls vs minimum (Glue and Lake Formation, all four phases): ${JSON.stringify(apiCallsVsMinimum)}`,
      );
    }
  }

  const floor = await requestFloor(aws, { account: account(), region: "us-east-1" });
  results.requestFloor = floor;
  say(
    `  local AWS per request (sequential): Glue GetDatabase ${floor.glueGetDatabaseMs} ms, DynamoDB GetItem ${floor.dynamodbGetItemMs} ms`,
  );

  if (opts.events > 0) {
    // Each run writes from a fresh source account to a fresh target account.
    const burst = (events: number, options?: Parameters<typeof realtimeBurst>[5]) =>
      realtimeBurst(
        aws,
        counter,
        {
          source: { account: account(), region: "us-east-1" },
          target: { account: account(), region: "us-west-2" },
        },
        events,
        server.pid,
        options,
      );
    realtime = await burst(opts.events);
    say(
      `  realtime burst of ${realtime.events} writes: ${realtime.applied} applied (journal: ${realtime.journaled} events, ${JSON.stringify(realtime.journalStatus)}), ${realtime.eventsPerSecond.toFixed(1)} events/s, latency p50 ${(realtime.p50Ms / 1000).toFixed(1)} s p99 ${(realtime.p99Ms / 1000).toFixed(1)} s (${realtime.streamBatches} stream batches, ${realtime.redeliveries} redelivered, ${realtime.deadLettered} dead-lettered; per event ${realtime.journalCallsPerEvent} journal calls, ${JSON.stringify(realtime.callsPerEvent)})`,
    );
    // The ceiling: what local AWS's CPU allows. It is one Python process, which runs Python on
    // one core at a time, so it cannot serve more events per second than 1000 / (its CPU ms per
    // event); lakesync's own calls alone (journal and target writes) set a second ceiling, which
    // holds even if the source writes, the Lambda service's polling and the CloudTrail delivery
    // cost local AWS nothing.
    const perEvent = realtime.localAwsCpuMsPerEvent;
    const oneCore = round(1000 / perEvent.total, 1);
    const ownCallsOnly = round(1000 / perEvent.lakesyncCalls, 1);
    results.realtimeCeiling = {
      oneCoreEventsPerSecond: oneCore,
      lakesyncCallsOnlyEventsPerSecond: ownCallsOnly,
    };
    say(
      `  realtime ceiling: local AWS spent ${perEvent.total} ms of CPU per event (lakesync's calls ${perEvent.lakesyncCalls}, AWS-side calls ${perEvent.awsSideCalls}, HTTP handling and CloudTrail delivery ${perEvent.rest}), busy ${realtime.cpu.localAws?.busyShare ?? "?"} of a core: at most ${oneCore} events/s with a core to itself, ${ownCallsOnly} if it served lakesync's calls alone; lakesync ran at ${round((realtime.eventsPerSecond / oneCore) * 100, 0)}% of the first (machine busy ${realtime.cpu.machineBusyShare ?? "?"} of ${machine.cpus} cores)`,
    );
    // The same path at a pace local AWS keeps up with: the lag the engine adds when there is no
    // backlog (the burst's lag is queueing behind local AWS's ceiling).
    const paced = await burst(Math.min(opts.events, PACED_WRITES), {
      writesPerSecond: PACED_WRITES_PER_SECOND,
    });
    results.realtimePaced = {
      writesPerSecond: PACED_WRITES_PER_SECOND,
      events: paced.events,
      applied: paced.applied,
      journalStatus: paced.journalStatus,
      p50Ms: Math.round(paced.p50Ms),
      p99Ms: Math.round(paced.p99Ms),
      maxMs: Math.round(paced.maxMs),
      localAwsBusyShare: paced.cpu.localAws?.busyShare ?? null,
    };
    say(
      `  realtime at ${PACED_WRITES_PER_SECOND} writes/s: ${paced.applied} of ${paced.events} applied (journal: ${JSON.stringify(paced.journalStatus)}), lag p50 ${(paced.p50Ms / 1000).toFixed(2)} s, p99 ${(paced.p99Ms / 1000).toFixed(2)} s, max ${(paced.maxMs / 1000).toFixed(2)} s (local AWS busy ${paced.cpu.localAws?.busyShare ?? "?"} of a core)`,
    );
    // A burst against a target quota below the drain's rate: the replicator should run at about
    // the quota (the SDK's adaptive retry), lose nothing and apply nothing twice.
    const quoted = await burst(Math.min(opts.events, QUOTA_WRITES), {
      targetQuota: { faults: new LocalFaults(server.endpoint), perSecond: REALTIME_QUOTA_PER_SECOND },
    });
    // Target calls answered per second of the drain, over the quota.
    const answeredShare = round(
      (quoted.targetCalls - quoted.targetErrors) / quoted.drainSeconds / REALTIME_QUOTA_PER_SECOND,
    );
    results.realtimeUnderQuota = {
      quotaPerSecond: REALTIME_QUOTA_PER_SECOND,
      events: quoted.events,
      applied: quoted.applied,
      journalStatus: quoted.journalStatus,
      deadLettered: quoted.deadLettered,
      throttled: quoted.targetErrors,
      eventsPerSecond: round(quoted.eventsPerSecond, 1),
      targetCallsPerEvent: round(quoted.targetCalls / Math.max(quoted.applied, 1)),
      shareOfQuota: answeredShare,
    };
    say(
      `  realtime under a target quota of ${REALTIME_QUOTA_PER_SECOND} Glue calls/s: ${quoted.applied} of ${quoted.events} applied (journal: ${JSON.stringify(quoted.journalStatus)}, ${quoted.deadLettered} dead-lettered), ${quoted.targetErrors} target calls throttled and retried, ${quoted.eventsPerSecond.toFixed(1)} events/s; answered target calls at ${Math.round(answeredShare * 100)}% of the quota`,
    );
  }

  const bundles = opts.handlers ? handlerFigures() : {};
  for (const [name, figures] of Object.entries(bundles))
    say(
      `  bundle ${name.padEnd(20)} ${(figures.bytes / 1024).toFixed(0).padStart(5)} KB (library floor ${(figures.libraryFloorBytes / 1024).toFixed(0)} KB, lakesync's own code ${(figures.ownCodeBytes / 1024).toFixed(0)} KB), cold init ${figures.coldInitMs} ms (CPU ${figures.coldInitCpuMs} ms)`,
    );
  const synthTimes = opts.handlers ? synthSeconds() : undefined;
  const synth = synthTimes ? round(synthTimes.seconds, 1) : null;
  if (synthTimes) say(`  synth of all stacks: ${synth} s (CPU ${synthTimes.cpuSeconds.toFixed(1)} s)`);

  const summary = {
    size: opts.size,
    ratios: { apiCallsVsMinimum, restoreSpeedupVsPerObject },
    realtime: realtime
      ? {
          eventsPerSecond: round(realtime.eventsPerSecond, 1),
          p50Ms: Math.round(realtime.p50Ms),
          p99Ms: Math.round(realtime.p99Ms),
        }
      : null,
    peakRssMb,
    bundles: Object.fromEntries(
      Object.entries(bundles).map(([name, f]) => [name, { bytes: f.bytes, coldInitMs: f.coldInitMs }]),
    ),
    synthSeconds: synth,
  };
  Object.assign(results, summary, {
    phases: phases.map(({ stdout: _stdout, ...rest }) => rest),
    realtimeDetail: realtime && {
      ...realtime,
      shareOfCeiling: round(realtime.eventsPerSecond / (1000 / realtime.localAwsCpuMsPerEvent.total)),
    },
    synthCpuSeconds: synthTimes ? round(synthTimes.cpuSeconds, 1) : null,
    bundleDetail: bundles,
    machine: { ...machine, loadAverageAtEnd: round(loadavg()[0] ?? 0, 1) },
  });
  const dir = join(projectRoot, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const part = opts.partial ? `-${opts.partial}` : "";
  const file = join(dir, `${new Date().toISOString().slice(0, 10)}-${opts.size}${part}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  say(`results: ${file}`);
  if (opts.json) say(JSON.stringify(summary));
} finally {
  aws.destroy();
  await server.stop();
}
