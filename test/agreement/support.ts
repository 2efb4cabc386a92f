// The two paths of lakesync side by side on local AWS, for the agreement property: a source
// catalog, and two targets with the same non-identity mapping (another account and region, a
// bucket map, a principal map). The realtime path plans each CloudTrail record the source write
// left (modules/replication/planner.ts) and executes it into T_rt; the batch path diffs the mapped
// source snapshot against T_batch's snapshot and executes the differences, as `lakesync sync
// --delete` does.
import * as glueSdk from "@aws-sdk/client-glue";
import * as lfSdk from "@aws-sdk/client-lakeformation";
import { allClients } from "../../modules/aws/all-clients.ts";
import { readCatalogSnapshot } from "../../modules/aws/catalog-reader.ts";
import { AwsClients, type AwsLocation } from "../../modules/aws/clients.ts";
import { createOperationRunner } from "../../modules/aws/operation-runner.ts";
import { collect, diffSnapshots, mapSnapshot } from "../../modules/catalog/diff.ts";
import { differencesToOperations } from "../../modules/catalog/diff-to-operations.ts";
import type { SnapshotRecord } from "../../modules/catalog/model.ts";
import { identityRules, type MappingRules } from "../../modules/mapping/mapping.ts";
import { type ExecutionReport, execute } from "../../modules/operations/executor.ts";
import type { CatalogLocation, TargetOperation } from "../../modules/operations/operation.ts";
import type { EventName } from "../../modules/replication/change.ts";
import { type CloudTrailRecord, parseCloudTrailInput } from "../../modules/replication/cloudtrail-record.ts";
import { planRecord } from "../../modules/replication/planner.ts";
import { role } from "../catalog/source-catalog.ts";
import { lookupAll } from "../local-aws/cloudtrail-support.ts";
import { client, freshAccount, type TestLocation, testLocation } from "../support/local-aws.ts";

export { role };

type Json = Record<string, unknown>;

export const SOURCE_BUCKET = "lake-src";
export const TARGET_BUCKET = "lake-dr";

/** One source write: the SDK call a user makes, named by its CloudTrail event. */
export interface SourceWrite {
  event: EventName;
  input: Json;
}

// The SDK command of each replicated event, as a user's code would call it (not lakesync's runner:
// the source writes stand for a user's, and stay put while the runner's tables change).
const commands: Record<EventName, new (input: never) => object> = {
  CreateDatabase: glueSdk.CreateDatabaseCommand,
  UpdateDatabase: glueSdk.UpdateDatabaseCommand,
  DeleteDatabase: glueSdk.DeleteDatabaseCommand,
  CreateTable: glueSdk.CreateTableCommand,
  UpdateTable: glueSdk.UpdateTableCommand,
  DeleteTable: glueSdk.DeleteTableCommand,
  BatchDeleteTable: glueSdk.BatchDeleteTableCommand,
  CreatePartition: glueSdk.CreatePartitionCommand,
  BatchCreatePartition: glueSdk.BatchCreatePartitionCommand,
  UpdatePartition: glueSdk.UpdatePartitionCommand,
  BatchUpdatePartition: glueSdk.BatchUpdatePartitionCommand,
  DeletePartition: glueSdk.DeletePartitionCommand,
  BatchDeletePartition: glueSdk.BatchDeletePartitionCommand,
  GrantPermissions: lfSdk.GrantPermissionsCommand,
  RevokePermissions: lfSdk.RevokePermissionsCommand,
  BatchGrantPermissions: lfSdk.BatchGrantPermissionsCommand,
  BatchRevokePermissions: lfSdk.BatchRevokePermissionsCommand,
  CreateLFTag: lfSdk.CreateLFTagCommand,
  UpdateLFTag: lfSdk.UpdateLFTagCommand,
  DeleteLFTag: lfSdk.DeleteLFTagCommand,
  AddLFTagsToResource: lfSdk.AddLFTagsToResourceCommand,
  RemoveLFTagsFromResource: lfSdk.RemoveLFTagsFromResourceCommand,
  PutDataLakeSettings: lfSdk.PutDataLakeSettingsCommand,
  RegisterResource: lfSdk.RegisterResourceCommand,
  DeregisterResource: lfSdk.DeregisterResourceCommand,
  CreateDataCellsFilter: lfSdk.CreateDataCellsFilterCommand,
  UpdateDataCellsFilter: lfSdk.UpdateDataCellsFilterCommand,
  DeleteDataCellsFilter: lfSdk.DeleteDataCellsFilterCommand,
};

const glueEvent = (event: EventName) => Object.hasOwn(glueSdk, `${event}Command`);

export interface Lake {
  source: TestLocation;
  realtime: CatalogLocation;
  batch: CatalogLocation;
  /** The mapping of each target: the same rules, each with its own target location. */
  rules: (target: CatalogLocation) => MappingRules;
}

/** A source in us-east-1 and two targets in one other account: T_rt in us-west-2, T_batch in eu-west-1. */
export function newLake(): Lake {
  const source = testLocation("us-east-1");
  const targetAccount = freshAccount();
  return {
    source,
    realtime: { name: "realtime", account: targetAccount, region: "us-west-2" },
    batch: { name: "batch", account: targetAccount, region: "eu-west-1" },
    rules: (target) => ({
      ...identityRules(source.account, source.region),
      targetAccount: target.account,
      targetRegion: target.region,
      buckets: { [SOURCE_BUCKET]: TARGET_BUCKET },
      principals: { [role(source.account, "analyst")]: role(target.account, "analyst-dr") },
    }),
  };
}

