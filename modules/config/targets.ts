// Config + command-line flags -> the targets lakesync writes to: their location, mapping, filters
// and protected admins. The one resolver behind the replicator (stream handler and `lakesync
// replicate`), the batch commands and the stacks that deploy the handlers, and `plan-event`; a
// resolved target (resolved-target.ts) gives the MappingRules of one source (mappingRules).
// Pure: callers read the config file and parse the command line.
import { sourceWriterRoleArns, targetWriterRoleArn } from "../deploy/naming.ts";
import type { CatalogLocation } from "../operations/operation.ts";
import { effectiveMapping } from "./load.ts";
import type { ResolvedTarget, SourceCoordinates } from "./resolved-target.ts";
import { accountIdPattern, bucketNameProblem, principalProblem, regionProblem } from "./rules.ts";
import type { LakesyncConfig, TargetConfig } from "./schema.ts";

/** Bad flag values or a flag that names nothing: a one-line message naming the flag. */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

/** The flags every command that writes a target shares; each wins over the config. */
export interface TargetFlags {
  /** --target: only this configured target. */
  target?: string;
  targetRegion?: string;
  targetAccount?: string;
  /** --bucket-map SRC=DST, repeatable. */
  bucketMap?: readonly string[];
  /** --principal-map SRC=DST, repeatable. */
  principalMap?: readonly string[];
  /** --replicator-role: the replicator's role, protected on every target. */
  replicatorRole?: string;
}

/**
 * ["a=b", "c=d"] -> {a: "b", c: "d"}; `flag` names the flag in errors. Each side is checked by
 * `problem` (the config's own field rule, so a flag accepts exactly what the file accepts), and a
 * key given twice is an error rather than a silent last-one-wins.
 */
export function parsePairs(
  pairs: readonly string[] | undefined,
  flag: string,
  problem?: (value: string) => string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0 || eq === pair.length - 1)
      throw new SettingsError(`${flag}: expected SRC=DST, got ${JSON.stringify(pair)}`);
    const [key, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
    for (const side of [key, value]) {
      const message = problem?.(side);
      if (message) throw new SettingsError(`${flag} ${JSON.stringify(pair)}: ${message}`);
    }
    if (Object.hasOwn(out, key))
      throw new SettingsError(`${flag}: ${JSON.stringify(key)} is mapped twice (${out[key]} and ${value})`);
    out[key] = value;
  }
  return out;
}

/** --bucket-map: bucket names only, as mapping.buckets in the config. */
export const parseBucketMap = (pairs: readonly string[] | undefined, flag = "--bucket-map") =>
  parsePairs(pairs, flag, bucketNameProblem);

/** --principal-map: principal ARNs or account ids, as mapping.principals in the config. */
export const parsePrincipalMap = (pairs: readonly string[] | undefined, flag = "--principal-map") =>
  parsePairs(pairs, flag, principalProblem);

/** A region flag checked against the partitions' real region lists, as the config's regions are. */
export function checkRegion(value: string | undefined, flag: string): string | undefined {
  const message = value === undefined ? undefined : regionProblem(value);
  if (message) throw new SettingsError(`${flag}: ${message}`);
  return value;
}

export function checkAccount(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && !accountIdPattern.test(value))
    throw new SettingsError(`${flag}: expected a 12-digit account id, got ${JSON.stringify(value)}`);
  return value;
}

/** --replicator-role, else realtime.replicatorRoleArn; undefined when the deployment names it. */
export function replicatorRoleArn(
  config: LakesyncConfig | undefined,
  flags: Pick<TargetFlags, "replicatorRole">,
): string | undefined {
  return flags.replicatorRole ?? config?.realtime.replicatorRoleArn;
}

export const hasLocationFlags = (flags: TargetFlags): boolean =>
  flags.targetRegion !== undefined || flags.targetAccount !== undefined;

/**
 * The targets to write, flags over the config:
 * - with a config, every configured target, or only the --target one;
 * - --target-region / --target-account move that target (with several configured targets, pass
 *   --target to say which); a target moved to another account loses its configured role;
 * - without a config, one target "target" at the flags' account and region, each defaulting to
 *   the source's (`source`);
 * - --bucket-map / --principal-map entries are merged over every target's mapping.
 */
