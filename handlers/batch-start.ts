// Scheduled Lambda that starts an at-scale backup (+ sync) run: plans one work unit for the
// catalog-wide records, one per source database and one per table over the large-table threshold,
// records the plan next to the run's parts, and queues the first unit for batch-worker, which
// queues the rest. A catalog of any size then finishes as many short invocations.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { backupStoreClients, S3BackupStorage } from "../modules/aws/backup-store.ts";
import { batchUnitClients, findLargeTables, listDatabaseNames } from "../modules/aws/batch-units.ts";
import { AwsWiring } from "../modules/aws/wiring/base.ts";
import { sendMessages, workQueueClients } from "../modules/aws/work-queue.ts";
import { s3Url } from "../modules/backup/layout.ts";
import { type BatchHandlerConfig, parseBatchHandlerEnv } from "../modules/batch/env.ts";
import type { BackupStorage } from "../modules/batch/ports.ts";
import { planRun, type TableRef, writeRunPlan } from "../modules/batch/units.ts";
import { publishMetrics } from "./metrics.ts";

export interface BatchStartDeps {
  config: Pick<BatchHandlerConfig, "source" | "bucket" | "prefix" | "keepBackups" | "databases">;
  storage: BackupStorage;
  listDatabases: () => Promise<string[]>;
  /** Tables of these databases over the large-table threshold (each becomes its own unit). */
  findLargeTables?: (databases: string[]) => Promise<TableRef[]>;
  enqueue: (bodies: string[]) => Promise<void>;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
}

export interface BatchStartResult {
  runId: string;
  backup: string;
  units: number;
  /** Tables that are units of their own. */
  largeTables: number;
}

export function createBatchStartHandler(deps: BatchStartDeps) {
  const now = deps.now ?? (() => new Date());
  return async (_event?: unknown): Promise<BatchStartResult> => {
    try {
      const { config } = deps;
      const listed = await deps.listDatabases();
      const wanted = config.databases === "all" ? listed : listed.filter((d) => config.databases.includes(d));
      const largeTables = deps.findLargeTables ? await deps.findLargeTables(wanted) : [];
      const run = planRun({
        now: now(),
        source: config.source,
        bucket: config.bucket,
        prefix: config.prefix,
        keepBackups: config.keepBackups,
        databases: config.databases,
        databaseNames: listed,
        largeTables,
      });
      await writeRunPlan(deps.storage, run);
      // Only the catalog-wide unit: it queues the database units when it is done (units.ts).
      await deps.enqueue(run.units.slice(0, 1).map((unit) => JSON.stringify(unit)));
      const result = {
        runId: run.plan.runId,
        backup: s3Url(config.bucket, run.folder),
        units: run.units.length,
        largeTables: largeTables.length,
      };
      deps.logger.info("batch run started", { ...result });
      deps.metrics.addMetric("units", MetricUnit.Count, run.units.length);
      return result;
    } finally {
      publishMetrics(deps.metrics);
    }
  };
}

let wired: ReturnType<typeof createBatchStartHandler> | undefined;

export const handler = async (event: unknown): Promise<BatchStartResult> => {
  if (!wired) {
    const config = parseBatchHandlerEnv(process.env);
    const queueUrl = config.queueUrl;
    const { clients } = new AwsWiring({ ...backupStoreClients, ...batchUnitClients, ...workQueueClients });
    const location = { region: config.source.region };
    wired = createBatchStartHandler({
      config,
      storage: new S3BackupStorage(clients.get("s3", location), config.bucket),
      listDatabases: () => listDatabaseNames(clients.get("glue", location), config.source.account),
      findLargeTables: (databases) =>
        findLargeTables(
          clients.get("glue", location),
          databases,
          config.largeTablePartitions,
          config.concurrency,
        ),
      enqueue: (bodies) => sendMessages(clients.get("sqs", location), queueUrl, bodies),
      logger: new Logger({ serviceName: "lakesync-batch" }),
      metrics: new Metrics({ namespace: "lakesync", serviceName: "lakesync-batch" }),
    });
  }
  return wired(event);
};
