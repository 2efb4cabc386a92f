// Whether an event comes from the configured source. An event from another account or region (a
// misrouted EventBridge rule, a log file from elsewhere, a hand-fed plan-event) must not be
// replayed into the targets with the source's mapping: the replicator ends it `skipped` with this
// reason, and plan-event plans nothing for it and says why. One function, so both decide alike.
import type { CloudTrailRecord } from "./cloudtrail-record.ts";

export interface ConfiguredSource {
  account: string;
  region: string;
}

export function foreignSourceReason(
  record: Pick<CloudTrailRecord, "recipientAccountId" | "awsRegion">,
  source: ConfiguredSource | undefined,
): string | undefined {
  if (!source) return undefined;
  if (record.recipientAccountId === source.account && record.awsRegion === source.region) return undefined;
  return `event from ${record.recipientAccountId}/${record.awsRegion}, not the configured source ${source.account}/${source.region}: not replicated`;
}
