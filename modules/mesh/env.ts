// Environment of the scheduled mesh reconciler Lambda, shared with the central stack that sets it
// (one module, one set of names; stacks never import handlers).
import { z } from "zod";
import { meshSchema } from "../config/mesh-schema.ts";
import { parseEnvironment, requiredVariables } from "../deploy/environment.ts";
import type { MeshSpec } from "./spec.ts";
import { meshSpecOf } from "./spec-of-config.ts";

export const MESH_RECONCILE_ENV = {
  /** JSON of the config's `mesh` section, as validated by the config schema. */
  mesh: "LAKESYNC_MESH",
  /** "true": the scheduled run also removes what the config no longer declares (default false). */
  prune: "LAKESYNC_MESH_PRUNE",
} as const;

const schema = z.object({
  [MESH_RECONCILE_ENV.mesh]: z.string().min(1),
  [MESH_RECONCILE_ENV.prune]: z.enum(["true", "false"]).default("false"),
  AWS_REGION: z.string().min(1),
});

/** What the central stack must set for the reconciler function. */
export const MESH_RECONCILE_REQUIRED_ENV = requiredVariables(schema);

export interface MeshReconcileConfig {
  spec: MeshSpec;
  prune: boolean;
}

export function parseMeshReconcileEnv(env: Record<string, string | undefined>): MeshReconcileConfig {
  const data = parseEnvironment(schema, env, "mesh reconciler");
  let mesh: unknown;
  try {
    mesh = JSON.parse(data[MESH_RECONCILE_ENV.mesh]);
  } catch (error) {
    throw new Error(
      `invalid mesh reconciler configuration: ${MESH_RECONCILE_ENV.mesh} is not JSON: ${(error as Error).message}`,
    );
  }
  const parsed = meshSchema.safeParse(mesh);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(
      `invalid mesh reconciler configuration: ${MESH_RECONCILE_ENV.mesh}: ${problems.join("; ")}`,
    );
  }
  return { spec: meshSpecOf(parsed.data), prune: data[MESH_RECONCILE_ENV.prune] === "true" };
}
