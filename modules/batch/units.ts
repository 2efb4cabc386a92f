// A backup (+ sync) at scale: the start handler splits one run into work units: the
// catalog-wide records, one unit per database, and one unit per large table (its partitions;
// the database unit then skips them). Each worker invocation turns one unit into its part files
// (optionally synced to the targets) plus a unit result object. Units are idempotent (a unit
// whose result exists is skipped) and resumable (a failed unit is retried by the queue alone).
// Units queue what depends on them: the catalog-wide unit queues the database units, a
// database unit its table units, so tags and tables exist in the targets first. The manifest is
// written by whichever unit completes the set, so a run is complete exactly when it exists.

import { partName } from "../backup/jsonl.ts";
import { type BackupSource, backupFolder, backupId } from "../backup/layout.ts";
import { type BackupPart, buildManifest, MANIFEST_NAME, partSchema } from "../backup/manifest.ts";
import { type RecordStream, recordScope, type SnapshotKind, type SnapshotRecord } from "../catalog/model.ts";
import * as z from "../config/zod-mini.ts";
import type { ExecutionReport } from "../operations/executor.ts";
import type { CatalogLocation, TargetOperation } from "../operations/operation.ts";
import { applyRetention, type RetentionResult, readParts, writeManifest, writeParts } from "./backup.ts";
import { type DeleteGuard, MassDeleteError } from "./delete-guard.ts";
import type { BackupStorage } from "./ports.ts";
import { checkDeleteGuard, reconcileInWindows, type WindowedApplyResult } from "./reconcile.ts";
import type { BatchTarget } from "./settings.ts";

export const RUN_PLAN_NAME = "run.json";
const unitsFolder = "units/";

export const workUnitSchema = z.strictObject({
  runId: z.string().check(z.minLength(1)),
  source: z.strictObject({
    account: z.string().check(z.regex(/^\d{12}$/)),
    region: z.string().check(z.minLength(1)),
  }),
  bucket: z.string().check(z.minLength(3)),
  prefix: z.string(),
  keepBackups: z.int().check(z.minimum(1)),
  /** 0 is the catalog-wide unit; then the databases in name order; then the large tables. */
  index: z.int().check(z.nonnegative()),
  unitCount: z.int().check(z.positive()),
  database: z.optional(z.string()),
  /** A table unit: this table's partitions, nothing else. */
  table: z.optional(z.string()),
  /** A database unit: tables whose partitions are table units of their own. */
  partitionsElsewhere: z.optional(z.array(z.string())),
});
export type WorkUnit = z.infer<typeof workUnitSchema>;

export const runPlanSchema = z.strictObject({
  runId: z.string(),
  startedAt: z.iso.datetime(),
  databases: z.union([z.literal("all"), z.array(z.string())]),
  units: z.array(
    z.strictObject({
      index: z.int(),
      database: z.optional(z.string()),
      table: z.optional(z.string()),
      partitionsElsewhere: z.optional(z.array(z.string())),
    }),
  ),
});
export type RunPlan = z.infer<typeof runPlanSchema>;

export interface PlannedRun {
  folder: string;
  plan: RunPlan;
  units: WorkUnit[];
}

