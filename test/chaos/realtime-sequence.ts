// One chaos sequence on the realtime path, in-process against local AWS: source writes -> local
// CloudTrail (EventBridge delivery to SQS, and LookupEvents) -> capture handler and poller ->
// journal (DynamoDB, its stream) -> replicator handler -> target. Local AWS injects API and capture
// faults (scripts/localaws/faults.py); processes crash at the crash points (crash-points.ts) and are
// restarted. Then faults stop, everything drains, and the sequence is judged:
// - `lakesync diff --delete` source vs target: 0 differences, or each explained by an event that
//   ended `failed` on the target and names it;
// - every journal item is concluded on the target;
// - no create was applied to the target more often than it happened in the source (the local
//   layer's call counter: a second success of a create is a duplicated effect).
import { randomInt, randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from "@aws-sdk/client-dynamodb-streams";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import pLimit from "p-limit";
import { createCaptureHandler } from "../../handlers/capture-eventbridge.ts";
import { createReplicateHandler } from "../../handlers/replicate.ts";
import { allClients } from "../../modules/aws/all-clients.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { cloudTrailHistory } from "../../modules/aws/cloudtrail-lookup.ts";
import { createJournalTable, JournalStore } from "../../modules/aws/journal-store.ts";
import { createOperationRunner } from "../../modules/aws/operation-runner.ts";
import { SnsFailureAlerts, SqsDeadLetterQueue } from "../../modules/aws/replicator-ports.ts";
import { pollCloudTrail } from "../../modules/capture/poll.ts";
import { IntervalRateLimiter } from "../../modules/capture/rate-limiter.ts";
import { runCli } from "../../modules/cli/main.ts";
import { loadConfig } from "../../modules/config/load.ts";
import type { JournalEvent } from "../../modules/journal/event-item.ts";
import { targetConcluded } from "../../modules/journal/retention.ts";
import { LocalCallCounts } from "../../modules/local/call-counts.ts";
import { routeCloudTrailEventsToQueue } from "../../modules/local/cloudtrail-queue.ts";
import { type FaultRule, LocalFaults } from "../../modules/local/faults.ts";
import { forgetAccounts } from "../../modules/local/local-aws.ts";
import { sqsEventOf } from "../../modules/local/sqs-event.ts";
import type { TargetOperation } from "../../modules/operations/operation.ts";
import { silentLog } from "../../modules/replicator/ports.ts";
import { replicatorSettings } from "../../modules/replicator/settings.ts";
import { Crash, crashableJournal, crashableRunner, type JournalUser, ProcessLife } from "./crash-points.ts";
import { type SourceWrite, sourceCall, touchedNames } from "./source-writes.ts";

export interface ChaosOptions {
  /** local AWS endpoint (the SDK reads AWS_ENDPOINT_URL too; both must point at it). */
  endpoint: string;
  seed: number;
  /** Chance that one API call to the target or the journal gets a fault. */
  apiFaultRate?: number;
  /** Chance that one CloudTrail delivery (per path) is dropped, duplicated, delayed or reordered. */
  captureFaultRate?: number;
  /** Chance that a process dies at each crash point it passes. */
  crashRate?: number;
}

export interface SequenceResult {
  seed: number;
  operations: number;
  faultsInjected: number;
  /** Faults per kind (throttle, drop, ...), and crashes per crash point. */
  breakdown: Record<string, number>;
  crashes: number;
  converged: boolean;
  /** Differences no failed event explains. */
  lostEvents: number;
  duplicateEffects: number;
  /** Journal items some target has not concluded. */
  unfinished: number;
  /** What went wrong, for a counterexample. */
  problems: string[];
}

const TARGET = "dr";
const MAX_ATTEMPTS = 5;
/** Creates whose second success on one object would be a duplicated effect. */
const CREATES = ["CreateDatabase", "CreateTable", "CreatePartition", "CreateLFTag", "CreateDataCellsFilter"];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const silentLogger = () => new Logger({ serviceName: "lakesync-chaos", logLevel: "SILENT" });
const metrics = () => new Metrics({ namespace: "lakesync-chaos", serviceName: "chaos" });

/** mulberry32: the sequence's own seeded generator (crash draws). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function faultRules(source: string, target: string, apiRate: number, captureRate: number): FaultRule[] {
  const share = (rate: number, parts: number) => rate / parts;
  const api = (kind: FaultRule["kind"], extra: Partial<FaultRule> = {}): FaultRule => ({
    kind,
    account: target,
    service: ["glue", "lakeformation"],
    probability: share(apiRate, 5),
    ...extra,
  });
  return [
    api("throttle"),
    api("5xx"),
    api("reset"),
    api("timeout", { delayMs: 10 }),
    api("partial-batch-failure", { probability: apiRate }),
    // The journal and the poller's history read fail too (capture and replicator must retry).
    { kind: "throttle", account: source, service: ["dynamodb", "cloudtrail"], probability: apiRate / 4 },
    { kind: "5xx", account: source, service: "dynamodb", probability: apiRate / 4 },
    // Capture: EventBridge is best effort; LookupEvents is late, sometimes past the overlap.
    { kind: "drop", path: "eventbridge", account: source, probability: captureRate },
    { kind: "duplicate", path: "eventbridge", account: source, probability: captureRate },
    { kind: "delay", path: "eventbridge", account: source, probability: captureRate / 2, delaySeconds: 1 },
    { kind: "reorder", path: "eventbridge", account: source, probability: captureRate },
    { kind: "delay", path: "lookup", account: source, probability: captureRate, delaySeconds: 3600 },
    { kind: "duplicate", path: "lookup", account: source, probability: captureRate / 2 },
    { kind: "reorder", path: "lookup", account: source, probability: captureRate / 2 },
  ];
}

/** The wiring of one process (a Lambda container of each function), fresh after a crash. */
interface Processes {
  life: ProcessLife;
  capture: ReturnType<typeof createCaptureHandler>;
  replicate: ReturnType<typeof createReplicateHandler>;
  poll: () => Promise<unknown>;
}

export async function runRealtimeSequence(
  writes: readonly SourceWrite[],
  options: ChaosOptions,
): Promise<SequenceResult> {
  const random = seeded(options.seed);
  // Fresh accounts whatever the seed: two runs of one seed must not share a journal.
  const source = { account: String(randomInt(100_000_000_000, 999_999_999_999)), region: "us-east-1" };
  const target = { account: String(randomInt(100_000_000_000, 999_999_999_999)), region: "us-east-1" };
  const scope = `chaos-${options.seed}-${randomUUID().slice(0, 8)}`;
  const faults = new LocalFaults(options.endpoint);
  const counts = new LocalCallCounts(options.endpoint);
  const clients = new AwsClients(allClients, { endpoint: options.endpoint, maxAttempts: 8 });
  const dir = await mkdtemp(join(tmpdir(), "lakesync-chaos-"));
  const problems: string[] = [];
  let crashes = 0;
  const breakdown: Record<string, number> = {};
  const t0 = Date.now();
  const mark = (label: string) => {
    if (process.env.CHAOS_DEBUG)
      process.stderr.write(`chaos ${options.seed}: ${label} at ${Date.now() - t0} ms\n`);
  };
  try {
    const configFile = join(dir, "lakesync.config.json");
    await writeFile(
      configFile,
      JSON.stringify({
        source,
        targets: [{ name: TARGET, ...target }],
        realtime: { journalTable: "journal", maxAttempts: MAX_ATTEMPTS },
        batch: { backupBucket: `backups-${source.account}` },
      }),
    );
    const config = await loadConfig(configFile);
    const settings = { ...replicatorSettings(config, {}, source, MAX_ATTEMPTS), baseDelayMs: 20 };
    const dynamo = clients.get("dynamodb", source);
    await createJournalTable(dynamo, "journal");
    const sqs = clients.get("sqs", source);
    const queueUrl = await routeCloudTrailEventsToQueue(clients, source, "capture");
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "dlq" }))).QueueUrl ?? "";
    const topicArn =
      (await clients.get("sns", source).send(new CreateTopicCommand({ Name: "alerts" }))).TopicArn ?? "";
    const store = new JournalStore(dynamo, { tableName: "journal" });
    const stream = await journalStream(clients, source);
    const runner = createOperationRunner(clients);

    const crashRate = options.crashRate ?? 0.03;
    const start = (rate: number): Processes => {
      const life = new ProcessLife(rate, random);
      const journal = (user: JournalUser) => crashableJournal(store, life, user);
      const pollerJournal = journal("poller");
      const limiter = new IntervalRateLimiter(2, { now: Date.now, sleep });
      return {
        life,
        capture: createCaptureHandler({
          journal: journal("capture"),
          logger: silentLogger(),
          metrics: metrics(),
        }),
        replicate: createReplicateHandler({
          core: {
            journal: journal("replicator"),
            run: crashableRunner(runner, life),
            sleep,
            now: () => new Date(),
            deadLetters: new SqsDeadLetterQueue(sqs, dlqUrl),
            alerts: new SnsFailureAlerts(clients.get("sns", source), topicArn),
            log: silentLog,
          },
          settings,
          logger: silentLogger(),
          metrics: metrics(),
          roundBaseDelayMs: 20,
        }),
        poll: () =>
          pollCloudTrail(
            {
              history: cloudTrailHistory(clients.get("cloudtrail", source)),
              journal: pollerJournal,
              checkpoints: pollerJournal,
              limiter,
              sleep,
              log: silentLog,
            },
            { account: source.account, region: source.region, now: new Date() },
          ),
      };
    };
    let processes = start(crashRate);
    const restartIfDead = () => {
      if (processes.life.dead) {
        crashes++;
        const point = `crash:${processes.life.dead}`;
        breakdown[point] = (breakdown[point] ?? 0) + 1;
        processes = start(crashRate);
      }
    };

    await faults.set(
      scope,
      faultRules(
        source.account,
        target.account,
        options.apiFaultRate ?? 0.08,
        options.captureFaultRate ?? 0.1,
      ),
      options.seed,
    );
    await counts.reset(source.account);
    await counts.reset(target.account);

    // The writes, a second apart where they touch the same names (see touchedNames).
    let second = new Set<string>();
    let lastWriteAt = Date.now();
    for (const write of writes) {
      const names = touchedNames(write);
      if (names.some((n) => second.has(n))) {
        await sleep(1000 - (Date.now() % 1000) + 20);
        second = new Set();
      }
      for (const n of names) second.add(n);
      const call = sourceCall(write, source.account);
      await runner({ ...call, target: { name: "source", ...source } } as unknown as TargetOperation).catch(
        () => undefined, // a write the source refuses (missing parent, exists) is part of the story
      );
      lastWriteAt = Date.now();
    }

    // Each consumer works until its input is empty, a bounded number of batches per turn.
    const pumpQueue = async () => {
      for (let batches = 0; batches < 20; batches++) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (Messages.length === 0) return;
        const event = sqsEventOf(Messages);
        const answer = await processes.capture(event).catch(() => ({
          batchItemFailures: Messages.map((m) => ({ itemIdentifier: m.MessageId ?? "" })),
        }));
        const failed = new Set(
          processes.life.dead
            ? Messages.map((m) => m.MessageId)
            : answer.batchItemFailures.map((f) => f.itemIdentifier),
        );
        restartIfDead();
        for (const m of Messages) {
          // Acknowledged, or visible again at once (the visibility timeout, shortened).
          const command = failed.has(m.MessageId)
            ? new ChangeMessageVisibilityCommand({
                QueueUrl: queueUrl,
                ReceiptHandle: m.ReceiptHandle,
                VisibilityTimeout: 0,
              })
            : new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle });
          await sqs.send(command as never);
        }
      }
    };
    const poll = async () => {
      mark("poll");
      await processes.poll().catch((error: unknown) => {
        if (!(error instanceof Crash) && !processes.life.dead) return; // a failed invocation: the next one re-reads
      });
      restartIfDead();
    };
    const pumpStream = async () => {
      for (let batches = 0; batches < 20; batches++) {
        const batch = await stream.next(10);
        if (batch.length === 0) return;
        const answer = await processes.replicate({
          Records: batch as unknown as DynamoDBRecord[],
        } as DynamoDBStreamEvent);
        if (processes.life.dead) {
          restartIfDead();
          continue; // the batch is delivered again to the new process
        }
        const firstFailed = answer.batchItemFailures[0]?.itemIdentifier;
        stream.commit(batch, firstFailed);
      }
    };

    mark("writes done");
    // Under faults: a few rounds of every consumer.
    for (let round = 0; round < 3; round++) {
      await pumpQueue();
      await poll();
      await pumpStream();
    }
    // Faults stop (the outage ends), crashes too; delayed deliveries land; everything drains.
    mark("fault rounds done");
    const report = await faults.report(scope);
    const injected = Object.values(report?.injected ?? {}).reduce((sum, n) => sum + (n ?? 0), 0);
    for (const [kind, n] of Object.entries(report?.injected ?? {})) breakdown[kind] = n ?? 0;
    await faults.clear(scope);
    processes = start(0);
    // Delayed EventBridge deliveries (1 s) and held reordered ones (2 s at most) are out by then.
    await sleep(Math.max(0, lastWriteAt + 3000 - Date.now()));
    for (let round = 0; round < 40; round++) {
      await pumpQueue();
      await poll();
      await pumpStream();
      if ((await stream.pending()) === 0 && (await unconcluded(store)).length === 0) break;
    }

    mark("drained");
    const unfinished = await unconcluded(store);
    for (const e of unfinished)
      problems.push(`not concluded: ${e.eventName} ${e.eventId} ${JSON.stringify(e.targets)}`);
    const differences = await diffDifferences(configFile);
    const failedEvents = (await store.listEvents({ limit: 10_000 })).filter(
      (e) => e.targets[TARGET]?.state === "failed",
    );
    const lost = differences.filter((d) => !failedEvents.some((e) => namesDifference(e, d)));
    for (const d of lost) problems.push(`unexplained difference: ${d.change} ${d.kind} ${d.key}`);
    mark("diffed");
    const duplicates = await duplicatedCreates(counts, source.account, target.account);
    problems.push(...duplicates.map((d) => `duplicated effect: ${d}`));
    return {
      seed: options.seed,
      operations: writes.length,
      faultsInjected: injected,
      breakdown,
      crashes,
      converged: lost.length === 0 && unfinished.length === 0 && duplicates.length === 0,
      lostEvents: lost.length,
      duplicateEffects: duplicates.length,
      unfinished: unfinished.length,
      problems,
    };
  } finally {
    await faults.clear(scope).catch(() => undefined);
    clients.destroy();
    // Judged: its accounts go, so the next sequences do not pay for them (see forgetAccounts).
    await forgetAccounts(options.endpoint, [source.account, target.account]);
    await rm(dir, { recursive: true, force: true });
  }
}