const clients = new AwsClients(allClients, { maxAttempts: 3 });

/** Makes the write in the source; returns the request id CloudTrail records it under. */
export async function writeSource(lake: Lake, write: SourceWrite): Promise<string> {
  const service = glueEvent(write.event) ? "glue" : "lakeformation";
  const Command = commands[write.event];
  const sender = client(service, lake.source) as unknown as {
    send(command: object): Promise<{ $metadata: { requestId?: string } }>;
  };
  const output = await sender.send(new Command(structuredClone(write.input) as never));
  const requestId = output.$metadata.requestId;
  if (!requestId) throw new Error(`${write.event}: the response has no request id`);
  return requestId;
}

/** The source's write records since `since`, by request id (LookupEvents, ReadOnly=false). */
export async function recordedWrites(lake: Lake, since: Date): Promise<Map<string, CloudTrailRecord>> {
  const events = await lookupAll(lake.source, {
    LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "false" }],
    StartTime: new Date(since.getTime() - 1000),
    EndTime: new Date(Date.now() + 1000),
  });
  const records = new Map<string, CloudTrailRecord>();
  for (const event of events) {
    for (const record of parseCloudTrailInput(event.CloudTrailEvent ?? "")) {
      if (typeof record.requestID === "string") records.set(record.requestID, record);
    }
  }
  return records;
}

/**
 * The catalog's snapshot, as the batch path reads it. Unlike test/batch/catalog-support.ts's
 * snapshot (fresh clients per call), the clients are shared: a run reads ~100 snapshots, and each
 * fresh client would assume its role again.
 */
export async function snapshot(location: AwsLocation & { account: string }): Promise<SnapshotRecord[]> {
  return collect(readCatalogSnapshot(clients, location, { databases: "all" }));
}

async function run(operations: TargetOperation[]): Promise<ExecutionReport> {
  const report = await execute(operations, {
    run: createOperationRunner(clients),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    maxAttempts: 3,
    baseDelayMs: 20,
  });
  const failed = report.results.filter(
    (r) => r.outcome.status === "failed" || r.outcome.status === "skipped",
  );
  if (failed.length > 0) {
    throw new Error(
      `${failed.length} operation(s) did not apply: ${failed
        .map(
          (r) =>
            `${r.operation.operation} ${JSON.stringify(r.operation.input)}: ${JSON.stringify(r.outcome)}`,
        )
        .join("; ")}`,
    );
  }
  return report;
}

/** The realtime path: the record planned for T_rt, executed. */
export async function replicate(lake: Lake, record: CloudTrailRecord): Promise<TargetOperation[]> {
  const plan = planRecord(record, lake.realtime, lake.rules(lake.realtime));
  if (plan.outcome !== "apply") {
    throw new Error(`${record.eventName}: the planner answered ${plan.outcome} (${plan.reason ?? ""})`);
  }
  await run(plan.operations);
  return plan.operations;
}

/** The batch path: the mapped source snapshot vs T_batch's snapshot, differences executed (delete-sync on). */
export async function sync(
  lake: Lake,
  sourceSnapshot: readonly SnapshotRecord[],
  targetSnapshot: readonly SnapshotRecord[],
): Promise<TargetOperation[]> {
  const differences = await collect(
    diffSnapshots(mapSnapshot(sourceSnapshot, lake.rules(lake.batch)), targetSnapshot, { deleteSync: true }),
  );
  const operations = differencesToOperations(differences, lake.batch);
  await run(operations);
  return operations;
}

/** The source snapshot in T_batch's terms. */
export async function mapped(
  lake: Lake,
  sourceSnapshot: readonly SnapshotRecord[],
): Promise<SnapshotRecord[]> {
  return collect(mapSnapshot(sourceSnapshot, lake.rules(lake.batch)));
}

/** What one source write led to on both targets. */
export interface Step {
  index: number;
  write: SourceWrite;
  realtimePlan: TargetOperation[];
  batchPlan: TargetOperation[];
  realtime: SnapshotRecord[];
  batch: SnapshotRecord[];
  /** The source after the write, mapped into the targets' terms. */
  source: SnapshotRecord[];
}

/**
 * Makes the writes in the source (snapshotting it after each), reads their CloudTrail records back,
 * then replays them one by one on both paths (the two targets in parallel) and hands each step's
 * states to `check`. Both targets start empty, as the source does.
 */
export async function bothPaths(
  lake: Lake,
  writes: readonly SourceWrite[],
  check: (step: Step) => void,
): Promise<void> {
  const started = new Date();
  const afters: SnapshotRecord[][] = [];
  const requestIds: string[] = [];
  for (const write of writes) {
    requestIds.push(await writeSource(lake, write));
    afters.push(await snapshot(lake.source));
  }
  const records = await recordedWrites(lake, started);
  let batch = await snapshot(lake.batch);
  for (const [index, write] of writes.entries()) {
    const record = records.get(requestIds[index]!);
    if (!record) throw new Error(`${write.event}: no CloudTrail record for request ${requestIds[index]}`);
    const [realtimePlan, batchPlan] = await Promise.all([
      replicate(lake, record),
      sync(lake, afters[index]!, batch),
    ]);
    const [realtime, batchAfter, source] = await Promise.all([
      snapshot(lake.realtime),
      snapshot(lake.batch),
      mapped(lake, afters[index]!),
    ]);
    batch = batchAfter;
    check({ index, write, realtimePlan, batchPlan, realtime, batch, source });
  }
}