export function resolveTargets(
  config: LakesyncConfig | undefined,
  flags: TargetFlags,
  source: SourceCoordinates,
): ResolvedTarget[] {
  const targetAccount = checkAccount(flags.targetAccount, "--target-account");
  checkRegion(flags.targetRegion, "--target-region");
  const extra = {
    buckets: parseBucketMap(flags.bucketMap),
    principals: parsePrincipalMap(flags.principalMap),
  };
  const replicatorRole = replicatorRoleArn(config, flags);
  if (!config) {
    if (flags.target !== undefined)
      throw new SettingsError(`--target: no target named ${JSON.stringify(flags.target)} (no config file)`);
    return [
      {
        location: {
          name: "target",
          account: targetAccount ?? source.account,
          region: flags.targetRegion ?? source.region,
        },
        mapping: { buckets: extra.buckets, accounts: {}, principals: extra.principals },
        filters: { include: [], exclude: [] },
        protectedAdmins: replicatorRole ? [replicatorRole] : [],
      },
    ];
  }
  const chosen = chooseTargets(config, flags);
  return chosen.map((target) => {
    const mapping = effectiveMapping(config, target);
    const account = targetAccount ?? target.account;
    const location: CatalogLocation = {
      name: target.name,
      account,
      region: flags.targetRegion ?? target.region,
      ...(target.roleArn && account === target.account ? { roleArn: target.roleArn } : {}),
    };
    return {
      location,
      mapping: {
        buckets: { ...mapping.buckets, ...extra.buckets },
        accounts: { ...mapping.accounts },
        principals: { ...mapping.principals, ...extra.principals },
      },
      filters: { include: config.filters.include, exclude: config.filters.exclude },
      protectedAdmins: protectedAdminsOf(config, { ...target, account }, replicatorRole),
      ...(target.iceberg ? { iceberg: target.iceberg } : {}),
    };
  });
}

function chooseTargets(config: LakesyncConfig, flags: TargetFlags): TargetConfig[] {
  if (flags.target !== undefined) {
    const named = config.targets.find((t) => t.name === flags.target);
    if (!named) {
      throw new SettingsError(
        `no target named ${JSON.stringify(flags.target)} in the config (targets: ${config.targets.map((t) => t.name).join(", ")})`,
      );
    }
    return [named];
  }
  if (hasLocationFlags(flags) && config.targets.length > 1) {
    throw new SettingsError(
      `--target-region/--target-account move one target, the config has ${config.targets.length} (${config.targets.map((t) => t.name).join(", ")}): pass --target NAME`,
    );
  }
  return config.targets;
}

/**
 * The configured protectedAdmins, then lakesync's own roles: the role that writes this target,
 * the replicator's (--replicator-role or realtime.replicatorRoleArn, else the deployment's) and the
 * batch worker's. A role lakesync writes with must stay an admin, or every later grant fails.
 */
function protectedAdminsOf(
  config: LakesyncConfig,
  target: TargetConfig,
  replicatorRole: string | undefined,
): string[] {
  const [deployedReplicator, ...sourceRoles] = sourceWriterRoleArns(config);
  const roles = [
    ...target.protectedAdmins,
    targetWriterRoleArn(config, target),
    replicatorRole ?? deployedReplicator!,
    ...sourceRoles,
  ];
  return [...new Set(roles)];
}

/**
 * The targets as the deployed functions reach them: each through the writer role its
 * TargetAccessStack creates (targetWriterRoleArn), where the CLI uses the configured role or the
 * ambient credentials. The stacks pass the result to the replicator and the batch worker.
 */
export function deployedTargets<T extends { location: CatalogLocation }>(
  config: LakesyncConfig,
  targets: readonly T[],
): T[] {
  return targets.map((target) => {
    const configured = config.targets.find((c) => c.name === target.location.name);
    return configured
      ? { ...target, location: { ...target.location, roleArn: targetWriterRoleArn(config, configured) } }
      : target;
  });
}

/** The roles a deployed function assumes to reach these targets (deployedTargets gives each one), once each. */
export function targetRoleArns(targets: readonly { location: CatalogLocation }[]): string[] {
  return [...new Set(targets.flatMap(({ location }) => (location.roleArn ? [location.roleArn] : [])))];
}

/** A target at the source's own account and region (a flag moved it there, or none was given). */
export function targetAtSource(
  targets: readonly ResolvedTarget[],
  source: SourceCoordinates,
): ResolvedTarget | undefined {
  return targets.find((t) => t.location.account === source.account && t.location.region === source.region);
}
