// Environment of the scheduled mesh reconciler (handlers/mesh-reconcile.ts), shared with the
// central stack that sets it: one module, one set of names. The mesh section travels gzipped and
// base64-encoded because Lambda caps a function's whole environment at 4 KB; the handler
// validates it again with the config schema, so a function deployed wrong fails at cold start
// naming the field.
import { gunzipSync, gzipSync } from "node:zlib";
import * as z from "zod";
import { type MeshConfig, meshSchema } from "../config/mesh-schema.ts";
import { parseEnvironment, requiredVariables } from "./environment.ts";

export const MESH_RECONCILE_ENV = {
  /** The config's mesh section: JSON, gzipped, base64 (encodeMeshConfig). */
  mesh: "LAKESYNC_MESH_CONFIG",
  /** JSON object: account id -> the mesh writer role the function assumes there (central included). */
  accountRoles: "LAKESYNC_MESH_ACCOUNT_ROLES",
  /** The writer role of an account the config no longer declares (prune): "{account}" is replaced. */
  accountRoleTemplate: "LAKESYNC_MESH_ACCOUNT_ROLE_TEMPLATE",
  /** "true" to remove what the config no longer declares; scheduled runs default to "false". */
  prune: "LAKESYNC_MESH_PRUNE",
  /** SNS topic told when a run ends with failed operations. */
  alertTopicArn: "LAKESYNC_MESH_ALERT_TOPIC_ARN",
  /**
   * The central crawlers' role, set when the mesh has crawlers: the reconciler grants it Lake
   * Formation CREATE_TABLE/ALTER/DESCRIBE on the crawler databases and DATA_LOCATION_ACCESS on the
   * registered locations, without which a crawl cannot write tables.
   */
  crawlerRoleArn: "LAKESYNC_MESH_CRAWLER_ROLE_ARN",
} as const;

/** Lambda's limit on the total size of a function's environment variables (names and values). */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

const roleArn = z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/);

const schema = z.object({
  [MESH_RECONCILE_ENV.mesh]: z.string().min(1),
  [MESH_RECONCILE_ENV.accountRoles]: z.string().min(1),
  [MESH_RECONCILE_ENV.accountRoleTemplate]: z.string().includes("{account}"),
  [MESH_RECONCILE_ENV.prune]: z.enum(["true", "false"]).default("false"),
  [MESH_RECONCILE_ENV.alertTopicArn]: z.string().startsWith("arn:"),
  [MESH_RECONCILE_ENV.crawlerRoleArn]: roleArn.optional(),
  AWS_REGION: z.string().min(1),
});

/** What the central stack must set for the reconciler function. */
export const MESH_RECONCILE_REQUIRED_ENV = requiredVariables(schema);

export interface MeshReconcileEnvironment {
  mesh: MeshConfig;
  /** Account id -> role ARN assumed to act there. */
  accountRoles: Record<string, string>;
  accountRoleTemplate: string;
  prune: boolean;
  alertTopicArn: string;
  /** Absent when the mesh has no crawlers. */
  crawlerRoleArn?: string;
  region: string;
}

export function encodeMeshConfig(mesh: MeshConfig): string {
  return gzipSync(JSON.stringify(mesh)).toString("base64");
}

export function parseMeshReconcileEnv(env: Record<string, string | undefined>): MeshReconcileEnvironment {
  const data = parseEnvironment(schema, env, "mesh reconciler");
  const fail = (name: string, problem: string): never => {
    throw new Error(`invalid mesh reconciler configuration: ${name}: ${problem}`);
  };
  let meshJson: unknown;
  try {
    meshJson = JSON.parse(gunzipSync(Buffer.from(data[MESH_RECONCILE_ENV.mesh], "base64")).toString("utf8"));
  } catch (error) {
    fail(MESH_RECONCILE_ENV.mesh, `not gzipped base64 JSON (${(error as Error).message})`);
  }
  const mesh = meshSchema.safeParse(meshJson);
  if (!mesh.success) {
    const issue = mesh.error.issues[0];
    fail(MESH_RECONCILE_ENV.mesh, `${issue?.path.join(".")}: ${issue?.message}`);
  }
  let roles: unknown;
  try {
    roles = JSON.parse(data[MESH_RECONCILE_ENV.accountRoles]);
  } catch (error) {
    fail(MESH_RECONCILE_ENV.accountRoles, `not JSON (${(error as Error).message})`);
  }
  const accountRoles = z.record(z.string().regex(/^\d{12}$/), roleArn).safeParse(roles);
  if (!accountRoles.success) {
    fail(MESH_RECONCILE_ENV.accountRoles, "expected a JSON object of 12-digit account id -> IAM role ARN");
  }
  return {
    mesh: mesh.data as MeshConfig,
    accountRoles: accountRoles.data as Record<string, string>,
    accountRoleTemplate: data[MESH_RECONCILE_ENV.accountRoleTemplate],
    prune: data[MESH_RECONCILE_ENV.prune] === "true",
    alertTopicArn: data[MESH_RECONCILE_ENV.alertTopicArn],
    ...(data[MESH_RECONCILE_ENV.crawlerRoleArn]
      ? { crawlerRoleArn: data[MESH_RECONCILE_ENV.crawlerRoleArn] }
      : {}),
    region: data.AWS_REGION,
  };
}
