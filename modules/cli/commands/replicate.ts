// `lakesync replicate --once|--follow`: the realtime path in one process, for catch-up runs from a
// laptop or CI, local use and tests. Polls CloudTrail LookupEvents from the journal's checkpoint,
// journals what it finds, then replicates every journal event that still has work (in eventTime
// order, with the same core as the stream handler) and prints one line per event and target.
import type { Command } from "commander";
import { allClients } from "../../aws/all-clients.ts";
import { callerAccount } from "../../aws/caller-account.ts";
import { cloudTrailHistory } from "../../aws/cloudtrail-lookup.ts";
import type { JournalStore } from "../../aws/journal-store.ts";
import { sleep } from "../../aws/wiring/base.ts";
import { ExecutorWiring } from "../../aws/wiring/executor.ts";
import { checkpointTimeProblem } from "../../capture/checkpoint.ts";
import { pollCloudTrail } from "../../capture/poll.ts";
import type { BatchJournalWriter, CaptureLog } from "../../capture/ports.ts";
import { IntervalRateLimiter } from "../../capture/rate-limiter.ts";
import { CAPTURED_EVENT_SOURCES } from "../../capture/tracked-events.ts";
import type { LakesyncConfig } from "../../config/schema.ts";
import { checkAccount, checkRegion, type TargetFlags, targetAtSource } from "../../config/targets.ts";
import { isoSeconds, type JournalEvent } from "../../journal/event-item.ts";
import { drainEvents, type EventRef, outcomeLine } from "../../replicator/drain.ts";
import type { FailureNotice } from "../../replicator/ports.ts";
import type { TargetOutcome } from "../../replicator/replicate-event.ts";
import { replicatorSettings } from "../../replicator/settings.ts";
import { configOptionHelp, loadCliConfig } from "../config-file.ts";
import { CliError, ExitCode } from "../exit-codes.ts";
import { addReplicationMappingOptions } from "../flags.ts";
import { writeJson, writeLines } from "../render.ts";
import { DEFAULT_JOURNAL_TABLE, openJournal } from "./events.ts";

interface ReplicateOptions extends TargetFlags {
  once?: boolean;
  follow?: boolean;
  config?: string;
  sourceRegion?: string;
  sourceAccount?: string;
  journalTable?: string;
  since?: string;
  maxAttempts?: string;
  intervalSeconds: string;
  json?: boolean;
  retryFailed?: boolean;
}

/** LookupEvents allows 2 requests/s per account and region. */
const LOOKUP_REQUESTS_PER_SECOND = 2;

