// The mesh reconciler as a use case: read the live state of every mesh account (through the
// `MeshPorts` the CLI and the scheduled handler wire), plan with the pure core, and run the plan
// through the shared executor. The same path answers `mesh plan`, `mesh apply` and `mesh status`.
import type { ExecutionReport } from "../operations/executor.ts";
import type { TargetOperation } from "../operations/operation.ts";
import type { LiveCatalog } from "./live.ts";
import { type MeshPlan, planMesh, removedConsumerAccounts } from "./plan.ts";
import { locateAccount, type MeshAccount, type MeshSpec } from "./spec.ts";

export interface MeshPorts {
  /** One account's live state; `tags` reads the LF-tag assignments too (the central account). */
  readAccount(where: MeshAccount, options: { tags: boolean }): Promise<LiveCatalog>;
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
  const central = await ports.readAccount(spec.central, { tags: true });
  const others = [
    ...spec.consumers,
    ...(options.prune ? removedConsumerAccounts(spec, central).map((a) => locateAccount(spec, a)) : []),
  ];
  const consumers = await Promise.all(others.map((where) => ports.readAccount(where, { tags: false })));
  return new Map([central, ...consumers].map((live) => [live.account, live]));
}

export async function reconcileMesh(
  spec: MeshSpec,
  ports: MeshPorts,
  options: { prune: boolean; dryRun: boolean },
): Promise<MeshRun> {
  const live = await readMeshState(spec, ports, options);
  const plan = planMesh(spec, live, options);
  if (options.dryRun || plan.operations.length === 0) return { plan };
  return { plan, report: await ports.execute(plan.operations) };
}
