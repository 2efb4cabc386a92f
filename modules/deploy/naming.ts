// Names shared by the stacks (which create the resources) and the handlers (which use them), so
// the two cannot drift apart.
import type { LakesyncConfig, TargetConfig } from "../config/schema.ts";

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
