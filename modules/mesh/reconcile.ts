// The mesh reconciler as a use case: read the live state of every mesh account (through the
// `MeshPorts` the CLI and the scheduled handler wire), plan with the pure core, and run the plan
// through the shared executor. The same path answers `mesh plan`, `mesh apply` and `mesh status`.
import { type ExecutionReport, summarize } from "../operations/executor.ts";
import type { TargetOperation } from "../operations/operation.ts";
import type { LiveCatalog } from "./live.ts";
import { type MeshPlan, planMesh, removedConsumerAccounts } from "./plan.ts";
import { locateAccount, type MeshAccount, type MeshSpec } from "./spec.ts";

export interface MeshPorts {
  /**
   * One account's live state; `tags` reads the LF-tag assignments too (the central account),
   * `invitations` the RAM invitations it received (consumers).
   */
  readAccount(where: MeshAccount, options: { tags: boolean; invitations: boolean }): Promise<LiveCatalog>;
  /** The shared executor over the wiring's runner. */
  execute(operations: readonly TargetOperation[]): Promise<ExecutionReport>;
}

export interface MeshRun {
  plan: MeshPlan;
  /** Absent for a plan (dry run) or when there was nothing to do. */
  report?: ExecutionReport;
}

/** The live state the plan needs: central, each consumer, and (pruning) the consumers removed from the config. */
export async function readMeshState(
  spec: MeshSpec,
  ports: Pick<MeshPorts, "readAccount">,
  options: { prune: boolean },
): Promise<Map<string, LiveCatalog>> {
  const central = await ports.readAccount(spec.central, { tags: true, invitations: false });
  const consumerAccounts = new Set(spec.consumers.map((c) => c.account));
  const others = [
    ...spec.consumers,
    // Producers are read for the RAM invitations they accept (none within one Organization).
    ...(spec.sameOrganization ? [] : spec.producers.filter((p) => !consumerAccounts.has(p.account))),
    ...(options.prune ? removedConsumerAccounts(spec, central).map((a) => locateAccount(spec, a)) : []),
  ];
  const consumers = await Promise.all(
    others.map((where) => ports.readAccount(where, { tags: false, invitations: !spec.sameOrganization })),
  );
  return new Map([central, ...consumers].map((live) => [live.account, live]));
}

/**
 * Plans and (unless a dry run) applies. Grants to an account that held none create the central
 * account's RAM share and its invitation, which exist only after the plan ran: a second pass
 * re-reads and applies what follows from the first (accepting those invitations), so one apply
 * leaves nothing to do.
 */
export async function reconcileMesh(
  spec: MeshSpec,
  ports: MeshPorts,
  options: { prune: boolean; dryRun: boolean },
): Promise<MeshRun> {
  const plan = planMesh(spec, await readMeshState(spec, ports, options), options);
  if (options.dryRun || plan.operations.length === 0) return { plan };
  const first = await ports.execute(plan.operations);
  if (first.summary.failed > 0) return { plan, report: first };
  const followUp = planMesh(spec, await readMeshState(spec, ports, options), options);
  if (followUp.operations.length === 0) return { plan, report: first };
  const second = await ports.execute(followUp.operations);
  return { plan: joinPlans(plan, followUp), report: joinReports(first, second) };
}

function joinPlans(a: MeshPlan, b: MeshPlan): MeshPlan {
  const accounts = a.accounts.map((account) => ({
    ...account,
    operations: [
      ...account.operations,
      ...(b.accounts.find((other) => other.account === account.account)?.operations ?? []),
    ],
  }));
  const extra = b.accounts.filter(
    (other) => !a.accounts.some((account) => account.account === other.account),
  );
  const joined = [...accounts, ...extra];
  return { accounts: joined, operations: joined.flatMap((account) => account.operations) };
}

function joinReports(a: ExecutionReport, b: ExecutionReport): ExecutionReport {
  const results = [...a.results, ...b.results];
  return { results, summary: summarize(results) };
}
