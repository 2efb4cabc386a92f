// Lambda (EventBridge schedule): applies the declared mesh, as `lakesync mesh apply` does, so
// tables the crawlers add are tagged and linked without anyone running the CLI. A run with failed
// operations throws, so the invocation counts as an error (the stack's alarm) after it has logged
// each failure.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { MeshWiring } from "../modules/aws/wiring/mesh.ts";
import { parseMeshReconcileEnv } from "../modules/mesh/env.ts";
import { type MeshPorts, reconcileMesh } from "../modules/mesh/reconcile.ts";
import type { MeshSpec } from "../modules/mesh/spec.ts";

// The stack sets these (modules/mesh/env.ts); re-exported for callers that set them by hand.
export { MESH_RECONCILE_ENV } from "../modules/mesh/env.ts";

export interface MeshReconcileHandlerDeps {
  spec: MeshSpec;
  prune: boolean;
  ports: MeshPorts;
  logger: Logger;
  metrics: Metrics;
}

export function createMeshReconcileHandler(deps: MeshReconcileHandlerDeps) {
  const { logger, metrics } = deps;
  return async (): Promise<{ planned: number; failed: number }> => {
    try {
      const { plan, report } = await reconcileMesh(deps.spec, deps.ports, {
        prune: deps.prune,
        dryRun: false,
      });
      for (const account of plan.accounts) {
        logger.info("mesh account reconciled", {
          account: account.account,
          role: account.role,
          operations: account.operations.map((op) => op.description),
        });
      }
      const failures = (report?.results ?? []).filter((r) => r.outcome.status === "failed");
      for (const { operation, outcome } of failures) {
        logger.error("mesh operation failed", {
          operation: operation.description,
          reason: outcome.status === "failed" ? outcome.reason : "",
        });
      }
      metrics.addMetric("MeshOperationsPlanned", MetricUnit.Count, plan.operations.length);
      metrics.addMetric("MeshOperationsFailed", MetricUnit.Count, failures.length);
      if (failures.length > 0) throw new Error(`mesh apply: ${failures.length} operation(s) failed`);
      return { planned: plan.operations.length, failed: 0 };
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

/** Wired once per cold start from the environment. */
function wireFromEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const { spec, prune } = parseMeshReconcileEnv(env);
  return createMeshReconcileHandler({
    spec,
    prune,
    ports: new MeshWiring().meshPorts(),
    logger: new Logger({ serviceName: "lakesync-mesh-reconcile" }),
    metrics: new Metrics({ namespace: "lakesync", serviceName: "mesh-reconcile" }),
  });
}

let wired: ReturnType<typeof createMeshReconcileHandler> | undefined;

export const handler = (): Promise<{ planned: number; failed: number }> => {
  wired ??= wireFromEnvironment();
  return wired();
};
