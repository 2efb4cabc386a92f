// The realtime side of target resolution (modules/config/targets.ts resolves the targets): an
// event's MappingRules depend on the event (its source account and region) as well as on the
// target, so they are built per event; the same function serves the stream handler and
// `lakesync replicate`.

import { mappingRules, type ResolvedTarget } from "../config/resolved-target.ts";
import type { ReplicateConfig } from "../config/schema.ts";
import type { MappingRules } from "../mapping/mapping.ts";
import type { EventName } from "../replication/change.ts";
import type { CloudTrailRecord } from "../replication/cloudtrail-record.ts";
import { switchedOff as switchedOffBySwitches } from "../replication/planner.ts";

export type ReplicationTarget = ResolvedTarget;

export function rulesFor(target: ReplicationTarget, record: CloudTrailRecord): MappingRules {
  return mappingRules(target, { account: record.recipientAccountId, region: record.awsRegion });
}

/** Why the config's `replicate` switches turn this event off, or undefined when it is replicated. */
export function switchedOff(
  eventName: EventName,
  replicate: ReplicateConfig | undefined,
): string | undefined {
  return replicate ? switchedOffBySwitches(eventName, replicate) : undefined;
}
