// The replicator's settings from the config and flags, built in one place for `lakesync replicate`
// and for the stack, which hands the stream handler its settings resolved (replicator/env.ts).
import type { LakesyncConfig } from "../config/schema.ts";
import { deployedTargets, replicatorRoleArn, resolveTargets, type TargetFlags } from "../config/targets.ts";
import type { ReplicatorSettings } from "./replicate-event.ts";

/**
 * The resolved targets, the source role, the replicator role, the replicate switches and the
 * journal's retention (the default when there is no config).
 */
export function replicatorSettings(
  config: LakesyncConfig | undefined,
  flags: TargetFlags,
  source: { account: string; region: string; roleArn?: string },
  maxAttempts: number,
): ReplicatorSettings {
  const replicatorRole = replicatorRoleArn(config, flags);
  return {
    targets: resolveTargets(config, flags, source),
    source: { account: source.account, region: source.region },
    ...(source.roleArn ? { sourceRoleArn: source.roleArn } : {}),
    maxAttempts,
    ...(replicatorRole ? { replicatorRoleArn: replicatorRole } : {}),
    ...(config
      ? { replicate: config.replicate, journalRetentionDays: config.realtime.journalRetentionDays }
      : {}),
  };
}

/**
 * The settings the stack gives the replicator function (REPLICATOR_ENV.settings): the config's,
 * no flags, and each target reached through its writer role.
 */
export function deployedReplicatorSettings(config: LakesyncConfig): ReplicatorSettings {
  const settings = replicatorSettings(config, {}, config.source, config.realtime.maxAttempts);
  return { ...settings, targets: deployedTargets(config, settings.targets) };
}
