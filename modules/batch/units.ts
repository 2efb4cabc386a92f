// A backup (+ sync) at scale: the start handler splits one run into work units (the catalog-wide
// records, then one unit per database); each worker invocation turns one unit into one part
// file (optionally synced to the targets) plus a unit result object. Units are idempotent (a
// unit whose result exists is skipped) and resumable (a failed unit is retried by the queue
// alone). The manifest is written by whichever unit completes the set, so a run is complete
// exactly when its manifest exists.
import { z } from "zod";
import { partName } from "../backup/jsonl.ts";
import { type BackupSource, backupFolder, backupId } from "../backup/layout.ts";
import { type BackupPart, buildManifest, MANIFEST_NAME, partSchema } from "../backup/manifest.ts";
import { type RecordStream, recordScope, type SnapshotKind, type SnapshotRecord } from "../catalog/model.ts";
import type { ExecutionReport } from "../operations/executor.ts";
import type { CatalogLocation, TargetOperation } from "../operations/operation.ts";
import { applyRetention, type RetentionResult, writeManifest, writePart } from "./backup.ts";
import type { BackupStorage } from "./ports.ts";
import { planReconcile } from "./reconcile.ts";
import type { BatchTarget } from "./settings.ts";

export const RUN_PLAN_NAME = "run.json";
const unitsFolder = "units/";

export const workUnitSchema = z.strictObject({
  runId: z.string().min(1),
  source: z.strictObject({ account: z.string().regex(/^\d{12}$/), region: z.string().min(1) }),
  bucket: z.string().min(3),
  prefix: z.string(),
  keepBackups: z.number().int().min(1),
  /** 0 is the catalog-wide unit; 1..n are databases in name order. */
  index: z.number().int().nonnegative(),
  unitCount: z.number().int().positive(),
  database: z.string().optional(),
});
export type WorkUnit = z.infer<typeof workUnitSchema>;

export const runPlanSchema = z.strictObject({
  runId: z.string(),
  startedAt: z.iso.datetime(),
  databases: z.union([z.literal("all"), z.array(z.string())]),
  units: z.array(z.strictObject({ index: z.number().int(), database: z.string().optional() })),
});
export type RunPlan = z.infer<typeof runPlanSchema>;

export interface PlannedRun {
  folder: string;
  plan: RunPlan;
  units: WorkUnit[];
}

/** The units of a run over these source databases (names as the catalog lists them). */
export function planRun(input: {
  now: Date;
  source: BackupSource;
  bucket: string;
  prefix: string;
  keepBackups: number;
  databases: "all" | string[];
  databaseNames: readonly string[];
}): PlannedRun {
  const runId = backupId(input.now);
  const wanted = input.databases === "all" ? undefined : new Set(input.databases);
  const names = [...new Set(input.databaseNames)].filter((n) => !wanted || wanted.has(n)).sort();
  const unitCount = names.length + 1;
  const base = {
    runId,
    source: { account: input.source.account, region: input.source.region },
    bucket: input.bucket,
    prefix: input.prefix,
    keepBackups: input.keepBackups,
    unitCount,
  };
  const units: WorkUnit[] = [
    { ...base, index: 0 },
    ...names.map((database, i) => ({ ...base, index: i + 1, database })),
  ];
  return {
    folder: backupFolder(input.prefix, input.source, runId),
    plan: {
      runId,
      startedAt: input.now.toISOString(),
      databases: input.databases,
      units: units.map((u) => ({ index: u.index, ...(u.database ? { database: u.database } : {}) })),
    },
    units,
  };
}

export async function writeRunPlan(storage: BackupStorage, run: PlannedRun): Promise<void> {
  await storage.put(
    `${run.folder}${RUN_PLAN_NAME}`,
    Buffer.from(JSON.stringify(run.plan)),
    "application/json",
  );
}

export function parseWorkUnit(body: string): WorkUnit {
  return workUnitSchema.parse(JSON.parse(body));
}

