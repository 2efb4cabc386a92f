// Lambda: the scheduled mesh reconciler in the central account. Minimal deployment entry so the
// central stack synthesizes (it bundles this file): the factory takes the reconcile core, which the
// mesh reconciler work package (wp-n: modules/mesh, its AWS wiring) supplies and wires here. Until
// then the deployed function fails at cold start saying so, after validating its environment.
import { Logger } from "@aws-lambda-powertools/logger";
import { type MeshReconcileEnvironment, parseMeshReconcileEnv } from "../modules/deploy/mesh-env.ts";

export { MESH_RECONCILE_ENV } from "../modules/deploy/mesh-env.ts";

export interface MeshReconcileOutcome {
  applied: number;
  failed: number;
}

export interface MeshReconcileHandlerDeps {
  environment: MeshReconcileEnvironment;
  reconcile: (environment: MeshReconcileEnvironment) => Promise<MeshReconcileOutcome>;
  logger: Logger;
}

export function createMeshReconcileHandler(deps: MeshReconcileHandlerDeps) {
  return async (): Promise<MeshReconcileOutcome> => {
    const outcome = await deps.reconcile(deps.environment);
    deps.logger.info("mesh reconciled", { ...outcome });
    // A failed run ends in Lambda's retries, then the dead-letter queue and its alarm.
    if (outcome.failed > 0) throw new Error(`mesh reconcile: ${outcome.failed} operations failed`);
    return outcome;
  };
}

function wireFromEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const environment = parseMeshReconcileEnv(env);
  return createMeshReconcileHandler({
    environment,
    reconcile: async () => {
      throw new Error(
        "mesh reconcile: the reconciler core is not wired into this build (handlers/mesh-reconcile.ts)",
      );
    },
    logger: new Logger({ serviceName: "lakesync-mesh-reconcile" }),
  });
}

let wired: ReturnType<typeof createMeshReconcileHandler> | undefined;

export const handler = (): Promise<MeshReconcileOutcome> => {
  wired ??= wireFromEnvironment();
  return wired();
};
