// The batch use cases as the CLI runs them, callable without a command line: back up the source,
// and reconcile every target with the source or a backup (restore, diff, sync). The caller resolves
// the settings, supplies the catalog reads and the executor's dependencies, and renders the result.

import type { BackupManifest } from "../backup/manifest.ts";
import type { Difference } from "../catalog/diff.ts";
import { type RecordStream, recordScope } from "../catalog/model.ts";
import { SettingsError } from "../config/targets.ts";
import { type ExecuteDeps, type ExecutionReport, execute } from "../operations/executor.ts";
import { type CatalogLocation, rewritten, type TargetOperation } from "../operations/operation.ts";
import {
  applyRetention,
  latestBackupFolder,
  type RetentionResult,
  readBackupRecords,
  readManifest,
  type WrittenBackup,
  writeBackup,
} from "./backup.ts";
import type { BackupStorage, ProgressListener } from "./ports.ts";
import {
  checkDeleteGuard,
  planReconcile,
  type ReconcilePlan,
  reconcileInWindows,
  syncedKinds,
} from "./reconcile.ts";
import type { BatchSettings } from "./settings.ts";

/** Reads one catalog's snapshot (modules/aws/catalog-reader.ts readCatalogSnapshot). */
export type CatalogReads = (
  location: CatalogLocation,
  options: { databases: "all" | readonly string[]; concurrency: number },
) => RecordStream;

export interface BatchRunDeps {
  readCatalog: CatalogReads;
  /** The executor's dependencies (the runner, clocks, attempts) for one target's apply. */
  executeDeps: (options: Pick<ExecuteDeps, "concurrency" | "onProgress">) => ExecuteDeps;
  onProgress?: ProgressListener;
}

// ---------------------------------------------------------------------------------------------
// backup

export interface BackupRun {
  written: WrittenBackup;
  retention: RetentionResult;
}

/** Writes a backup of the source to `storage`, then deletes all but the newest backup.keep. */
export async function backupSource(
  deps: Pick<BatchRunDeps, "readCatalog" | "onProgress"> & { storage: BackupStorage; now: () => Date },
  settings: BatchSettings,
): Promise<BackupRun> {
  const { source } = settings;
  await checkNamedDatabases(
    settings.databases,
    [deps.readCatalog(source, { databases: settings.databases, concurrency: 1 })],
    "the source",
  );
  const records = deps.readCatalog(source, {
    databases: settings.databases,
    concurrency: settings.concurrency,
  });
  const written = await writeBackup(
    { storage: deps.storage, now: deps.now, ...(deps.onProgress ? { onProgress: deps.onProgress } : {}) },
    { source, prefix: settings.backup.prefix, databases: settings.databases, records },
  );
  const retention = await applyRetention(deps.storage, settings.backup.prefix, source, settings.backup.keep);
  return { written, retention };
}

// ---------------------------------------------------------------------------------------------
// restore, diff, sync

export type ReconcileMode = "restore" | "diff" | "sync";

/** A complete backup to reconcile from instead of the live source. */
export interface BackupSource {
  storage: BackupStorage;
  folder: string;
  manifest: BackupManifest;
}

export async function openBackup(storage: BackupStorage, folder: string): Promise<BackupSource> {
  return { storage, folder, manifest: await readManifest(storage, folder) };
}

/** The newest complete backup of the settings' source under backup.prefix. */
export async function openLatestBackup(
  storage: BackupStorage,
  settings: BatchSettings,
): Promise<BackupSource> {
  return openBackup(storage, await latestBackupFolder(storage, settings.backup.prefix, settings.source));
}

export interface ReconcileRun {
  /** One per target; an applied plan keeps only its kept differences and operation outlines. */
  plans: ReconcilePlan[];
  /** One per target; undefined when nothing was executed (diff, dry run). */
  reports: (ExecutionReport | undefined)[];
  /** One per target: every difference found (an applied plan lists only the kept ones). */
  differenceCounts: number[];
  /** Failed operations over every target. */
  failed: number;
}

/**
 * Each target against the source (live, or `from` a backup). `diff` and dry runs plan each
 * target whole; restore and sync stream the differences into the executor in windows, so a large
 * catalog never holds its plan, and keep only outlines of the operations for the report.
 */
