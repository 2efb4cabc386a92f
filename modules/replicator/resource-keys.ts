// The resources an event writes, named the way the planner names them, so the drain can keep
// events on one resource in order even when one of them has to be retried (an older
// AddLFTagsToResource retried after a newer RemoveLFTagsFromResource would undo the removal).

import { identityRules } from "../mapping/mapping.ts";
import type { CloudTrailRecord } from "../replication/cloudtrail-record.ts";
import { planChange } from "../replication/planner.ts";
import { toChange } from "../replication/to-change.ts";

/**
 * Resource keys of the record's changes, planned against the source itself (so keys of different
 * events compare equal whatever the targets). Records that cannot be planned touch nothing known.
 */
export function recordResourceKeys(record: CloudTrailRecord): string[] {
  try {
    const decoded = toChange(record);
    if (decoded.outcome === "refetch") return decoded.reads.map((read) => read.resourceKey);
    if (decoded.outcome !== "change") return [];
    const { account, region } = decoded.change.source;
    const plan = planChange(
      decoded.change,
      { name: "source", account, region },
      identityRules(account, region),
    );
    return [...new Set(plan.operations.map((operation) => operation.resourceKey))];
  } catch {
    return []; // the replicator reports why the record is unusable
  }
}