/** Which databases a unit reads: none for the catalog-wide unit. */
export const unitDatabases = (unit: WorkUnit): string[] =>
  unit.database === undefined ? [] : [unit.database];

/** Keeps the records that belong to the unit: catalog-wide ones for unit 0, the database's otherwise. */
export function belongsToUnit(record: SnapshotRecord, unit: WorkUnit): boolean {
  const scope = recordScope(record);
  return unit.database === undefined ? scope === undefined : scope?.database === unit.database;
}

export interface UnitSync {
  targets: readonly BatchTarget[];
  deleteSync: boolean;
  kinds?: readonly SnapshotKind[];
  /** The target's snapshot restricted to these databases (catalog-wide records always included). */
  readTarget: (location: CatalogLocation, databases: string[]) => RecordStream;
  execute: (operations: TargetOperation[]) => Promise<ExecutionReport>;
}

export interface UnitDeps {
  storage: BackupStorage;
  now: () => Date;
  /** The source snapshot restricted to these databases (catalog-wide records always included). */
  readSnapshot: (databases: string[]) => RecordStream;
  /** Queues the database units; called by the catalog-wide unit once it is done (see runUnit). */
  enqueue?: (units: WorkUnit[]) => Promise<void>;
  /** When set, each unit also syncs its records to the targets (scheduled backup + sync). */
  sync?: UnitSync;
}

export interface TargetSyncResult {
  target: string;
  differences: number;
  /** Target-only objects or parts left in place (delete-sync off). */
  kept: number;
  operations: number;
  summary?: ExecutionReport["summary"];
}

const unitResultSchema = z.object({ part: partSchema, sync: z.array(z.unknown()).default([]) });

export type UnitOutcome =
  | { status: "done"; part: BackupPart; sync: TargetSyncResult[]; queued: number; finalized?: Finalized }
  | { status: "already-done"; finalized?: Finalized };

export interface Finalized {
  manifest: string;
  retention: RetentionResult;
}

export class UnitSyncError extends Error {
  override readonly name = "UnitSyncError";
  constructor(
    readonly unit: WorkUnit,
    readonly failures: { target: string; description: string; reason: string }[],
  ) {
    super(
      `${failures.length} operation(s) failed syncing ${unit.database ?? "the catalog-wide records"}: ${failures
        .slice(0, 5)
        .map((f) => `${f.target}: ${f.description}: ${f.reason}`)
        .join("; ")}`,
    );
  }
}

const folderOf = (unit: WorkUnit) => backupFolder(unit.prefix, unit.source, unit.runId);
const unitResultKey = (unit: WorkUnit, index: number) =>
  `${folderOf(unit)}${unitsFolder}${String(index).padStart(5, "0")}.json`;

async function collectUnit(stream: RecordStream, unit: WorkUnit): Promise<SnapshotRecord[]> {
  const records: SnapshotRecord[] = [];
  for await (const record of stream) if (belongsToUnit(record, unit)) records.push(record);
  return records;
}

async function syncUnit(
  sync: UnitSync,
  unit: WorkUnit,
  records: SnapshotRecord[],
): Promise<TargetSyncResult[]> {
  const results: TargetSyncResult[] = [];
  const failures: { target: string; description: string; reason: string }[] = [];
  for (const target of sync.targets) {
    const plan = await planReconcile({
      source: records,
      target: await collectUnit(sync.readTarget(target.location, unitDatabases(unit)), unit),
      rules: target.rules,
      location: target.location,
      deleteSync: sync.deleteSync,
      ...(sync.kinds ? { kinds: sync.kinds } : {}),
    });
    const report = plan.operations.length > 0 ? await sync.execute(plan.operations) : undefined;
    for (const r of report?.results ?? []) {
      if (r.outcome.status === "failed") {
        failures.push({
          target: target.location.name,
          description: r.operation.description,
          reason: r.outcome.reason,
        });
      }
    }
    results.push({
      target: target.location.name,
      differences: plan.differences.length,
      kept: plan.kept,
      operations: plan.operations.length,
      ...(report ? { summary: report.summary } : {}),
    });
  }
  if (failures.length > 0) throw new UnitSyncError(unit, failures);
  return results;
}

