// Lambda (EventBridge schedule, central account): applies the declared mesh as `lakesync mesh
// apply` does, so tables the crawlers add are tagged and linked without anyone running the CLI.
// It acts in each account through the writer roles the stacks made (LAKESYNC_MESH_ACCOUNT_ROLES).
// A run with failed operations tells the alert topic, then throws: Lambda's retries, then the
// dead-letter queue and its alarm.
import { Logger } from "@aws-lambda-powertools/logger";
import { type MeshReconcileOutcome, MeshWiring } from "../modules/aws/wiring/mesh.ts";
import { type MeshReconcileEnvironment, parseMeshReconcileEnv } from "../modules/deploy/mesh-env.ts";

export type { MeshReconcileOutcome } from "../modules/aws/wiring/mesh.ts";
export { MESH_RECONCILE_ENV } from "../modules/deploy/mesh-env.ts";

export interface MeshReconcileHandlerDeps {
  environment: MeshReconcileEnvironment;
  reconcile: (environment: MeshReconcileEnvironment) => Promise<MeshReconcileOutcome>;
  logger: Logger;
}

export function createMeshReconcileHandler(deps: MeshReconcileHandlerDeps) {
  return async (): Promise<MeshReconcileOutcome> => {
    const outcome = await deps.reconcile(deps.environment);
    deps.logger.info("mesh reconciled", { ...outcome });
    if (outcome.failed > 0) {
      for (const failure of outcome.failures) deps.logger.error("mesh operation failed", { ...failure });
      throw new Error(`mesh reconcile: ${outcome.failed} operations failed`);
    }
    return outcome;
  };
}

function wireFromEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const environment = parseMeshReconcileEnv(env);
  const aws = new MeshWiring();
  return createMeshReconcileHandler({
    environment,
    reconcile: (e) => aws.reconcileDeployed(e),
    logger: new Logger({ serviceName: "lakesync-mesh-reconcile" }),
  });
}

let wired: ReturnType<typeof createMeshReconcileHandler> | undefined;

export const handler = (): Promise<MeshReconcileOutcome> => {
  wired ??= wireFromEnvironment();
  return wired();
};
