// Every stack lakesync deploys for a config, one per region and account role: what main.ts
// synthesizes and what the checkov and synth tests scan. A mesh adds one stack per mesh account
// (central, each producer, each consumer); its Lake Formation state is the reconciler's.
import type { App } from "cdktf";
import type { LakesyncConfig, MeshConfig } from "../modules/config/schema.ts";
import { BatchStack } from "./batch-stack.ts";
import { MeshCentralStack } from "./mesh-central-stack.ts";
import { MeshConsumerStack } from "./mesh-consumer-stack.ts";
import { MeshProducerStack } from "./mesh-producer-stack.ts";
import { RealtimeCaptureStack } from "./realtime-capture-stack.ts";
import { SnowflakeAccountStack } from "./snowflake-account-stack.ts";
import { SnowflakeSyncStack } from "./snowflake-sync-stack.ts";
import { TargetAccessStack } from "./target-access-stack.ts";

export interface LakesyncAppOptions {
  /** The Snowflake sync user's public key (PEM); the Snowflake account stack needs it. */
  snowflakePublicKey?: string;
  /** Told when a stack cannot be synthesized for want of an input. */
  warn?: (message: string) => void;
}

export function addLakesyncStacks(app: App, config: LakesyncConfig, options: LakesyncAppOptions = {}): void {
  new RealtimeCaptureStack(app, `lakesync-realtime-${config.source.name}`, config);
  new BatchStack(app, `lakesync-batch-${config.source.name}`, config);
  for (const target of config.targets) {
    new TargetAccessStack(app, `lakesync-target-${target.name}`, config, target);
  }
  if (config.mesh) addMeshStacks(app, config, config.mesh);
  if (!config.snowflake) return;
  new SnowflakeSyncStack(app, `lakesync-snowflake-${config.source.name}`, config, config.snowflake);
  const integration = config.snowflake.storageIntegration;
  if (integration && options.snowflakePublicKey) {
    new SnowflakeAccountStack(app, `lakesync-snowflake-account-${config.source.name}`, {
      snowflake: config.snowflake,
      storageAwsRoleArn: integration.storageAwsRoleArn,
      integrationName: integration.name,
      rsaPublicKey: options.snowflakePublicKey,
    });
  } else if (integration) {
    options.warn?.("set LAKESYNC_SNOWFLAKE_PUBLIC_KEY_FILE to synthesize the Snowflake account stack");
  }
}

/**
 * The mesh's stacks. The producers' bucket policies and the consumers' writer roles name roles the
 * central stack creates (IAM rejects a policy naming a missing principal), so central deploys first.
 */
export function addMeshStacks(app: App, config: LakesyncConfig, mesh: MeshConfig) {
  const central = new MeshCentralStack(app, "lakesync-mesh-central", config, mesh);
  const producers = mesh.producers.map(
    (producer) =>
      new MeshProducerStack(app, `lakesync-mesh-producer-${producer.name}`, config, mesh, producer),
  );
  const consumers = mesh.consumers.map(
    (consumer) =>
      new MeshConsumerStack(app, `lakesync-mesh-consumer-${consumer.name}`, config, mesh, consumer),
  );
  for (const stack of [...producers, ...consumers]) stack.addDependency(central);
  return { central, producers, consumers };
}
