// The mesh reconciler's pure core: the declared mesh -> the desired Lake Formation and Glue state
// per account (central.ts, consumer.ts) -> diffed against the live state -> TargetOperations built
// with the shared builders (modules/operations/build), run by the shared executor. What is in
// place plans nothing; `prune` also removes what the config no longer declares, within the
// mesh's scope:
//   central: LF tags and values, tag assignments of declared keys, and tag-policy grants to
//            principals outside the central account;
//   consumers (and consumers removed from the config, found through the central grants to them):
//            resource links to the central catalog in the mesh's link databases, and grants on
//            them and on central resources, except to the account's data lake admins and
//            IAMAllowedPrincipals.
import type { TargetOperation } from "../operations/operation.ts";
import { planCentral, removedConsumerAccounts } from "./central.ts";
import {
  consumerDesired,
  emptyDesired,
  invitationOperations,
  planConsumer,
  pruneConsumer,
} from "./consumer.ts";
import { destination } from "./grants.ts";
import { emptyCatalog, type LiveCatalog } from "./live.ts";
import { locateAccount, type MeshSpec } from "./spec.ts";
import { assignmentsAfterApply, desiredAssignments } from "./tags.ts";

export { removedConsumerAccounts } from "./central.ts";
export { LINK_DATABASE_MARK, MeshPlanError, sharedTables } from "./consumer.ts";

export interface AccountPlan {
  account: string;
  role: "central" | "producer" | "consumer" | "removed consumer";
  operations: TargetOperation[];
}

export interface MeshPlan {
  accounts: AccountPlan[];
  operations: TargetOperation[];
}

/** Live state per account: the central account, the declared consumers, and removed ones when pruning. */
export type LiveState = ReadonlyMap<string, LiveCatalog>;

export function planMesh(spec: MeshSpec, live: LiveState, options: { prune: boolean }): MeshPlan {
  const centralLive = live.get(spec.central.account) ?? emptyCatalog(spec.central.account);
  const assignments = desiredAssignments(spec.assignments, centralLive);
  const accounts: AccountPlan[] = [
    {
      account: spec.central.account,
      role: "central",
      operations: planCentral(spec, centralLive, assignments, options),
    },
  ];
  const after = assignmentsAfterApply(assignments, centralLive.tagAssignments);
  for (const consumer of spec.consumers) {
    const desired = consumerDesired(spec, consumer, centralLive, after);
    const consumerLive = live.get(consumer.account) ?? emptyCatalog(consumer.account);
    accounts.push({
      account: consumer.account,
      role: "consumer",
      operations: planConsumer(spec, consumer, desired, consumerLive, options),
    });
  }
  for (const producer of spec.producers) {
    const producerLive = live.get(producer.account);
    if (!producerLive) continue;
    const to = destination(producer, `producer ${producer.account}`);
    accounts.push({
      account: producer.account,
      role: "producer",
      operations: invitationOperations(spec, producerLive, to),
    });
  }
  if (options.prune) {
    for (const account of removedConsumerAccounts(spec, centralLive)) {
      const removedLive = live.get(account);
      if (!removedLive) continue;
      const where = locateAccount(spec, account);
      accounts.push({
        account,
        role: "removed consumer",
        operations: pruneConsumer(spec, where, removedLive, emptyDesired()),
      });
    }
  }
  return { accounts, operations: accounts.flatMap((a) => a.operations) };
}
