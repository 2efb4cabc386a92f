// `lakesync backup | restore | diff | sync`: batch snapshots of the source (live or from an S3
// backup) reconciled with each target through the one diff -> operations -> executor path.
// All four run without a config file when given the override flags.
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { S3BackupStorage } from "../../aws/backup-store.ts";
import { readCatalogSnapshot } from "../../aws/catalog-reader.ts";
import { AwsClients } from "../../aws/clients.ts";
import { createOperationRunner } from "../../aws/operation-runner.ts";
import { backupFolderOfUrl, s3Url } from "../../backup/layout.ts";
import type { BackupManifest } from "../../backup/manifest.ts";
import { BackupFormatError } from "../../backup/manifest.ts";
import {
  applyRetention,
  latestBackupFolder,
  readBackupRecords,
  readManifest,
  writeBackup,
} from "../../batch/backup.ts";
import type { ProgressListener } from "../../batch/ports.ts";
import {
  describeDifference,
  planReconcile,
  type ReconcilePlan,
  reconcileInWindows,
  syncedKinds,
} from "../../batch/reconcile.ts";
import {
  type BatchFlags,
  type BatchSettings,
  resolveBatchSettings,
  SettingsError,
} from "../../batch/settings.ts";
import type { Difference } from "../../catalog/diff.ts";
import { type RecordStream, recordScope } from "../../catalog/model.ts";
import { ConfigError, loadConfig } from "../../config/load.ts";
import type { LakesyncConfig } from "../../config/schema.ts";
import { type ExecutionReport, execute } from "../../operations/executor.ts";
import { rewritten, type TargetOperation } from "../../operations/operation.ts";
import { planSummary } from "../../operations/plan-summary.ts";
import { CliError, ExitCode } from "../exit-codes.ts";
import { createProgressDisplay } from "../progress.ts";

export const defaultConfigFile = "lakesync.config.json";

interface CommonOptions extends BatchFlags {
  config?: string;
  json?: boolean;
}

interface ReconcileOptions extends CommonOptions {
  from?: string;
  dryRun?: boolean;
}

const collectRepeatable = (value: string, previous: string[] = []) => [...previous, value];

function withCommonOptions(command: Command): Command {
  return command
    .option("--config <file>", `config file (default ./${defaultConfigFile} when present)`)
    .option("--source-region <region>", "source region (overrides the config)")
    .option("--source-account <id>", "source account id (default: the config, else the caller's account)")
    .option("--target-region <region>", "a single target region (overrides the config's targets)")
    .option("--target-account <id>", "a single target account (default: the source account)")
    .option("--bucket-map <SRC=DST>", "S3 bucket remap, repeatable", collectRepeatable)
    .option("--principal-map <SRC=DST>", "Lake Formation principal remap, repeatable", collectRepeatable)
    .option("--databases <list>", 'databases: "all" or a,b,c')
    .option("--target <name>", "only this configured target (default: all)")
    .option("--bucket <bucket>", "backup bucket (default: batch.backupBucket)")
    .option("--prefix <prefix>", "backup key prefix (default: batch.backupPrefix)")
    .option("--json", "machine-readable output on stdout; no progress display");
}

export function registerBatch(program: Command): void {
  withCommonOptions(program.command("backup"))
    .description(
      "write a snapshot of the source catalog to S3 (gzip JSON Lines + manifest); keep the newest --keep",
    )
    .option("--keep <n>", "backups to keep (default: batch.keepBackups)")
    .action(async (options: CommonOptions) => backupCommand(options));

  withCommonOptions(program.command("restore"))
    .description("restore a backup into the targets (only what differs is written)")
    .requiredOption("--from <url>", "s3://bucket/prefix/<account>/<region>/<id>/ or latest")
    .option("--dry-run", "print the plan, change nothing")
    .option("--delete", "also delete target objects the backup does not have")
    .action(async (options: ReconcileOptions) => reconcileCommand("restore", options));

  withCommonOptions(program.command("diff"))
    .description("compare the source (or --from a backup) with the targets; exit 0 equal, 2 different")
    .option("--from <url>", "compare a backup (s3://… or latest) instead of the live source")
    .option("--delete", "count target-only objects as deletions to apply")
    .action(async (options: ReconcileOptions) => reconcileCommand("diff", options));

  withCommonOptions(program.command("sync"))
    .description("apply the differences between the source and the targets")
    .option("--dry-run", "print the plan, change nothing")
    .option("--delete", "delete target objects the source does not have (default: batch.deleteSync)")
    .action(async (options: ReconcileOptions) => reconcileCommand("sync", options));
}