export function registerReplicate(program: Command): void {
  addReplicationMappingOptions(program.command("replicate"))
    .description(
      "run capture (CloudTrail LookupEvents -> journal) and the replicator in this process; one line per event and target",
    )
    .option("--once", "poll once, drain the journal and exit (1 when any event failed)")
    .option("--follow", "keep polling and replicating until interrupted")
    .option("--config <file>", configOptionHelp("source, targets, mapping, filters, realtime settings"))
    .option("--target <name>", "only this configured target (default: all)")
    .option("--target-region <region>", "target region (overrides the config's targets)")
    .option("--target-account <account>", "target account (overrides the config's targets)")
    .option("--source-region <region>", "source region (default: the config's, else AWS_REGION)")
    .option("--source-account <account>", "source account (default: the config's, else the caller's)")
    .option("--journal-table <name>", `journal table (default: the config's, else ${DEFAULT_JOURNAL_TABLE})`)
    .option(
      "--since <iso>",
      "first checkpoint when the journal has none (ISO 8601 time with a zone, not in the future)",
    )
    .option(
      "--retry-failed",
      "first give every event that failed for good one more attempt per failed target (after fixing the cause)",
    )
    .option(
      "--max-attempts <n>",
      "attempts per event and target before it fails (default: the config's, else 5)",
    )
    .option("--interval-seconds <n>", "--follow: seconds between polls", "60")
    .option("--json", "print one JSON object per event and target")
    .action(async (options: ReplicateOptions) => {
      if (Boolean(options.once) === Boolean(options.follow))
        throw new CliError("pass exactly one of --once, --follow");
      const config = (await loadCliConfig(options.config))?.config;
      const aws = new ExecutorWiring(allClients);
      try {
        const run = await prepare(options, config, aws);
        if (options.retryFailed) {
          const requeued = await requeueFailed(run.journal);
          process.stderr.write(`lakesync: ${requeued} failed event target(s) queued for one more attempt\n`);
        }
        if (options.once) {
          const outcomes = await run.cycle();
          if (outcomes.some((o) => o.state === "failed")) process.exitCode = ExitCode.error;
          return;
        }
        const interval = positiveInt(options.intervalSeconds, "--interval-seconds")! * 1000;
        // Ctrl-C (or SIGTERM): the event in hand finishes, the rest stays pending in the journal.
        let stopping = false;
        const stop = () => {
          if (!stopping) process.stderr.write("lakesync: stopping after the current event…\n");
          stopping = true;
        };
        run.stopRequested = () => stopping;
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
        try {
          while (!stopping) {
            try {
              await run.cycle();
            } catch (error) {
              // One bad cycle (throttling, a network blip) must not end a long-running follow.
              if (error instanceof CliError) throw error;
              process.stderr.write(
                `lakesync: cycle failed, retrying next interval: ${(error as Error).message}\n`,
              );
            }
            for (let waited = 0; waited < interval && !stopping; waited += 250) await sleep(250);
          }
        } finally {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
        }
        process.stderr.write(
          `lakesync: interrupted: ${run.replicated} event outcome(s) this run; unfinished events stay pending for the next run\n`,
        );
        process.exitCode = ExitCode.interrupted;
      } finally {
        aws.destroy();
      }
    });
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} expects a positive integer, got ${value}`);
  return n;
}

const stderrLog: CaptureLog = {
  info: () => {},
  warn: (message, extra) =>
    process.stderr.write(`lakesync: ${message}${extra ? ` ${JSON.stringify(extra)}` : ""}\n`),
  error: (message, extra) =>
    process.stderr.write(`lakesync: ${message}${extra ? ` ${JSON.stringify(extra)}` : ""}\n`),
};

/** Without a DLQ and a topic the CLI is its own alert: the failure goes to stderr. */
function reportFailure(notice: FailureNotice): Promise<void> {
  process.stderr.write(
    `lakesync: event ${notice.eventId} (${notice.eventName}) failed on ${notice.target} after ${notice.attempts} attempt(s): ${notice.error}\n`,
  );
  return Promise.resolve();
}

async function prepare(options: ReplicateOptions, config: LakesyncConfig | undefined, aws: ExecutorWiring) {
  const { clients } = aws;
  const region =
    checkRegion(options.sourceRegion, "--source-region") ?? config?.source.region ?? process.env.AWS_REGION;
  if (!region) throw new CliError("no source region: pass --source-region (or set AWS_REGION, or --config)");
  const roleArn = config?.source.roleArn;
  const account =
    checkAccount(options.sourceAccount, "--source-account") ??
    config?.source.account ??
    (await callerAccount(clients, region));
  if (!account) throw new CliError("cannot tell the source account: pass --source-account");
  const sinceProblem =
    options.since === undefined ? undefined : checkpointTimeProblem(options.since, new Date());
  if (sinceProblem) throw new CliError(`--since: ${sinceProblem}`);
  const source = { region, account, ...(roleArn ? { roleArn } : {}) };
  const maxAttempts = positiveInt(options.maxAttempts, "--max-attempts") ?? config?.realtime.maxAttempts ?? 5;
  const settings = replicatorSettings(config, options, source, maxAttempts);
  const self = targetAtSource(settings.targets, source);
  if (self) {
    throw new CliError(
      `target ${self.location.name} is the source itself (${account}/${region}): pass --config, --target-region or --target-account`,
    );
  }
  // A target whose role cannot be assumed would fail every event, a line each and every retry
  // round: one line now, before anything is polled or journaled, as the batch commands do.
  for (const target of settings.targets) await clients.checkCredentials(target.location);
  const tableName = options.journalTable ?? config?.realtime.journalTable ?? DEFAULT_JOURNAL_TABLE;
  const journal = await openJournal(aws, source, tableName, { create: true });
  const deps = aws.replicatorDeps(
    journal,
    { deadLetters: { send: reportFailure }, alerts: { publish: () => Promise.resolve() } },
    stderrLog,
  );
  const limiter = new IntervalRateLimiter(LOOKUP_REQUESTS_PER_SECOND, { now: Date.now, sleep });
  const print = (outcome: TargetOutcome) => {
    if (!outcome.final) return;
    if (options.json) writeJson(outcome);
    else writeLines(outcomeLine(outcome));
  };

  const run = {
    journal,
    /** Set by --follow: the drain stops after the event in hand once it returns true. */
    stopRequested: (() => false) as () => boolean,
    /** Final outcomes printed so far. */
    replicated: 0,
    cycle: async (): Promise<TargetOutcome[]> => {
      if (options.since !== undefined) await seedCheckpoints(journal, source, options.since);
      // What this poll journals is replicated even before the status index shows it (on AWS a
      // GSI is eventually consistent); the index adds what earlier runs or EventBridge left.
      const journaledNow: EventRef[] = [];
      const recordingJournal: BatchJournalWriter = {
        putEvents: async (events) => {
          const results = await journal.putEvents(events);
          events.forEach((event, i) => {
            if (results[i] === "stored") journaledNow.push(refOf(event));
          });
          return results;
        },
      };
      await pollCloudTrail(
        {
          history: cloudTrailHistory(clients.get("cloudtrail", source)),
          journal: recordingJournal,
          checkpoints: journal,
          limiter,
          sleep,
          log: stderrLog,
        },
        { account, region, now: new Date(), lookbackMinutes: config?.realtime.lookbackMinutes ?? 20 },
      );
      const refs = new Map([...journaledNow, ...(await eventsWithWork(journal))].map((r) => [r.eventId, r]));
      const outcomes = await drainEvents([...refs.values()], deps, settings, {
        onOutcome: print,
        stopRequested: () => run.stopRequested(),
      });
      const final = outcomes.filter((o) => o.final);
      run.replicated += final.length;
      return final;
    },
  };
  return run;
}

/** --since is the first checkpoint: only where the journal has none yet for that event source. */
async function seedCheckpoints(
  journal: JournalStore,
  source: { account: string; region: string },
  since: string,
) {
  for (const eventSource of CAPTURED_EVENT_SOURCES) {
    const scope = { account: source.account, region: source.region, eventSource };
    if (await journal.getCheckpoint(scope)) continue;
    await journal.putCheckpoint(scope, { eventTime: isoSeconds(since), updatedAt: isoSeconds(new Date()) });
  }
}

/**
 * Puts every target that failed for good back to pending: the next drain gives it one more attempt
 * (its attempts count is kept, so a failure ends it again at once, with a new alert).
 */
async function requeueFailed(journal: JournalStore): Promise<number> {
  let requeued = 0;
  for (const event of await journal.listEvents({ state: "failed", limit: 100_000 })) {
    for (const [target, state] of Object.entries(event.targets)) {
      if (state.state !== "failed") continue;
      await journal.setTargetState(event.eventId, target, "pending", { reason: "retry requested" });
      requeued += 1;
    }
  }
  return requeued;
}

/** Events some target has not settled: new ones (pending) and failures with attempts left. */
async function eventsWithWork(journal: JournalStore): Promise<EventRef[]> {
  const listed = [
    ...(await journal.listEvents({ state: "pending", limit: 100_000 })),
    ...(await journal.listEvents({ state: "failed", limit: 100_000 })),
  ];
  return listed.map(refOf);
}

function refOf(event: JournalEvent): EventRef {
  return { eventId: event.eventId, eventTime: event.eventTime, eventName: event.eventName };
}
