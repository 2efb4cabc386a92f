// The stacks as Terraform JSON, with the lookups the contract and journal tests share.
import { readFileSync } from "node:fs";
import { type TerraformStack, Testing } from "cdktf";
import type { Construct } from "constructs";
import { parseConfig } from "../../modules/config/load.ts";
import type { LakesyncConfig } from "../../modules/config/schema.ts";
import { BatchStack } from "../../stacks/batch-stack.ts";
import { NodejsFunction } from "../../stacks/constructs/nodejs-function.ts";
import { addMeshStacks } from "../../stacks/lakesync-app.ts";
import { RealtimeCaptureStack } from "../../stacks/realtime-capture-stack.ts";
import { SnowflakeSyncStack } from "../../stacks/snowflake-sync-stack.ts";
import { TargetAccessStack } from "../../stacks/target-access-stack.ts";
import { sampleMesh } from "../support/mesh.ts";

export type TerraformJson = {
  resource: Record<string, Record<string, Record<string, unknown>>>;
};

export interface Synthesized<S extends TerraformStack = TerraformStack> {
  stack: S;
  json: TerraformJson;
  /** The synthesized block of one construct's resource. */
  resourceOf(type: string, construct: Construct): Record<string, unknown>;
}

export function synthesize<S extends TerraformStack>(stack: S): Synthesized<S> {
  const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
  return {
    stack,
    json,
    resourceOf(type, construct) {
      const id = stack.getLogicalId(construct as never);
      const block = json.resource[type]?.[id];
      if (!block) throw new Error(`no ${type}.${id} in the synthesized stack`);
      return block;
    },
  };
}

/** Every stack main.ts creates for `config`, except the Snowflake account stack (no AWS resources). */
export function synthesizeAll(config: LakesyncConfig) {
  const app = Testing.app();
  const mesh = config.mesh ? addMeshStacks(app, config, config.mesh) : undefined;
  return {
    realtime: synthesize(new RealtimeCaptureStack(app, "realtime", config)),
    batch: synthesize(new BatchStack(app, "batch", config)),
    snowflake: config.snowflake
      ? [synthesize(new SnowflakeSyncStack(app, "snowflake", config, config.snowflake))]
      : [],
    targets: config.targets.map((target) => ({
      target,
      synth: synthesize(new TargetAccessStack(app, `target-${target.name}`, config, target)),
    })),
    /** The mesh's stacks (central, each producer, each consumer) when the config declares one. */
    mesh: mesh && {
      central: synthesize(mesh.central),
      producers: mesh.producers.map(synthesize),
      consumers: mesh.consumers.map(synthesize),
    },
  };
}

export function functionsOf(stack: TerraformStack): NodejsFunction[] {
  return stack.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction);
}

export interface Statement {
  Action: string | string[];
  Resource: string | string[];
}

export function statementsOf(policy: unknown): Statement[] {
  return (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;
}

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** Whether the statements allow `action` (IAM action names are case-insensitive; `*` globs). */
export function allows(statements: readonly Statement[], action: string): boolean {
  return statements.some((s) =>
    list(s.Action).some((pattern) =>
      new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action),
    ),
  );
}

export function resourcesAllowed(statements: readonly Statement[], action: string): string[] {
  return statements.filter((s) => list(s.Action).includes(action)).flatMap((s) => list(s.Resource));
}

/**
 * The example config with every optional part that adds resources: the Snowflake storage
 * integration (the account stack), the mesh and HTTPS alarm subscriptions.
 */
export function fullConfig(example: LakesyncConfig): LakesyncConfig {
  const { $schema: _, ...rest } = JSON.parse(readFileSync("lakesync.config.example.json", "utf8"));
  return parseConfig(
    {
      ...rest,
      snowflake: {
        ...rest.snowflake,
        storageIntegration: {
          name: "LAKESYNC_S3",
          storageAwsRoleArn: `arn:aws:iam::${example.source.account}:role/lakesync-snowflake-stages`,
          allowedLocations: Object.values(rest.snowflake.stages as Record<string, string>),
        },
      },
      mesh: sampleMesh(),
      deployment: {
        ...rest.deployment,
        alarms: { subscriptions: [{ protocol: "https", endpoint: "https://hooks.example.com/lakesync" }] },
      },
    },
    "full config",
  );
}
