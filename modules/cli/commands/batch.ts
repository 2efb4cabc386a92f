// `lakesync backup | restore | diff | sync`: batch snapshots of the source (live or from an S3
// backup) reconciled with each target through the one diff -> operations -> executor path.
// All four run without a config file when given the override flags.
import type { Command } from "commander";
import { allClients } from "../../aws/all-clients.ts";
import { S3BackupStorage } from "../../aws/backup-store.ts";
import { callerAccount as stsCallerAccount } from "../../aws/caller-account.ts";
import { readCatalogSnapshot } from "../../aws/catalog-reader.ts";
import type { IcebergRewritePreview } from "../../aws/iceberg-runner.ts";
import type { AwsWiring } from "../../aws/wiring/base.ts";
import { ExecutorWiring } from "../../aws/wiring/executor.ts";
import { backupFolderOfUrl, s3Url } from "../../backup/layout.ts";
import { BackupFormatError } from "../../backup/manifest.ts";
import { describeDifference, type ReconcilePlan } from "../../batch/reconcile.ts";
import {
  type BackupSource,
  type BatchRunDeps,
  backupSource,
  openBackup,
  openLatestBackup,
  type ReconcileMode,
  reconcileTargets,
} from "../../batch/run.ts";
import { type BatchFlags, type BatchSettings, resolveBatchSettings } from "../../batch/settings.ts";
import type { ExecutionReport } from "../../operations/executor.ts";
import { planSummary } from "../../operations/plan-summary.ts";
import { configOptionHelp, loadCliConfig } from "../config-file.ts";
import { CliError, ExitCode } from "../exit-codes.ts";
import { collect } from "../flags.ts";
import { createProgressDisplay } from "../progress.ts";
import { writeJson, writeLines } from "../render.ts";

interface CommonOptions extends BatchFlags {
  config?: string;
  json?: boolean;
}

interface ReconcileOptions extends CommonOptions {
  from?: string;
  dryRun?: boolean;
}

function withCommonOptions(command: Command): Command {
  return command
    .option("--config <file>", configOptionHelp("source, targets, mapping, filters, batch settings"))
    .option("--source-region <region>", "source region (overrides the config)")
    .option("--source-account <id>", "source account id (default: the config, else the caller's account)")
    .option("--target-region <region>", "a single target region (overrides the config's targets)")
    .option("--target-account <id>", "a single target account (default: the source account)")
    .option("--bucket-map <SRC=DST>", "S3 bucket remap, repeatable", collect)
    .option("--principal-map <SRC=DST>", "Lake Formation principal remap, repeatable", collect)
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
    .requiredOption(
      "--from <url>",
      "s3://bucket/prefix/<account>/<region>/<id>/ or latest; without a config the target account is the caller's",
    )
    .option("--dry-run", "print the plan, change nothing")
    .option("--delete", "also delete target objects the backup does not have")
    .option("--allow-mass-delete", massDeleteHelp)
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
    .option("--allow-mass-delete", massDeleteHelp)
    .action(async (options: ReconcileOptions) => reconcileCommand("sync", options));
}

const massDeleteHelp =
  "apply deletes even from a source with no catalog objects, or over batch.maxDeleteShare of the target";

const write = (text: string) => writeLines(text);

async function settingsFor(
  aws: AwsWiring,
  options: CommonOptions,
  needTargets: boolean,
): Promise<BatchSettings> {
  const config = (await loadCliConfig(options.config))?.config;
  let callerAccount: string | undefined;
  if (!options.sourceAccount && !config) {
    const region = options.sourceRegion ?? process.env.AWS_REGION ?? "us-east-1";
    callerAccount = await stsCallerAccount(aws.clients, region);
  }
  return resolveBatchSettings(config, options, {
    needTargets,
    ...(callerAccount ? { callerAccount } : {}),
  });
}

function runDeps(aws: ExecutorWiring, onProgress: BatchRunDeps["onProgress"]): BatchRunDeps {
  return {
    readCatalog: (location, options) => readCatalogSnapshot(aws.clients, location, options),
    executeDeps: (options) => aws.executeDeps(options),
    ...(onProgress ? { onProgress } : {}),
  };
}

