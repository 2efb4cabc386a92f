// The statements of the Iceberg metadata rewrite (modules/deploy/iam.ts), scoped by the bucket
// mapping: read on the source buckets' metadata folders for the function that replicates (its own
// role reads the source), read/write on the target buckets' lakesync-dr folders for whoever
// writes the target.

import { effectiveMapping } from "../../modules/config/load.ts";
import type { LakesyncConfig, TargetConfig } from "../../modules/config/schema.ts";
import { ICEBERG_REWRITE_ACTIONS, icebergRewriteResources } from "../../modules/deploy/iam.ts";
import type { PolicyStatement } from "./policy.ts";

/** The rewrite's objects over every target's bucket mapping (one source bucket may go to several). */
function resourcesOf(config: LakesyncConfig, targets: readonly TargetConfig[]) {
  const each = targets.map((target) => icebergRewriteResources(effectiveMapping(config, target).buckets));
  const union = (pick: (r: (typeof each)[number]) => string[]) => [...new Set(each.flatMap(pick))];
  return {
    sourceMetadata: union((r) => r.sourceMetadata),
    targetRewrites: union((r) => r.targetRewrites),
    buckets: union((r) => [...r.sourceBuckets, ...r.targetBuckets]),
  };
}

/** For the replicator and the batch worker: read the source metadata, write the rewrites. */
export function icebergRewriteStatements(
  config: LakesyncConfig,
  targets: readonly TargetConfig[] = config.targets,
): PolicyStatement[] {
  const { sourceMetadata, targetRewrites, buckets } = resourcesOf(config, targets);
  if (sourceMetadata.length === 0) return [];
  return [
    {
      Sid: "ReadIcebergSourceMetadata",
      Action: ICEBERG_REWRITE_ACTIONS.readSource,
      Resource: sourceMetadata,
    },
    { Sid: "WriteIcebergRewrites", Action: ICEBERG_REWRITE_ACTIONS.writeTarget, Resource: targetRewrites },
    { Sid: "TellMissingIcebergFiles", Action: ICEBERG_REWRITE_ACTIONS.tellMissing, Resource: buckets },
  ];
}

/** For a target's writer role: read and write the rewrites in that target's buckets. */
export function icebergTargetStatements(config: LakesyncConfig, target: TargetConfig): PolicyStatement[] {
  const { targetRewrites, targetBuckets } = icebergRewriteResources(effectiveMapping(config, target).buckets);
  if (targetRewrites.length === 0) return [];
  return [
    { Sid: "WriteIcebergRewrites", Action: ICEBERG_REWRITE_ACTIONS.writeTarget, Resource: targetRewrites },
    { Sid: "TellMissingIcebergFiles", Action: ICEBERG_REWRITE_ACTIONS.tellMissing, Resource: targetBuckets },
  ];
}
