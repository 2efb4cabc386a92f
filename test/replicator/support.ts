// Shared setup of the replicator tests: a source catalog (us-east-1) in a fresh account, two
// targets (us-west-2 in the same account, us-east-1 in a second account), a config file naming
// them, and `lakesync replicate --once` run in-process with its output captured.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from "@aws-sdk/client-dynamodb-streams";
import { CreateTopicCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import { allClients } from "../../modules/aws/all-clients.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { cloudTrailHistory } from "../../modules/aws/cloudtrail-lookup.ts";
import { createJournalTable, JournalStore } from "../../modules/aws/journal-store.ts";
import { createOperationRunner } from "../../modules/aws/operation-runner.ts";
import { SnsFailureAlerts, SqsDeadLetterQueue } from "../../modules/aws/replicator-ports.ts";
import { type PollSummary, pollCloudTrail } from "../../modules/capture/poll.ts";
import { IntervalRateLimiter } from "../../modules/capture/rate-limiter.ts";
import { loadConfig } from "../../modules/config/load.ts";
import { resolveTargets } from "../../modules/config/targets.ts";
import type { JournalEvent } from "../../modules/journal/event-item.ts";
import { drainEvents, type EventRef } from "../../modules/replicator/drain.ts";
import { silentLog } from "../../modules/replicator/ports.ts";
import type {
  ReplicatorDeps,
  ReplicatorSettings,
  TargetOutcome,
} from "../../modules/replicator/replicate-event.ts";
import { type CliRun, cli } from "../support/cli.ts";
import { client, freshAccount, type TestLocation, testLocation } from "../support/local-aws.ts";

export { type CliRun, cli };

export interface Lake {
  source: TestLocation;
  west: TestLocation;
  backup: TestLocation;
  configFile: string;
  journalTable: string;
}

export const patientClients = new AwsClients(allClients, { maxAttempts: 10 });

/** Source and targets in fresh accounts, and a config with a bucket map and a principal map. */
export async function newLake(extraConfig: Record<string, unknown> = {}): Promise<Lake> {
  const source = testLocation("us-east-1");
  const west = testLocation("us-west-2", source.account);
  const backup = testLocation("us-east-1", freshAccount());
  const dir = await mkdtemp(join(tmpdir(), "lakesync-replicator-"));
  const configFile = join(dir, "lakesync.config.json");
  const config = {
    source: { account: source.account, region: source.region },
    targets: [
      {
        name: "west",
        account: west.account,
        region: west.region,
        mapping: { buckets: { "lake-src": "lake-west" } },
      },
      {
        name: "backup",
        account: backup.account,
        region: backup.region,
        mapping: {
          principals: {
            [`arn:aws:iam::${source.account}:role/analyst`]: `arn:aws:iam::${backup.account}:role/analyst-dr`,
          },
        },
      },
    ],
    mapping: { buckets: { "lake-src": "lake-backup" } },
    batch: { backupBucket: `backups-${source.account}` },
    realtime: { journalTable: "journal", maxAttempts: 3 },
    ...extraConfig,
  };
  await writeFile(configFile, JSON.stringify(config));
  return { source, west, backup, configFile, journalTable: "journal" };
}

/** `replicate --once --json` for the lake; returns the outcomes it printed. */
export async function replicateOnce(
  lake: Lake,
  extra: string[] = [],
): Promise<{ run: CliRun; outcomes: TargetOutcome[] }> {
  const run = await cli(["replicate", "--once", "--json", "--config", lake.configFile, ...extra]);
  const outcomes = run.lines.map((line) => JSON.parse(line) as TargetOutcome);
  return { run, outcomes };
}

export function glue(location: TestLocation) {
  return client("glue", location);
}

export function lf(location: TestLocation) {
  return client("lakeformation", location);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for the next second: CloudTrail times have 1 s resolution, so dependent calls on one
 * resource are kept in different seconds (same-second order is tested on its own). */
export async function nextSecond(): Promise<void> {
  await sleep(1000 - (Date.now() % 1000) + 20);
}

/** Waits for the start of a fresh second, so the next calls share one CloudTrail eventTime. */
export async function startOfSecond(): Promise<void> {
  await sleep(1000 - (Date.now() % 1000) + 20);
}

/** Outcomes per eventName and target: `CreateTable -> west: applied`. */
export function summarize(outcomes: readonly TargetOutcome[]): string[] {
  return outcomes.map((o) => `${o.eventName} -> ${o.target}: ${o.state}`).sort();
}

// ---- the replicator core against the lake: real journal, real runner, real DLQ and alert topic ----

export interface Harness {
  journal: JournalStore;
  deps: ReplicatorDeps;
  settings: ReplicatorSettings;
  deadLetterQueueUrl: string;
  /** An SQS queue subscribed to the alert topic. */
  alertQueueUrl: string;
  /** One poll of the source's CloudTrail into the journal. */
  poll(): Promise<PollSummary>;
  drain(refs: EventRef[], roundBaseDelayMs?: number): Promise<TargetOutcome[]>;
}

export async function harness(lake: Lake, maxAttempts = 3): Promise<Harness> {
  const { source } = lake;
  await createJournalTable(client("dynamodb", source), lake.journalTable);
  const journal = new JournalStore(client("dynamodb", source), { tableName: lake.journalTable });
  const sqs = client("sqs", source);
  const queueUrl = async (name: string) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? "";
  const deadLetterQueueUrl = await queueUrl("replicator-dlq");
  const alertQueueUrl = await queueUrl("alerts");
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: alertQueueUrl, AttributeNames: ["QueueArn"] }),
  );
  const sns = client("sns", source);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "lakesync-alerts" }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: Attributes?.QueueArn }));
  const config = await loadConfig(lake.configFile);
  const deps: ReplicatorDeps = {
    journal,
    run: createOperationRunner(patientClients),
    sleep,
    now: () => new Date(),
    deadLetters: new SqsDeadLetterQueue(sqs, deadLetterQueueUrl),
    alerts: new SnsFailureAlerts(sns, TopicArn ?? ""),
    log: silentLog,
  };
  const settings: ReplicatorSettings = {
    targets: resolveTargets(config, {}, source),
    maxAttempts,
    baseDelayMs: 50,
    replicate: config.replicate,
  };
  const limiter = new IntervalRateLimiter(2, { now: Date.now, sleep });
  return {
    journal,
    deps,
    settings,
    deadLetterQueueUrl,
    alertQueueUrl,
    poll: () =>
      pollCloudTrail(
        {
          history: cloudTrailHistory(patientClients.get("cloudtrail", source)),
          journal,
          checkpoints: journal,
          limiter,
          sleep,
          log: silentLog,
        },
        { account: source.account, region: source.region, now: new Date() },
      ),
    drain: (refs, roundBaseDelayMs = 200) => drainEvents(refs, deps, settings, { roundBaseDelayMs }),
  };
}

/** Journal events by name, oldest first. */
export async function journaled(journal: JournalStore, eventName: string): Promise<JournalEvent[]> {
  const events = await journal.listEvents({ limit: 1000 });
  return events
    .filter((e) => e.eventName === eventName)
    .sort((a, b) => a.eventTime.localeCompare(b.eventTime));
}

export async function receiveAll(location: TestLocation, queueUrl: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (let empty = 0; empty < 2; ) {
    const { Messages } = await client("sqs", location).send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages?.length) messages.push(...Messages);
    else empty++;
  }
  return messages;
}

/** Every record of the journal table's stream so far, oldest first per shard. */
export async function streamRecords(lake: Lake): Promise<StreamRecord[]> {
  const { Table } = await client("dynamodb", lake.source).send(
    new DescribeTableCommand({ TableName: lake.journalTable }),
  );
  const streams = client("dynamodbStreams", lake.source);
  const { StreamDescription } = await streams.send(
    new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }),
  );
  const records: StreamRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: Table?.LatestStreamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: "TRIM_HORIZON",
      }),
    );
    while (ShardIterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
      records.push(...(page.Records ?? []));
      if (!page.Records?.length) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return records;
}
