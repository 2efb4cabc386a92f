// A target as the resolver (targets.ts) leaves it: where it is, how names map into it, what is
// filtered and which admins stay. The deployed handlers receive resolved targets as JSON from the
// stack, which resolves the config at synth (the same resolveTargets the CLI runs), so a handler
// parses them with the zod/mini schemas below and never loads the config schema (issue 12: the
// replicator's bundle). Pure.
import { type IcebergMode, icebergModes, type MappingRules } from "../mapping/mapping.ts";
import type { CatalogLocation } from "../operations/operation.ts";
import * as z from "./zod-mini.ts";

export interface TargetMapping {
  buckets: Record<string, string>;
  accounts: Record<string, string>;
  principals: Record<string, string>;
}

export interface ResolvedTarget {
  location: CatalogLocation;
  mapping: TargetMapping;
  filters: { include: readonly string[]; exclude: readonly string[] };
  /** Target data lake admins no path removes: the configured ones and lakesync's own roles. */
  protectedAdmins: readonly string[];
  /**
   * Iceberg tables the bucket mapping moves: rewrite their metadata tree, map the pointer only, or
   * skip (modules/mapping/iceberg-tables.ts); absent means rewrite.
   */
  iceberg?: IcebergMode;
}

export interface SourceCoordinates {
  account: string;
  region: string;
}

/**
 * The MappingRules of one target for one source: realtime passes the event's account and region
 * (rules are per event), batch the configured source.
 */
export function mappingRules(target: ResolvedTarget, source: SourceCoordinates): MappingRules {
  return {
    sourceAccount: source.account,
    sourceRegion: source.region,
    targetAccount: target.location.account,
    targetRegion: target.location.region,
    buckets: target.mapping.buckets,
    accounts: target.mapping.accounts,
    principals: target.mapping.principals,
    filters: { include: target.filters.include, exclude: target.filters.exclude },
    protectedAdmins: target.protectedAdmins,
    ...(target.iceberg ? { iceberg: target.iceberg } : {}),
  };
}

const names = z.record(z.string(), z.string());
const filters = z.object({ include: z.array(z.string()), exclude: z.array(z.string()) });
const iceberg = z.optional(z.enum(icebergModes));

export const catalogLocationSchema = z.object({
  name: z.string().check(z.minLength(1)),
  account: z.string().check(z.regex(/^\d{12}$/, "expected a 12-digit account id")),
  region: z.string().check(z.minLength(1)),
  roleArn: z.optional(z.string().check(z.startsWith("arn:"))),
});

/** MappingRules as JSON: every field the mapping module reads, the Iceberg mode included. */
export const mappingRulesSchema = z.object({
  sourceAccount: z.string(),
  sourceRegion: z.string(),
  targetAccount: z.string(),
  targetRegion: z.string(),
  buckets: names,
  accounts: names,
  principals: names,
  filters,
  protectedAdmins: z._default(z.array(z.string()), []),
  iceberg,
});

export const resolvedTargetSchema = z.object({
  location: catalogLocationSchema,
  mapping: z.object({ buckets: names, accounts: names, principals: names }),
  filters,
  protectedAdmins: z.array(z.string()),
  iceberg,
});
