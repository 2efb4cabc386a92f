// The replicator's settings from the config and flags (none in the Lambda), built in one place for
// the stream handler and `lakesync replicate`.
import type { LakesyncConfig } from "../config/schema.ts";
import { replicatorRoleArn, resolveTargets, type TargetFlags } from "../config/targets.ts";
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
