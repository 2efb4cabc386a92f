// The targets one replicator writes to, and the MappingRules of one event on one target. The rules
// depend on the event (its source account and region) as well as on the target, so they are built
// per event; the same function serves the stream handler and `lakesync replicate`.

import { effectiveMapping } from "../config/load.ts";
import type { LakesyncConfig, ReplicateConfig } from "../config/schema.ts";
import type { MappingRules } from "../mapping/mapping.ts";
import type { CatalogLocation } from "../operations/operation.ts";
import type { EventName } from "../replication/change.ts";
import type { CloudTrailRecord } from "../replication/cloudtrail-record.ts";
import { switchedOff as switchedOffBySwitches } from "../replication/planner.ts";

export interface TargetMapping {
  buckets: Record<string, string>;
  accounts: Record<string, string>;
  principals: Record<string, string>;
}

export interface ReplicationTarget {
  location: CatalogLocation;
  mapping: TargetMapping;
  filters: { include: readonly string[]; exclude: readonly string[] };
}

export function rulesFor(target: ReplicationTarget, record: CloudTrailRecord): MappingRules {
  return {
    sourceAccount: record.recipientAccountId,
    sourceRegion: record.awsRegion,
    targetAccount: target.location.account,
    targetRegion: target.location.region,
    buckets: target.mapping.buckets,
    accounts: target.mapping.accounts,
    principals: target.mapping.principals,
    filters: { include: target.filters.include, exclude: target.filters.exclude },
    protectedAdmins: [],
  };
}

/** Overrides given on the command line; they win over the config's values. */
export interface TargetOverrides {
  targetRegion?: string;
  targetAccount?: string;
  buckets?: Record<string, string>;
  principals?: Record<string, string>;
}

/**
 * Every configured target (fan-out), with the command-line overrides applied. Without a config the
 * single target is given by the overrides, defaulting to the source's account and region.
 */
export function resolveTargets(
  config: LakesyncConfig | undefined,
  overrides: TargetOverrides,
  source: { account: string; region: string },
): ReplicationTarget[] {
  const extra = { buckets: overrides.buckets ?? {}, principals: overrides.principals ?? {} };
  if (!config) {
    return [
      {
        location: {
          name: "target",
          account: overrides.targetAccount ?? source.account,
          region: overrides.targetRegion ?? source.region,
        },
        mapping: { buckets: { ...extra.buckets }, accounts: {}, principals: { ...extra.principals } },
        filters: { include: [], exclude: [] },
      },
    ];
  }
  return config.targets.map((target) => {
    const mapping = effectiveMapping(config, target);
    return {
      location: {
        name: target.name,
        account: overrides.targetAccount ?? target.account,
        region: overrides.targetRegion ?? target.region,
        ...(target.roleArn ? { roleArn: target.roleArn } : {}),
      },
      mapping: {
        buckets: { ...mapping.buckets, ...extra.buckets },
        accounts: { ...mapping.accounts },
        principals: { ...mapping.principals, ...extra.principals },
      },
      filters: { include: config.filters.include, exclude: config.filters.exclude },
    };
  });
}

/** Why the config's `replicate` switches turn this event off, or undefined when it is replicated. */
export function switchedOff(
  eventName: EventName,
  replicate: ReplicateConfig | undefined,
): string | undefined {
  return replicate ? switchedOffBySwitches(eventName, replicate) : undefined;
}
