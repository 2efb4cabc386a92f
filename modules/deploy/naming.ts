// Names shared by the stacks (which create the resources) and the handlers (which use them), so
// the two cannot drift apart.
import type { LakesyncConfig, MeshConfig, TargetConfig } from "../config/schema.ts";

export function resourcePrefix(config: Pick<LakesyncConfig, "source">): string {
  return `lakesync-${config.source.name}`;
}

/** Function names; each function's role is "<function name>-role". */
export function functionName(config: Pick<LakesyncConfig, "source">, purpose: string): string {
  return `${resourcePrefix(config)}-${purpose}`;
}

/** The role lakesync assumes to write a target catalog: the configured one, else the one TargetAccessStack creates. */
export function targetWriterRoleArn(config: Pick<LakesyncConfig, "source">, target: TargetConfig): string {
  return target.roleArn ?? `arn:aws:iam::${target.account}:role/${targetWriterRoleName(config, target)}`;
}

export function targetWriterRoleName(
  config: Pick<LakesyncConfig, "source">,
  target: Pick<TargetConfig, "name">,
): string {
  return `${resourcePrefix(config)}-${target.name}-writer`.slice(0, 64);
}

/** Source-side roles allowed to assume the target writer roles (replicator and batch worker). */
export function sourceWriterRoleArns(config: Pick<LakesyncConfig, "source" | "realtime">): string[] {
  const role = (purpose: string) =>
    `arn:aws:iam::${config.source.account}:role/${functionName(config, purpose)}-role`;
  return [config.realtime.replicatorRoleArn ?? role("replicate"), role("batch-worker")];
}

/** The scheduled mesh reconciler in the central account. */
export function meshReconcileFunctionName(config: Pick<LakesyncConfig, "source">): string {
  return functionName(config, "mesh-reconcile");
}

export function meshReconcileRoleArn(config: Pick<LakesyncConfig, "source">, mesh: MeshConfig): string {
  // NodejsFunction names a function's role "<function name>-role", cut to IAM's 64 characters.
  const roleName = `${meshReconcileFunctionName(config)}-role`.slice(0, 64);
  return `arn:aws:iam::${mesh.central.account}:role/${roleName}`;
}

/** The role the reconciler assumes to write Lake Formation and Glue state in each mesh account. */
export function meshWriterRoleName(config: Pick<LakesyncConfig, "source">): string {
  return `${resourcePrefix(config)}-mesh-writer`.slice(0, 64);
}

export function meshWriterRoleArn(config: Pick<LakesyncConfig, "source">, account: string): string {
  return `arn:aws:iam::${account}:role/${meshWriterRoleName(config)}`;
}

/** The central Glue crawlers' role. */
export function meshCrawlerRoleName(config: Pick<LakesyncConfig, "source">): string {
  return `${resourcePrefix(config)}-mesh-crawler`.slice(0, 64);
}

export function meshCrawlerRoleArn(config: Pick<LakesyncConfig, "source">, mesh: MeshConfig): string {
  return `arn:aws:iam::${mesh.central.account}:role/${meshCrawlerRoleName(config)}`;
}

/** The role Lake Formation uses to read the registered producer locations. */
export function meshDataAccessRoleArn(mesh: MeshConfig): string {
  return `arn:aws:iam::${mesh.central.account}:role/${mesh.central.dataAccessRoleName}`;
}