export interface TableRef {
  database: string;
  table: string;
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
  /** Tables over the large-table threshold: each becomes a unit of its own. */
  largeTables?: readonly TableRef[];
}): PlannedRun {
  const runId = backupId(input.now);
  const wanted = input.databases === "all" ? undefined : new Set(input.databases);
  const names = [...new Set(input.databaseNames)].filter((n) => !wanted || wanted.has(n)).sort();
  const large = (input.largeTables ?? [])
    .filter((t) => names.includes(t.database))
    .sort((a, b) => (a.database === b.database ? cmp(a.table, b.table) : cmp(a.database, b.database)));
  const unitCount = names.length + large.length + 1;
  const base = {
    runId,
    source: { account: input.source.account, region: input.source.region },
    bucket: input.bucket,
    prefix: input.prefix,
    keepBackups: input.keepBackups,
    unitCount,
  };
  const elsewhere = (database: string) => large.filter((t) => t.database === database).map((t) => t.table);
  const units: WorkUnit[] = [
    { ...base, index: 0 },
    ...names.map((database, i) => {
      const tables = elsewhere(database);
      return {
        ...base,
        index: i + 1,
        database,
        ...(tables.length > 0 ? { partitionsElsewhere: tables } : {}),
      };
    }),
    ...large.map((t, i) => ({ ...base, index: names.length + 1 + i, database: t.database, table: t.table })),
  ];
  return {
    folder: backupFolder(input.prefix, input.source, runId),
    plan: {
      runId,
      startedAt: input.now.toISOString(),
      databases: input.databases,
      units: units.map(({ index, database, table, partitionsElsewhere }) => ({
        index,
        ...(database !== undefined ? { database } : {}),
        ...(table !== undefined ? { table } : {}),
        ...(partitionsElsewhere ? { partitionsElsewhere } : {}),
      })),
    },
    units,
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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

/** What a unit reads: the catalog-wide records, a database's objects, or one table's partitions. */
export type UnitScope =
  | { kind: "catalog" }
  | {
      kind: "database";
      database: string;
      /** Tables whose partitions are read by their own table units. */
      partitionsElsewhere: readonly string[];
      /** Whether the catalog defines LF tags (from the catalog-wide unit); unknown: read assignments. */
      lfTagsDefined?: boolean;
    }
  | { kind: "table"; database: string; table: string };

export function unitScope(unit: WorkUnit): UnitScope {
  if (unit.database === undefined) return { kind: "catalog" };
  if (unit.table !== undefined) return { kind: "table", database: unit.database, table: unit.table };
  return { kind: "database", database: unit.database, partitionsElsewhere: unit.partitionsElsewhere ?? [] };
}

/** Keeps the records that belong to the unit (a reader may return more than its scope). */
export function belongsToUnit(record: SnapshotRecord, unit: WorkUnit): boolean {
  const scope = recordScope(record);
  if (unit.database === undefined) return scope === undefined;
  if (scope?.database !== unit.database) return false;
  if (unit.table !== undefined) return record.kind === "partition" && scope.table === unit.table;
  return !(record.kind === "partition" && unit.partitionsElsewhere?.includes(scope.table ?? ""));
}

export interface UnitSync {
  targets: readonly BatchTarget[];
  deleteSync: boolean;
  /** The delete-sync guard, weighed per work unit (each unit's source against its target scope). */
  deleteGuard?: DeleteGuard;
  kinds?: readonly SnapshotKind[];
  /** The target's records in the unit's scope (in target terms: the names are the source's). */
  readTarget: (location: CatalogLocation, scope: UnitScope) => RecordStream;
  execute: (operations: TargetOperation[]) => Promise<ExecutionReport>;
  /** Operations handed to `execute` at once (default 500). */
  window?: number;
  /** Each window before it runs (tests assert the bound). */
  onWindow?: (operations: readonly TargetOperation[]) => void;
}

export interface UnitDeps {
  storage: BackupStorage;
  now: () => Date;
  /** The source's records in the unit's scope. */
  readSnapshot: (scope: UnitScope) => RecordStream;
  /** Queues the units that depend on this one (see runUnit). */
  enqueue?: (units: WorkUnit[]) => Promise<void>;
  /** When set, each unit also syncs its records to the targets (scheduled backup + sync). */
  sync?: UnitSync;
  /** Records per part file (default defaultPartRecords): a unit's parts are written one at a time. */
  partRecords?: number;
}

export interface TargetSyncResult {
  target: string;
  differences: number;
  /** Target-only objects or parts left in place (delete-sync off). */
  kept: number;
  operations: number;
  summary?: WindowedApplyResult["summary"];
  /** Why the delete-sync guard refused this target's changes for the unit (nothing was written to it). */
  refused?: string;
}

const unitResultSchema = z.object({
  parts: z.array(partSchema),
  sync: z._default(z.array(z.unknown()), []),
});

export type UnitOutcome =
  | {
      status: "done";
      parts: BackupPart[];
      records: number;
      sync: TargetSyncResult[];
      queued: number;
      finalized?: Finalized;
    }
  | { status: "already-done"; finalized?: Finalized };

export interface Finalized {
  manifest: string;
  retention: RetentionResult;
}

const unitName = (unit: WorkUnit) =>
  unit.database === undefined
    ? "the catalog-wide records"
    : unit.table === undefined
      ? `database ${unit.database}`
      : `table ${unit.database}.${unit.table}`;

export class UnitSyncError extends Error {
  override readonly name = "UnitSyncError";
  constructor(
    readonly unit: WorkUnit,
    readonly failures: { target: string; description: string; reason: string }[],
  ) {
    super(
      `${failures.length} operation(s) failed syncing ${unitName(unit)}: ${failures
        .slice(0, 5)
        .map((f) => `${f.target}: ${f.description}: ${f.reason}`)
        .join("; ")}`,
    );
  }
}

const folderOf = (unit: WorkUnit) => backupFolder(unit.prefix, unit.source, unit.runId);
const unitResultKey = (unit: WorkUnit, index: number) =>
  `${folderOf(unit)}${unitsFolder}${String(index).padStart(5, "0")}.json`;

/** Part n of unit i: part-0000i.jsonl.gz, then part-0000i-0000n.jsonl.gz for n > 1. */
const unitPartName = (index: number) => (n: number) =>
  n === 1 ? partName(index) : partName(index).replace(".jsonl.gz", `-${String(n).padStart(5, "0")}.jsonl.gz`);

async function* onlyUnit(stream: RecordStream, unit: WorkUnit): AsyncGenerator<SnapshotRecord> {
  for await (const record of stream) if (belongsToUnit(record, unit)) yield record;
}

/** Each target diffed against the unit's parts (read back, so nothing is held) and applied in windows. */
async function syncUnit(
  sync: UnitSync,
  unit: WorkUnit,
  scope: UnitScope,
  source: () => RecordStream,
): Promise<TargetSyncResult[]> {
  const results: TargetSyncResult[] = [];
  const failures: { target: string; description: string; reason: string }[] = [];
  for (const target of sync.targets) {
    // Targets are always read in full scope: a target may define LF tags the source does not.
    const targetScope: UnitScope = scope.kind === "database" ? { ...scope, lfTagsDefined: true } : scope;
    const input = {
      rules: target.rules,
      location: target.location,
      deleteSync: sync.deleteSync,
      ...(sync.deleteGuard
        ? { deleteGuard: { ...sync.deleteGuard, emptySourceCheck: scope.kind !== "catalog" } }
        : {}),
      ...(sync.kinds ? { kinds: sync.kinds } : {}),
    };
    const readTarget = () => onlyUnit(sync.readTarget(target.location, targetScope), unit);
    // Refused deletes leave the unit's target untouched: decided before its first write. A refusal
    // is the unit's outcome for that target, not a failure to retry: the same source and target are
    // refused again (there is no --allow-mass-delete here, only batch.maxDeleteShare), and the
    // unit's backup parts are good. It is kept in the unit's result and reported by the worker.
    try {
      await checkDeleteGuard({ ...input, source: source(), target: readTarget() });
    } catch (error) {
      if (!(error instanceof MassDeleteError)) throw error;
      results.push({
        target: target.location.name,
        differences: 0,
        kept: 0,
        operations: 0,
        refused: error.message,
      });
      continue;
    }
    const applied = await reconcileInWindows(
      { ...input, source: source(), target: readTarget() },
      {
        execute: sync.execute,
        ...(sync.window ? { window: sync.window } : {}),
        ...(sync.onWindow ? { onWindow: sync.onWindow } : {}),
      },
    );
    for (const r of applied.problems) {
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
      differences: applied.differences,
      kept: applied.kept,
      operations: applied.operations,
      ...(applied.operations > 0 ? { summary: applied.summary } : {}),
    });
  }
  if (failures.length > 0) throw new UnitSyncError(unit, failures);
  return results;
}

async function readRunPlan(storage: BackupStorage, unit: WorkUnit): Promise<RunPlan> {
  const body = await storage.get(`${folderOf(unit)}${RUN_PLAN_NAME}`);
  if (!body)
    throw new Error(`run ${unit.runId}: no ${RUN_PLAN_NAME} in s3://${storage.bucket}/${folderOf(unit)}`);
  return runPlanSchema.parse(JSON.parse(Buffer.from(body).toString("utf8")));
}

/** The units that wait for this one: the database units after the catalog-wide unit, a database's table units after it. */
async function dependentUnits(storage: BackupStorage, unit: WorkUnit): Promise<WorkUnit[]> {
  if (unit.table !== undefined) return [];
  if (unit.database !== undefined && !unit.partitionsElsewhere?.length) return [];
  const plan = await readRunPlan(storage, unit);
  return plan.units
    .filter((u) =>
      unit.database === undefined
        ? u.index !== 0 && u.table === undefined
        : u.database === unit.database && u.table !== undefined,
    )
    .map(({ index, database, table, partitionsElsewhere }) => {
      const { database: _d, table: _t, partitionsElsewhere: _p, ...base } = unit;
      return {
        ...base,
        index,
        ...(database !== undefined ? { database } : {}),
        ...(table !== undefined ? { table } : {}),
        ...(partitionsElsewhere ? { partitionsElsewhere } : {}),
      };
    });
}

/** Whether the catalog-wide unit found LF tag definitions (undefined when its result is not readable). */
async function lfTagsDefined(storage: BackupStorage, unit: WorkUnit): Promise<boolean | undefined> {
  const body = await storage.get(unitResultKey(unit, 0));
  if (!body) return undefined;
  const result = unitResultSchema.safeParse(JSON.parse(Buffer.from(body).toString("utf8")));
  return result.success ? result.data.parts.some((p) => (p.counts.lfTag ?? 0) > 0) : undefined;
}

/**
 * One unit: its records -> its parts (-> synced to the targets) -> its result object. The
 * catalog-wide unit runs alone first and then queues the database units; a database unit queues
 * its table units: LF tags, settings and locations exist in the targets before anything is
 * assigned or granted on them, tables before their partitions. The result is written last: a
 * unit that crashed part-way is redone whole by the queue's retry, which is safe because writing
 * a part is idempotent, a sync writes only what still differs, and a unit queued twice is
 * skipped once done.
 */
export async function runUnit(deps: UnitDeps, unit: WorkUnit): Promise<UnitOutcome> {
  const resultKey = unitResultKey(unit, unit.index);
  if (await deps.storage.get(resultKey)) {
    const finalized = await finalizeRun(deps, unit);
    return { status: "already-done", ...(finalized ? { finalized } : {}) };
  }
  let scope = unitScope(unit);
  if (scope.kind === "database") {
    const defined = await lfTagsDefined(deps.storage, unit);
    if (defined !== undefined) scope = { ...scope, lfTagsDefined: defined };
  }
  const folder = folderOf(unit);
  const parts = await writeParts(deps.storage, folder, onlyUnit(deps.readSnapshot(scope), unit), {
    name: unitPartName(unit.index),
    ...(deps.partRecords ? { partRecords: deps.partRecords } : {}),
  });
  const sync = deps.sync
    ? await syncUnit(deps.sync, unit, scope, () => readParts(deps.storage, folder, parts))
    : [];
  let queued = 0;
  if (unit.unitCount > 1) {
    const next = await dependentUnits(deps.storage, unit);
    if (next.length > 0) {
      if (!deps.enqueue)
        throw new Error(`${unitName(unit)}: a queue is needed to start the units that follow it`);
      await deps.enqueue(next);
      queued = next.length;
    }
  }
  await deps.storage.put(resultKey, Buffer.from(JSON.stringify({ parts, sync })), "application/json");
  const finalized = await finalizeRun(deps, unit);
  const records = parts.reduce((sum, p) => sum + p.records, 0);
  return { status: "done", parts, records, sync, queued, ...(finalized ? { finalized } : {}) };
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
    parts.push(...unitResultSchema.parse(JSON.parse(Buffer.from(body).toString("utf8"))).parts);
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
