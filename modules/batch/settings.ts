// What a batch command runs against, from the config file (if any) and override flags: source,
// targets with their MappingRules, databases, delete-sync, backup location. Pure: the CLI reads
// the file and passes the parsed config in. Flags win over the file.

import { defaultBackupPrefix, normalisePrefix } from "../backup/layout.ts";
import { effectiveMapping } from "../config/load.ts";
import type { LakesyncConfig } from "../config/schema.ts";
import type { MappingRules } from "../mapping/mapping.ts";
import type { CatalogLocation } from "../operations/operation.ts";

export interface BatchFlags {
  sourceRegion?: string;
  sourceAccount?: string;
  targetRegion?: string;
  targetAccount?: string;
  bucketMap?: string[];
  principalMap?: string[];
  databases?: string;
  delete?: boolean;
  target?: string;
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
  syncCatalog: boolean;
  syncPermissions: boolean;
  concurrency: number;
  backup: { bucket?: string; prefix: string; keep: number };
}

export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

/** ["a=b", "c=d"] -> {a: "b", c: "d"}; `what` names the flag in errors. */
export function parsePairs(pairs: readonly string[] | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0 || eq === pair.length - 1)
      throw new SettingsError(`${what}: expected SRC=DST, got ${JSON.stringify(pair)}`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
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

const accountPattern = /^\d{12}$/;

function checkAccount(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && !accountPattern.test(value))
    throw new SettingsError(`${flag}: expected a 12-digit account id, got ${JSON.stringify(value)}`);
  return value;
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
  const sourceRegion = flags.sourceRegion ?? config?.source.region;
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
  const flagBuckets = parsePairs(flags.bucketMap, "--bucket-map");
  const flagPrincipals = parsePairs(flags.principalMap, "--principal-map");
  const filters = { include: config?.filters.include ?? [], exclude: config?.filters.exclude ?? [] };

  const targets: BatchTarget[] = [];
  const rulesFor = (
    location: CatalogLocation,
    mapping: {
      buckets: Record<string, string>;
      accounts: Record<string, string>;
      principals: Record<string, string>;
    },
  ): MappingRules => ({
    sourceAccount: source.account,
    sourceRegion: source.region,
    targetAccount: location.account,
    targetRegion: location.region,
    buckets: { ...mapping.buckets, ...flagBuckets },
    accounts: mapping.accounts,
    principals: { ...mapping.principals, ...flagPrincipals },
    filters,
    protectedAdmins: [],
  });
  if (flags.targetRegion || flags.targetAccount) {
    const location: CatalogLocation = {
      name: flags.target ?? "target",
      account: checkAccount(flags.targetAccount, "--target-account") ?? source.account,
      region: flags.targetRegion ?? source.region,
    };
    if (location.account === source.account && location.region === source.region) {
      throw new SettingsError(
        `the target (${location.account} ${location.region}) is the source: pass another --target-region or --target-account`,
      );
    }
    const configured = config?.targets.find(
      (t) => t.account === location.account && t.region === location.region,
    );
    targets.push({
      location: configured?.roleArn ? { ...location, roleArn: configured.roleArn } : location,
      rules: rulesFor(
        location,
        configured && config
          ? effectiveMapping(config, configured)
          : (config?.mapping ?? { buckets: {}, accounts: {}, principals: {} }),
      ),
    });
  } else if (config) {
    const chosen = flags.target ? config.targets.filter((t) => t.name === flags.target) : config.targets;
    if (chosen.length === 0) {
      throw new SettingsError(
        `no target named ${JSON.stringify(flags.target)} in the config (targets: ${config.targets.map((t) => t.name).join(", ")})`,
      );
    }
    for (const t of chosen) {
      const location: CatalogLocation = {
        name: t.name,
        account: t.account,
        region: t.region,
        ...(t.roleArn ? { roleArn: t.roleArn } : {}),
      };
      targets.push({ location, rules: rulesFor(location, effectiveMapping(config, t)) });
    }
  }
  if (options.needTargets && targets.length === 0) {
    throw new SettingsError("no target: pass --target-region/--target-account or a config file with targets");
  }

  const keep = flags.keep !== undefined ? Number(flags.keep) : (config?.batch.keepBackups ?? 14);
  if (!Number.isInteger(keep) || keep < 1)
    throw new SettingsError(
      `--keep: expected a whole number of at least 1, got ${JSON.stringify(flags.keep)}`,
    );
  const bucket = flags.bucket ?? config?.batch.backupBucket;
  return {
    source,
    targets,
    databases: parseDatabases(flags.databases) ?? config?.batch.databases ?? "all",
    deleteSync: flags.delete ?? config?.batch.deleteSync ?? false,
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