export async function reconcileTargets(
  mode: ReconcileMode,
  deps: BatchRunDeps & { onTargetDone?: () => void },
  settings: BatchSettings,
  options: { from?: BackupSource; dryRun?: boolean },
): Promise<ReconcileRun> {
  const { from } = options;
  const kinds = syncedKinds(settings);
  const reads = { databases: settings.databases, concurrency: settings.concurrency };
  const progress = deps.onProgress ?? (() => {});
  const run: ReconcileRun = { plans: [], reports: [], differenceCounts: [], failed: 0 };
  await checkNamedDatabases(
    settings.databases,
    [
      from
        ? readBackupRecords(from.storage, from.folder, from.manifest)
        : deps.readCatalog(settings.source, { ...reads, concurrency: 1 }),
      ...settings.targets.map((target) => deps.readCatalog(target.location, { ...reads, concurrency: 1 })),
    ],
    from ? "the backup or any target" : "the source or any target",
  );
  for (const target of settings.targets) {
    const source: RecordStream = from
      ? onlyDatabases(readBackupRecords(from.storage, from.folder, from.manifest), settings.databases)
      : deps.readCatalog(settings.source, reads);
    const input = {
      source: countRecords(source, from ? "backup" : "source", progress),
      target: countRecords(deps.readCatalog(target.location, reads), "target", progress),
      rules: target.rules,
      location: target.location,
      deleteSync: settings.deleteSync,
      deleteGuard: settings.deleteGuard,
      ...(kinds ? { kinds } : {}),
    };
    if (mode === "diff" || options.dryRun) {
      // Showing a plan needs it whole.
      const plan = await planReconcile(input);
      run.plans.push(plan);
      run.reports.push(undefined);
      run.differenceCounts.push(plan.differences.length);
    } else {
      // Refused deletes must leave the target untouched: decide before the first write.
      await checkDeleteGuard({
        ...input,
        source: from
          ? onlyDatabases(readBackupRecords(from.storage, from.folder, from.manifest), settings.databases)
          : deps.readCatalog(settings.source, reads),
        target: deps.readCatalog(target.location, reads),
      });
      const outlines: TargetOperation[] = [];
      const keptDifferences: Difference[] = [];
      let done = 0;
      const applied = await reconcileInWindows(input, {
        execute: (operations) =>
          execute(
            operations,
            deps.executeDeps({
              concurrency: settings.concurrency,
              onProgress: () =>
                progress({
                  phase: "apply",
                  target: target.location.name,
                  done: ++done,
                  total: outlines.length,
                }),
            }),
          ),
        onWindow: (operations) => {
          for (const operation of operations) outlines.push(rewritten(operation, { input: {} }));
        },
        onDifference: (difference) => {
          if (difference.kept) keptDifferences.push(difference);
        },
      });
      run.plans.push({
        location: target.location,
        differences: keptDifferences,
        operations: outlines,
        kept: applied.kept,
        deletes: applied.deletes,
      });
      run.reports.push({ results: applied.problems, summary: applied.summary });
      run.differenceCounts.push(applied.differences);
      run.failed += applied.summary.failed;
    }
    deps.onTargetDone?.();
  }
  return run;
}

/**
 * A misspelt --databases name would make diff report 0 differences and backup or restore succeed
 * on nothing: every named database must exist on some side. Each stream is read only until its
 * databases are seen (they come right after the catalog-wide records), not in full.
 */
async function checkNamedDatabases(
  databases: "all" | readonly string[],
  sides: RecordStream[],
  where: string,
): Promise<void> {
  if (databases === "all") return;
  const missing = new Set(databases);
  for (const side of sides) {
    if (missing.size === 0) break;
    for await (const record of side) {
      if (record.kind === "database") missing.delete(String(record.value.Name));
      else if (recordScope(record) !== undefined) break; // past the databases
      if (missing.size === 0) break;
    }
  }
  if (missing.size > 0) {
    const names = [...missing].map((name) => JSON.stringify(name)).join(", ");
    throw new SettingsError(`--databases: no database ${names} in ${where}`);
  }
}

async function* countRecords(
  stream: RecordStream,
  side: "source" | "target" | "backup",
  onProgress: ProgressListener,
) {
  let records = 0;
  for await (const record of stream) {
    records += 1;
    if (records % 200 === 0) onProgress({ phase: "read", side, records });
    yield record;
  }
}

/** A backup holds every database it was made with; --databases narrows it as it narrows the live reads. */
async function* onlyDatabases(records: RecordStream, databases: "all" | readonly string[]) {
  const wanted = databases === "all" ? undefined : new Set(databases);
  for await (const record of records) {
    const scope = recordScope(record);
    if (!wanted || scope === undefined || wanted.has(scope.database)) yield record;
  }
}