function backupStorage(aws: AwsWiring, settings: BatchSettings, bucket: string | undefined): S3BackupStorage {
  if (!bucket) throw new CliError("no backup bucket: pass --bucket or set batch.backupBucket in the config");
  const { account, region } = settings.source;
  return new S3BackupStorage(aws.clients.get("s3", { region, account }), bucket);
}

async function backupCommand(options: CommonOptions): Promise<void> {
  const aws = new ExecutorWiring(allClients);
  const display = createProgressDisplay({ json: options.json ?? false });
  try {
    const settings = await settingsFor(aws, options, false);
    const storage = backupStorage(aws, settings, settings.backup.bucket);
    const { written, retention } = await backupSource(
      { ...runDeps(aws, display.update), storage, now: () => new Date() },
      settings,
    );
    display.stop();
    const url = s3Url(storage.bucket, written.folder);
    if (options.json) {
      writeJson({ url, manifest: written.manifest, retention }, 2);
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
    aws.destroy();
  }
}

const countsText = (counts: Partial<Record<string, number>>) =>
  Object.entries(counts)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(", ") || "empty";

/** --from latest, or --from s3://…: the backup and the settings, the source defaulting to the backup's. */
async function backupFrom(
  aws: AwsWiring,
  options: ReconcileOptions,
): Promise<{ backup: BackupSource; settings: BatchSettings }> {
  const from = options.from as string;
  try {
    if (from === "latest") {
      const settings = await settingsFor(aws, options, true);
      const storage = backupStorage(aws, settings, settings.backup.bucket);
      return { backup: await openLatestBackup(storage, settings), settings };
    }
    const { bucket, key } = backupFolderOfUrl(from);
    // A backup names its source: it is the default for the mapping when no flag or config says otherwise.
    const region = options.sourceRegion ?? options.targetRegion ?? process.env.AWS_REGION ?? "us-east-1";
    const probe = new S3BackupStorage(
      aws.clients.get("s3", { region, ...(options.sourceAccount ? { account: options.sourceAccount } : {}) }),
      bucket,
    );
    const { manifest } = await openBackup(probe, key);
    // The backup names its source, not where to restore: without a config or --target-account the
    // target is the caller's own account (as --help says), never silently the backup's.
    const hasConfig = (await loadCliConfig(options.config)) !== undefined;
    const targetAccount =
      options.targetAccount ?? (hasConfig ? undefined : await stsCallerAccount(aws.clients, region));
    const settings = await settingsFor(
      aws,
      {
        ...options,
        ...(targetAccount ? { targetAccount } : {}),
        sourceAccount: options.sourceAccount ?? manifest.source.account,
        sourceRegion: options.sourceRegion ?? manifest.source.region,
      },
      true,
    );
    const storage = backupStorage(aws, settings, bucket);
    return { backup: { storage, folder: key, manifest }, settings };
  } catch (error) {
    if (error instanceof BackupFormatError) throw new CliError(error.message);
    throw error;
  }
}

async function reconcileCommand(mode: ReconcileMode, options: ReconcileOptions): Promise<void> {
  const aws = new ExecutorWiring(allClients);
  const display = createProgressDisplay({ json: options.json ?? false });
  try {
    let settings: BatchSettings;
    let backup: BackupSource | undefined;
    if (options.from) ({ backup, settings } = await backupFrom(aws, options));
    else settings = await settingsFor(aws, options, true);
    const run = await reconcileTargets(
      mode,
      { ...runDeps(aws, display.update), onTargetDone: () => display.stop() },
      settings,
      { ...(backup ? { from: backup } : {}), dryRun: options.dryRun ?? false },
    );
    const { plans, reports } = run;
    if (mode === "diff") {
      printDiff(plans, options.json ?? false);
      await warnIcebergLag(aws, settings);
    } else {
      // A dry run says, per Iceberg table it would rewrite, how many files that writes.
      // The Iceberg code (avsc, the metadata codecs) loads only when a command needs it.
      const preview = async () => {
        const { previewIcebergRewrites } = await import("../../aws/iceberg-runner.ts");
        return Promise.all(plans.map((plan) => previewIcebergRewrites(plan.operations, aws.clients)));
      };
      const icebergPreviews = options.dryRun && !options.json ? await preview() : [];
      printApply(mode, plans, reports, {
        dryRun: options.dryRun ?? false,
        json: options.json ?? false,
        backup,
        differenceCount: (i) => run.differenceCounts[i]!,
        icebergPreviews,
      });
    }
    const differences = plans.reduce((sum, p) => sum + p.differences.length, 0);
    const refused = plans.find((plan) => plan.refusedDeletes);
    if (refused) throw new CliError(`${refused.location.name}: ${refused.refusedDeletes}`);
    if (run.failed > 0) process.exitCode = ExitCode.error;
    else if (mode === "diff" && differences > 0) process.exitCode = ExitCode.different;
  } finally {
    display.stop();
    aws.destroy();
  }
}

/**
 * Rewritten Iceberg tables whose current snapshot names files the target bucket lacks yet (S3
 * replication lag): a warning on stderr with counts, not a difference.
 */
async function warnIcebergLag(aws: AwsWiring, settings: BatchSettings): Promise<void> {
  const { icebergReplicationLag } = await import("../../aws/iceberg-lag.ts");
  for (const { location, rules } of settings.targets) {
    if (Object.keys(rules.buckets).length === 0 || (rules.iceberg ?? "rewrite") !== "rewrite") continue;
    for (const lag of await icebergReplicationLag(aws.clients, location, settings.databases)) {
      process.stderr.write(
        `warning: ${location.name}: ${lag.table}: ${lag.missing} of ${lag.files} data file(s) not in the target bucket yet (S3 replication lag)\n`,
      );
    }
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
    writeJson({ match: total === 0, differences: total, targets: plans.map(differenceJson) }, 2);
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
  mode: ReconcileMode,
  plans: ReconcilePlan[],
  reports: (ExecutionReport | undefined)[],
  options: {
    dryRun: boolean;
    json: boolean;
    backup: BackupSource | undefined;
    differenceCount: (index: number) => number;
    /** Per plan, the Iceberg rewrites a dry run would make (human output only). */
    icebergPreviews: IcebergRewritePreview[][];
  },
): void {
  const from = options.backup ? s3Url(options.backup.storage.bucket, options.backup.folder) : "source";
  if (options.json) {
    writeJson(
      {
        mode,
        dryRun: options.dryRun,
        from,
        targets: plans.map((plan, i) => ({
          target: plan.location,
          differences: options.differenceCount(i),
          deletes: plan.deletes,
          ...(plan.refusedDeletes ? { refusedDeletes: plan.refusedDeletes } : {}),
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
      2,
    );
    return;
  }
  for (const [i, plan] of plans.entries()) {
    write(
      `${mode}${options.dryRun ? " (dry run)" : ""} from ${from} to ${targetLabel(plan)}: ${options.differenceCount(i)} difference(s)`,
    );
    write(`  deletes: ${plan.deletes}${plan.refusedDeletes ? ` (${plan.refusedDeletes})` : ""}`);
    for (const line of planSummary(plan.operations).lines) write(`  ${line}`);
    for (const preview of options.icebergPreviews[i] ?? []) write(`  ${describePreview(preview)}`);
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
      for (const { operation, outcome } of report.results)
        if (outcome.status === "skipped") write(`    skipped: ${operation.description}: ${outcome.reason}`);
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

function describePreview(preview: IcebergRewritePreview): string {
  if ("skipped" in preview) return `iceberg ${preview.table}: skipped: ${preview.skipped}`;
  return `iceberg ${preview.table}: ${preview.writes} metadata file(s) to rewrite into s3://${preview.targetBucket}, ${preview.reused} already rewritten`;
}

function failuresOf(report: ExecutionReport) {
  return report.results
    .filter((r) => r.outcome.status === "failed")
    .map((r) => ({
      description: r.operation.description,
      reason: r.outcome.status === "failed" ? r.outcome.reason : "",
    }));
}
