import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { backupStoreClients, S3BackupStorage } from "../modules/aws/backup-store.ts";
import { batchUnitClients, readUnitScope } from "../modules/aws/batch-units.ts";
import { ExecutorWiring } from "../modules/aws/wiring/executor.ts";
import { parseBatchHandlerEnv } from "../modules/batch/env.ts";
import type { BackupStorage } from "../modules/batch/ports.ts";
import { syncedKinds } from "../modules/batch/reconcile.ts";
import {
  parseWorkUnit,
  runUnit,
  type UnitScope,
  type UnitSync,
  UnitSyncError,
  type WorkUnit,
} from "../modules/batch/units.ts";
import type { RecordStream } from "../modules/catalog/model.ts";
import { execute } from "../modules/operations/executor.ts";
import { sqsPartialBatch } from "./shared.ts";
import { handlerTracing } from "./tracing.ts";

export interface BatchWorkerDeps {
  /** Storage for a unit's bucket (the unit names it, so one worker serves any run). */
  storageFor: (unit: WorkUnit) => BackupStorage;
  /** The source's records in the unit's scope (readUnitScope). */
  readSnapshot: (unit: WorkUnit, scope: UnitScope) => RecordStream;
  /** Sends work-unit messages (the catalog-wide unit queues the database units). */
  enqueue: (bodies: string[]) => Promise<void>;
  /** Set when the run also syncs to targets. */
  sync?: UnitSync;
  /** Records per part file (default: modules/batch/backup.ts defaultPartRecords). */
  partRecords?: number;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
}

export function createBatchWorkerHandler(deps: BatchWorkerDeps) {
  const now = deps.now ?? (() => new Date());

  const handleRecord = async (message: SQSRecord) => {
    let unit: WorkUnit;
    try {
      unit = parseWorkUnit(message.body);
    } catch (error) {
      deps.metrics.addMetric("invalidUnits", MetricUnit.Count, 1);
      deps.logger.error("invalid work unit", {
        messageId: message.messageId,
        error: (error as Error).message,
      });
      throw error;
    }
    const where = {
      runId: unit.runId,
      unit: unit.index,
      database: unit.database ?? "(catalog)",
      ...(unit.table !== undefined ? { table: unit.table } : {}),
    };
    try {
      const outcome = await runUnit(
        {
          storage: deps.storageFor(unit),
          now,
          readSnapshot: (scope) => deps.readSnapshot(unit, scope),
          enqueue: (units) => deps.enqueue(units.map((u) => JSON.stringify(u))),
          ...(deps.sync ? { sync: deps.sync } : {}),
          ...(deps.partRecords ? { partRecords: deps.partRecords } : {}),
        },
        unit,
      );
      deps.metrics.addMetric(
        outcome.status === "done" ? "unitsDone" : "unitsAlreadyDone",
        MetricUnit.Count,
        1,
      );
      if (outcome.status === "done") deps.metrics.addMetric("records", MetricUnit.Count, outcome.records);
      for (const refused of outcome.status === "done" ? outcome.sync.filter((r) => r.refused) : []) {
        // Alarmed (syncRefused): the target keeps what it had until someone looks at the source.
        deps.metrics.addMetric("syncRefused", MetricUnit.Count, 1);
        deps.logger.error("delete-sync refused", {
          ...where,
          target: refused.target,
          reason: refused.refused,
        });
      }
      deps.logger.info("work unit finished", {
        ...where,
        status: outcome.status,
        ...(outcome.status === "done"
          ? {
              records: outcome.records,
              parts: outcome.parts.length,
              queued: outcome.queued,
              sync: outcome.sync,
            }
          : {}),
      });
      if (outcome.finalized) {
        deps.metrics.addMetric("runsCompleted", MetricUnit.Count, 1);
        deps.logger.info("backup run complete", { ...where, ...outcome.finalized });
      }
      return outcome;
    } catch (error) {
      deps.metrics.addMetric("unitsFailed", MetricUnit.Count, 1);
      if (error instanceof UnitSyncError)
        deps.metrics.addMetric("syncFailures", MetricUnit.Count, error.failures.length);
      deps.logger.error("work unit failed", {
        ...where,
        error: (error as Error).message,
        ...(error instanceof UnitSyncError ? { failures: error.failures } : {}),
      });
      throw error;
    }
  };

  return sqsPartialBatch(handleRecord, deps.metrics);
}

type BatchWorkerHandler = ReturnType<typeof createBatchWorkerHandler>;
let wired: BatchWorkerHandler | undefined;

/** The handler, wired from the environment: settings, clients, and tracing when deployed with it. */
async function wire(): Promise<BatchWorkerHandler> {
  const config = parseBatchHandlerEnv(process.env);
  const queueUrl = config.queueUrl;
  // Each unit's reads and writes a subsegment per SDK call, when the deployment asks for it.
  const tracing = await handlerTracing(config.traceSdkCalls, "lakesync-batch");
  // S3 by its class: every backup unit reads or writes the backup (ExecutorWiring would defer it).
  const aws = new ExecutorWiring({ ...batchUnitClients, ...backupStoreClients }, tracing.clientOptions);
  const { clients } = aws;
  const kinds = syncedKinds(config);
  const sync: UnitSync | undefined =
    config.targets.length === 0
      ? undefined
      : {
          targets: config.targets,
          deleteSync: config.deleteSync,
          deleteGuard: config.deleteGuard,
          ...(kinds ? { kinds } : {}),
          readTarget: (location, scope) =>
            readUnitScope(clients, location, scope, { concurrency: config.concurrency }),
          window: config.executeWindow,
          execute: (operations) => execute(operations, aws.executeDeps({ concurrency: config.concurrency })),
        };
  const handle = createBatchWorkerHandler({
    storageFor: (unit) => new S3BackupStorage(clients.get("s3", { region: unit.source.region }), unit.bucket),
    readSnapshot: (unit, scope) =>
      readUnitScope(clients, unit.source, scope, { concurrency: config.concurrency }),
    // Only a run's catalog-wide unit enqueues: the queue's code loads on that path.
    enqueue: async (bodies) =>
      (await import("../modules/aws/work-queue.ts")).sendMessages(
        clients.get("sqs", { region: config.source.region }),
        queueUrl,
        bodies,
      ),
    ...(sync ? { sync } : {}),
    logger: new Logger({ serviceName: "lakesync-batch" }),
    metrics: new Metrics({ namespace: "lakesync", serviceName: "lakesync-batch" }),
  });
  return tracing.traced("batch-worker", handle);
}

/** The Lambda entry point: wired once per container, on its first event. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  wired ??= await wire();
  return wired(event);
};