/** The database units of a run, from its plan (written by batch-start next to the parts). */
async function databaseUnits(storage: BackupStorage, unit: WorkUnit): Promise<WorkUnit[]> {
  const body = await storage.get(`${folderOf(unit)}${RUN_PLAN_NAME}`);
  if (!body)
    throw new Error(`run ${unit.runId}: no ${RUN_PLAN_NAME} in s3://${storage.bucket}/${folderOf(unit)}`);
  const plan = runPlanSchema.parse(JSON.parse(Buffer.from(body).toString("utf8")));
  return plan.units
    .filter((u) => u.index !== 0)
    .map((u) => ({ ...unit, index: u.index, ...(u.database !== undefined ? { database: u.database } : {}) }));
}

/**
 * One unit: its records -> a part (-> synced to the targets) -> its result object. The
 * catalog-wide unit runs alone first and then queues the database units, so LF tags, settings
 * and locations exist in the targets before anything is assigned or granted on them. The result
 * is written last: a unit that crashed part-way is redone whole by the queue's retry, which is
 * safe because writing a part is idempotent and a sync writes only what still differs.
 */
export async function runUnit(deps: UnitDeps, unit: WorkUnit): Promise<UnitOutcome> {
  const resultKey = unitResultKey(unit, unit.index);
  if (await deps.storage.get(resultKey)) {
    const finalized = await finalizeRun(deps, unit);
    return { status: "already-done", ...(finalized ? { finalized } : {}) };
  }
  const records = await collectUnit(deps.readSnapshot(unitDatabases(unit)), unit);
  const part = await writePart(deps.storage, folderOf(unit), partName(unit.index), records);
  const sync = deps.sync ? await syncUnit(deps.sync, unit, records) : [];
  let queued = 0;
  if (unit.index === 0 && unit.unitCount > 1) {
    if (!deps.enqueue) throw new Error("the catalog-wide unit needs a queue to start the database units");
    const next = await databaseUnits(deps.storage, unit);
    await deps.enqueue(next);
    queued = next.length;
  }
  await deps.storage.put(resultKey, Buffer.from(JSON.stringify({ part, sync })), "application/json");
  const finalized = await finalizeRun(deps, unit);
  return { status: "done", part, sync, queued, ...(finalized ? { finalized } : {}) };
}

/**
 * Writes the manifest when every unit's result is present and no manifest exists yet, then
 * applies retention. Two units finishing together may both write it; the content is the same.
 */
export async function finalizeRun(deps: UnitDeps, unit: WorkUnit): Promise<Finalized | undefined> {
  const folder = folderOf(unit);
  if (await deps.storage.get(`${folder}${MANIFEST_NAME}`)) return undefined;
  const resultKeys: string[] = [];
  for await (const key of deps.storage.list(`${folder}${unitsFolder}`)) resultKeys.push(key);
  if (resultKeys.length < unit.unitCount) return undefined;
  const planBody = await deps.storage.get(`${folder}${RUN_PLAN_NAME}`);
  const plan = planBody ? runPlanSchema.parse(JSON.parse(Buffer.from(planBody).toString("utf8"))) : undefined;
  const parts: BackupPart[] = [];
  for (let index = 0; index < unit.unitCount; index++) {
    const body = await deps.storage.get(unitResultKey(unit, index));
    if (!body) return undefined;
    parts.push(unitResultSchema.parse(JSON.parse(Buffer.from(body).toString("utf8"))).part);
  }
  const manifest = buildManifest({
    id: unit.runId,
    source: unit.source,
    startedAt: plan?.startedAt ?? deps.now().toISOString(),
    completedAt: deps.now().toISOString(),
    databases: plan?.databases ?? "all",
    parts,
  });
  await writeManifest(deps.storage, folder, manifest);
  const retention = await applyRetention(deps.storage, unit.prefix, unit.source, unit.keepBackups);
  return { manifest: `${folder}${MANIFEST_NAME}`, retention };
}
