// What a batch command runs against, from the config file (if any) and override flags: source,
// targets with their MappingRules, databases, delete-sync, backup location. Pure: the CLI reads
// the file and passes the parsed config in. Flags win over the file.

import { backupPrefixProblem, defaultBackupPrefix, normalisePrefix } from "../backup/layout.ts";
import { mappingRules } from "../config/resolved-target.ts";
import { bucketNameProblem } from "../config/rules.ts";
import type { LakesyncConfig } from "../config/schema.ts";
import {
  checkAccount,
  checkRegion,
  hasLocationFlags,
  resolveTargets,
  SettingsError,
  type TargetFlags,
  targetAtSource,
} from "../config/targets.ts";
import type { MappingRules } from "../mapping/mapping.ts";
import type { CatalogLocation } from "../operations/operation.ts";
import { DEFAULT_MAX_DELETE_SHARE, type DeleteGuard } from "./delete-guard.ts";

export interface BatchFlags extends TargetFlags {
  sourceRegion?: string;
  sourceAccount?: string;
  databases?: string;
  delete?: boolean;
  /** --allow-mass-delete: lift the delete-sync guard (delete-guard.ts). */
  allowMassDelete?: boolean;
  bucket?: string;
  prefix?: string;
  keep?: string;
}

export interface BatchTarget {
  location: CatalogLocation;
  rules: MappingRules;
}

export interface BatchSettings {
  source: CatalogLocation;
  targets: BatchTarget[];
  databases: "all" | string[];
  deleteSync: boolean;
  deleteGuard: DeleteGuard;
  syncCatalog: boolean;
  syncPermissions: boolean;
  concurrency: number;
  backup: { bucket?: string; prefix: string; keep: number };
}

export function parseDatabases(value: string | undefined): "all" | string[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0)
    throw new SettingsError(`--databases: expected "all" or a,b,c, got ${JSON.stringify(value)}`);
  return names.length === 1 && names[0] === "all" ? "all" : names;
}

/**
 * `callerAccount` fills in a missing source account (the CLI asks STS); a target account
 * defaults to the source account (a cross-region copy).
 */
export function resolveBatchSettings(
  config: LakesyncConfig | undefined,
  flags: BatchFlags,
  options: { needTargets: boolean; callerAccount?: string },
): BatchSettings {
  const sourceAccount =
    checkAccount(flags.sourceAccount, "--source-account") ?? config?.source.account ?? options.callerAccount;
  const sourceRegion = checkRegion(flags.sourceRegion, "--source-region") ?? config?.source.region;
  if (!sourceRegion)
    throw new SettingsError("no source region: pass --source-region or a config file with source.region");
  if (!sourceAccount)
    throw new SettingsError("no source account: pass --source-account or a config file with source.account");
  const source: CatalogLocation = {
    name: config?.source.name ?? "source",
    account: sourceAccount,
    region: sourceRegion,
    ...(config?.source.roleArn ? { roleArn: config.source.roleArn } : {}),
  };
  // Without a config or a target flag there is no target (not the source itself).
  const resolved = config || hasLocationFlags(flags) ? resolveTargets(config, flags, source) : [];
  const self = targetAtSource(resolved, source);
  if (self) {
    throw new SettingsError(
      `the target (${self.location.account} ${self.location.region}) is the source: pass another --target-region or --target-account`,
    );
  }
  const targets: BatchTarget[] = resolved.map((target) => ({
    location: target.location,
    rules: mappingRules(target, source),
  }));
  if (options.needTargets && targets.length === 0) {
    throw new SettingsError("no target: pass --target-region/--target-account or a config file with targets");
  }

  const keep = flags.keep !== undefined ? Number(flags.keep) : (config?.batch.keepBackups ?? 14);
  if (!Number.isInteger(keep) || keep < 1)
    throw new SettingsError(
      `--keep: expected a whole number of at least 1, got ${JSON.stringify(flags.keep)}`,
    );
  const bucket = flags.bucket ?? config?.batch.backupBucket;
  const bucketProblem = flags.bucket === undefined ? undefined : bucketNameProblem(flags.bucket);
  if (bucketProblem) throw new SettingsError(`--bucket: ${bucketProblem}`);
  const prefixProblem = flags.prefix === undefined ? undefined : backupPrefixProblem(flags.prefix);
  if (prefixProblem) throw new SettingsError(`--prefix: ${prefixProblem}`);
  return {
    source,
    targets,
    databases: parseDatabases(flags.databases) ?? config?.batch.databases ?? "all",
    deleteSync: flags.delete ?? config?.batch.deleteSync ?? false,
    deleteGuard: {
      maxDeleteShare: config?.batch.maxDeleteShare ?? DEFAULT_MAX_DELETE_SHARE,
      allowMassDelete: flags.allowMassDelete ?? false,
    },
    syncCatalog: config?.batch.syncCatalog ?? true,
    syncPermissions: config?.batch.syncPermissions ?? true,
    concurrency: config?.batch.concurrency ?? 8,
    backup: {
      ...(bucket ? { bucket } : {}),
      prefix: normalisePrefix(flags.prefix ?? config?.batch.backupPrefix ?? defaultBackupPrefix),
      keep,
    },
  };
}