const write = (text: string) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);

async function loadOptionalConfig(options: CommonOptions): Promise<LakesyncConfig | undefined> {
  const file = options.config ?? (existsSync(defaultConfigFile) ? defaultConfigFile : undefined);
  if (!file) return undefined;
  try {
    return await loadConfig(file);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}

async function settingsFor(
  clients: AwsClients,
  options: CommonOptions,
  needTargets: boolean,
): Promise<BatchSettings> {
  const config = await loadOptionalConfig(options);
  let callerAccount: string | undefined;
  if (!options.sourceAccount && !config) {
    const region = options.sourceRegion ?? process.env.AWS_REGION ?? "us-east-1";
    callerAccount = await clients.callerAccount(region);
  }
  try {
    return resolveBatchSettings(config, options, {
      needTargets,
      ...(callerAccount ? { callerAccount } : {}),
    });
  } catch (error) {
    if (error instanceof SettingsError) throw new CliError(error.message);
    throw error;
  }
}

function backupStorage(
  clients: AwsClients,
  settings: BatchSettings,
  bucket: string | undefined,
): S3BackupStorage {
  if (!bucket) throw new CliError("no backup bucket: pass --bucket or set batch.backupBucket in the config");
  const { account, region } = settings.source;
  return new S3BackupStorage(clients.get("s3", { region, account }), bucket);
}

async function backupCommand(options: CommonOptions): Promise<void> {
  const clients = new AwsClients();
  const display = createProgressDisplay({ json: options.json ?? false });
  try {
    const settings = await settingsFor(clients, options, false);
    const storage = backupStorage(clients, settings, settings.backup.bucket);
    const source = settings.source;
    const records = readCatalogSnapshot(clients, source, {
      databases: settings.databases,
      concurrency: settings.concurrency,
    });
    const written = await writeBackup(
      { storage, now: () => new Date(), onProgress: display.update },
      { source, prefix: settings.backup.prefix, databases: settings.databases, records },
    );
    const retention = await applyRetention(storage, settings.backup.prefix, source, settings.backup.keep);
    display.stop();
    const url = s3Url(storage.bucket, written.folder);
    if (options.json) {
      write(JSON.stringify({ url, manifest: written.manifest, retention }, null, 2));
      return;
    }
    const m = written.manifest;
    write(`backup ${url}`);
    write(`  ${m.totalRecords} objects in ${m.parts.length} part(s): ${countsText(m.counts)}`);
    write(
      `  kept ${retention.kept.length} backup(s), deleted ${retention.deleted.length}${retention.deleted.length ? `: ${retention.deleted.join(", ")}` : ""}`,
    );
  } finally {
    display.stop();
    clients.destroy();
  }
}

const countsText = (counts: Partial<Record<string, number>>) =>
  Object.entries(counts)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(", ") || "empty";

type Mode = "restore" | "diff" | "sync";

interface BackupSourceRef {
  storage: S3BackupStorage;
  folder: string;
  manifest: BackupManifest;
}

async function openBackup(
  clients: AwsClients,
  options: ReconcileOptions,
): Promise<{ backup: BackupSourceRef; settings: BatchSettings }> {
  const from = options.from as string;
  try {
    if (from === "latest") {
      const settings = await settingsFor(clients, options, true);
      const storage = backupStorage(clients, settings, settings.backup.bucket);
      const folder = await latestBackupFolder(storage, settings.backup.prefix, settings.source);
      return { backup: { storage, folder, manifest: await readManifest(storage, folder) }, settings };
    }
    const { bucket, key } = backupFolderOfUrl(from);
    // A backup names its source: it is the default for the mapping when no flag or config says otherwise.
    const region = options.sourceRegion ?? options.targetRegion ?? process.env.AWS_REGION ?? "us-east-1";
    const probe = new S3BackupStorage(
      clients.get("s3", { region, ...(options.sourceAccount ? { account: options.sourceAccount } : {}) }),
      bucket,
    );
    const manifest = await readManifest(probe, key);
    const settings = await settingsFor(
      clients,
      {
        ...options,
        sourceAccount: options.sourceAccount ?? manifest.source.account,
        sourceRegion: options.sourceRegion ?? manifest.source.region,
      },
      true,
    );
    const storage = backupStorage(clients, settings, bucket);
    return { backup: { storage, folder: key, manifest }, settings };
  } catch (error) {
    if (error instanceof BackupFormatError) throw new CliError(error.message);
    throw error;
  }
}

async function reconcileCommand(mode: Mode, options: ReconcileOptions): Promise<void> {
  const clients = new AwsClients();
  const display = createProgressDisplay({ json: options.json ?? false });
  try {
    let settings: BatchSettings;
    let backup: BackupSourceRef | undefined;
    if (options.from) ({ backup, settings } = await openBackup(clients, options));
    else settings = await settingsFor(clients, options, true);
    const kinds = syncedKinds(settings);
    const counted = (stream: RecordStream, side: "source" | "target" | "backup") =>
      countRecords(stream, side, display.update);

    const plans: ReconcilePlan[] = [];
    const reports: (ExecutionReport | undefined)[] = [];
    // Applied plans keep only their kept differences; their full count is recorded here.
    const differenceCounts = new Map<number, number>();
    for (const target of settings.targets) {
      const source: RecordStream = backup
        ? onlyDatabases(readBackupRecords(backup.storage, backup.folder, backup.manifest), settings.databases)
        : readCatalogSnapshot(clients, settings.source, {
            databases: settings.databases,
            concurrency: settings.concurrency,
          });
      const input = {
        source: counted(source, backup ? "backup" : "source"),
        target: counted(
          readCatalogSnapshot(clients, target.location, {
            databases: settings.databases,
            concurrency: settings.concurrency,
          }),
          "target",
        ),
        rules: target.rules,
        location: target.location,
        deleteSync: settings.deleteSync,
        ...(kinds ? { kinds } : {}),
      };
      let report: ExecutionReport | undefined;
      if (mode === "diff" || options.dryRun) {
        // Showing a plan needs it whole.
        plans.push(await planReconcile(input));
      } else {
        // Applying streams: operations run in windows as the diff produces them, so a large catalog
        // never holds its whole plan. The plan is kept only as outlines (no inputs) for the output.
        const outlines: TargetOperation[] = [];
        const keptDifferences: Difference[] = [];
        let done = 0;
        const applied = await reconcileInWindows(input, {
          execute: (operations) =>
            execute(operations, {
              run: createOperationRunner(clients),
              sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
              now: Date.now,
              maxAttempts: 5,
              concurrency: settings.concurrency,
              onProgress: () =>
                display.update({
                  phase: "apply",
                  target: target.location.name,
                  done: ++done,
                  total: outlines.length,
                }),
            }),
          onWindow: (operations) => {
            for (const operation of operations) outlines.push(rewritten(operation, { input: {} }));
          },
          onDifference: (difference) => {
            if (difference.kept) keptDifferences.push(difference);
          },
        });
        plans.push({
          location: target.location,
          differences: keptDifferences,
          operations: outlines,
          kept: applied.kept,
        });
        differenceCounts.set(plans.length - 1, applied.differences);
        report = { results: applied.problems, summary: applied.summary };
      }
      reports.push(report);
      display.stop();
    }

    const failed = reports.reduce((sum, r) => sum + (r?.summary.failed ?? 0), 0);
    if (mode === "diff") printDiff(plans, options.json ?? false);
    else
      printApply(mode, plans, reports, {
        dryRun: options.dryRun ?? false,
        json: options.json ?? false,
        backup,
        differenceCount: (i) => differenceCounts.get(i) ?? plans[i]!.differences.length,
      });
    const differences = plans.reduce((sum, p) => sum + p.differences.length, 0);
    if (failed > 0) process.exitCode = ExitCode.error;
    else if (mode === "diff" && differences > 0) process.exitCode = ExitCode.different;
  } finally {
    display.stop();
    clients.destroy();
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

const targetLabel = (plan: ReconcilePlan) =>
  `${plan.location.name} (${plan.location.account}, ${plan.location.region})`;

function differenceJson(plan: ReconcilePlan) {
  return {
    target: plan.location,
    count: plan.differences.length,
    differences: plan.differences,
  };
}

/** Differences listed per target in the human output; the counts above them cover all. */
const shownDifferences = 200;

function printDiff(plans: ReconcilePlan[], json: boolean): void {
  const total = plans.reduce((sum, p) => sum + p.differences.length, 0);
  if (json) {
    write(
      JSON.stringify({ match: total === 0, differences: total, targets: plans.map(differenceJson) }, null, 2),
    );
    return;
  }
  for (const plan of plans) {
    const byKind = new Map<string, { create: number; update: number; delete: number }>();
    for (const d of plan.differences) {
      const entry = byKind.get(d.kind) ?? { create: 0, update: 0, delete: 0 };
      entry[d.change] += 1;
      byKind.set(d.kind, entry);
    }
    write(
      `${targetLabel(plan)}: ${plan.differences.length} difference${plan.differences.length === 1 ? "" : "s"}`,
    );
    for (const [kind, c] of byKind)
      write(`  ${kind}: ${c.create} missing, ${c.update} changed, ${c.delete} target-only`);
    for (const d of plan.differences.slice(0, shownDifferences)) write(`    ${describeDifference(d)}`);
    const hidden = plan.differences.length - shownDifferences;
    if (hidden > 0) write(`    … and ${hidden} more (--json lists them all)`);
  }
  write(
    total === 0
      ? "source and target match: 0 differences"
      : `source and target differ: ${total} difference${total === 1 ? "" : "s"}`,
  );
}

function printApply(
  mode: Mode,
  plans: ReconcilePlan[],
  reports: (ExecutionReport | undefined)[],
  options: {
    dryRun: boolean;
    json: boolean;
    backup: BackupSourceRef | undefined;
    differenceCount: (index: number) => number;
  },
): void {
  const from = options.backup ? s3Url(options.backup.storage.bucket, options.backup.folder) : "source";
  if (options.json) {
    write(
      JSON.stringify(
        {
          mode,
          dryRun: options.dryRun,
          from,
          targets: plans.map((plan, i) => ({
            target: plan.location,
            differences: options.differenceCount(i),
            kept: plan.differences
              .filter((d) => d.kept)
              .map((d) => ({ kind: d.kind, key: d.key, change: d.change })),
            operations: plan.operations.map((op) => ({
              operation: op.operation,
              description: op.description,
              idempotency: op.idempotency,
            })),
            ...(reports[i] ? { summary: reports[i]!.summary, failures: failuresOf(reports[i]!) } : {}),
          })),
        },
        null,
        2,
      ),
    );
    return;
  }
  for (const [i, plan] of plans.entries()) {
    write(
      `${mode}${options.dryRun ? " (dry run)" : ""} from ${from} to ${targetLabel(plan)}: ${options.differenceCount(i)} difference(s)`,
    );
    for (const line of planSummary(plan.operations).lines) write(`  ${line}`);
    const kept = plan.differences.filter((d) => d.kept && d.change === "delete");
    if (kept.length > 0) {
      write(`  not deleted (delete-sync off; pass --delete to apply):`);
      for (const d of kept) write(`    ${describeDifference(d)}`);
    }
    const report = reports[i];
    if (report) {
      const s = report.summary;
      write(
        `  result: ${s.applied} applied, ${s.noop} unchanged, ${s.skipped} skipped, ${s.unsupported} unsupported, ${s.failed} failed`,
      );
      for (const failure of failuresOf(report))
        write(`    failed: ${failure.description}: ${failure.reason}`);
    }
  }
  const failed = reports.reduce((sum, r) => sum + (r?.summary.failed ?? 0), 0);
  const operations = plans.reduce((sum, p) => sum + p.operations.length, 0);
  write(
    options.dryRun
      ? `dry run: ${operations} operation(s) planned, nothing changed`
      : failed > 0
        ? `${mode} finished with ${failed} failed operation(s)`
        : `${mode} finished: ${operations} operation(s)`,
  );
}

function failuresOf(report: ExecutionReport) {
  return report.results
    .filter((r) => r.outcome.status === "failed")
    .map((r) => ({
      description: r.operation.description,
      reason: r.outcome.status === "failed" ? r.outcome.reason : "",
    }));
}