async function unconcluded(store: JournalStore): Promise<JournalEvent[]> {
  const events = await store.listEvents({ limit: 10_000 });
  return events.filter((e) => !targetConcluded(e.targets[TARGET], MAX_ATTEMPTS));
}

interface Difference {
  kind: string;
  key: string;
  change: string;
}

/** The CLI prints to process.stdout, which one diff at a time may borrow. */
const oneDiffAtATime = pLimit(1);

/** `lakesync diff --delete --json`, in-process: its differences (target-only objects included). */
function diffDifferences(configFile: string): Promise<Difference[]> {
  return oneDiffAtATime(() => runDiff(configFile));
}

async function runDiff(configFile: string): Promise<Difference[]> {
  let out = "";
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  let code: number;
  try {
    code = await runCli(["diff", "--delete", "--json", "--config", configFile]);
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
  if (code !== 0 && code !== 2) throw new Error(`lakesync diff exited ${code}: ${out.slice(-500)}`);
  const report = JSON.parse(out) as { targets: Array<{ differences: Difference[] }> };
  return report.targets.flatMap((t) => t.differences);
}

/**
 * A failed event names a difference when its record mentions every name in the difference's key
 * (keys can be paths, `d1/t1`, or JSON, a grant's `{"Table":{"DatabaseName":"d1","Name":"t1"}}`).
 */
function namesDifference(event: JournalEvent, difference: Difference): boolean {
  const names = difference.key.match(/\b(d\d|t\d|p\d|f\d|tier|domain)\b/g) ?? [];
  return names.length > 0 && names.every((name) => event.record?.includes(`"${name}"`));
}

/** Creates the target succeeded at more often than the source did: each extra is an effect applied twice. */
async function duplicatedCreates(counts: LocalCallCounts, source: string, target: string): Promise<string[]> {
  const succeeded = async (account: string) => {
    const totals = new Map<string, number>();
    for (const c of await counts.list(account)) totals.set(c.operation, c.count - c.errors);
    return totals;
  };
  const [inSource, inTarget] = [await succeeded(source), await succeeded(target)];
  return CREATES.flatMap((operation) => {
    const extra = (inTarget.get(operation) ?? 0) - (inSource.get(operation) ?? 0);
    return extra > 0 ? [`${operation} succeeded ${extra} more time(s) in the target than in the source`] : [];
  });
}

/** The journal's stream read as Lambda's event source mapping reads it: in order, from a checkpoint. */
async function journalStream(clients: AwsClients, location: { account: string; region: string }) {
  const { Table } = await clients
    .get("dynamodb", location)
    .send(new DescribeTableCommand({ TableName: "journal" }));
  const streams = clients.get("dynamodbStreams", location);
  const streamArn = Table?.LatestStreamArn;
  // Records read but not yet done, oldest first; each shard's iterator continues where it stopped.
  const unprocessed: StreamRecord[] = [];
  const iterators = new Map<string, string | undefined>();
  const readNew = async () => {
    if (iterators.size === 0) {
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      for (const shard of StreamDescription?.Shards ?? []) {
        const { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shard.ShardId,
            ShardIteratorType: "TRIM_HORIZON",
          }),
        );
        iterators.set(shard.ShardId ?? "", ShardIterator);
      }
    }
    for (const [shard, start] of iterators) {
      let iterator = start;
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        unprocessed.push(...(page.Records ?? []));
        iterator = page.NextShardIterator;
        if (!page.Records?.length) break;
      }
      iterators.set(shard, iterator);
    }
  };
  return {
    async next(size: number): Promise<StreamRecord[]> {
      await readNew();
      return unprocessed.slice(0, size);
    },
    async pending(): Promise<number> {
      await readNew();
      return unprocessed.length;
    },
    /** Everything before the first failed record is done; the rest comes again. */
    commit(batch: StreamRecord[], firstFailed: string | undefined): void {
      for (const record of batch) {
        if (record.dynamodb?.SequenceNumber === firstFailed) return;
        unprocessed.shift();
      }
    },
  };
}
