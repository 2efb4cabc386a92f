// Each Lambda handler's deployment contract: its entry file and the environment variables it
// cannot start without. The stacks deploy handlers by these entries (never by importing them), and
// the synth test checks each deployed function against its contract (test/stacks/contracts.test.ts).
import { BATCH_REQUIRED_ENV } from "../batch/env.ts";
import { CAPTURE_REQUIRED_ENV } from "../capture/env.ts";
import { REPLICATOR_REQUIRED_ENV } from "../replicator/env.ts";
import { SNOWFLAKE_SYNC_REQUIRED_ENV } from "../snowflake/env.ts";
import { MESH_RECONCILE_REQUIRED_ENV } from "./mesh-env.ts";

export interface HandlerContract {
  /** Module exporting `handler`, relative to the repository root. */
  entry: string;
  requiredEnv: readonly string[];
  /**
   * The handler traces its SDK calls when TRACE_SDK_CALLS_VARIABLE says so: the stacks set it on
   * its function from deployment.lambda.traceSdkCalls.
   */
  tracesSdkCalls?: true;
}

export const HANDLERS = {
  captureEventBridge: { entry: "handlers/capture-eventbridge.ts", requiredEnv: CAPTURE_REQUIRED_ENV },
  pollCloudTrail: { entry: "handlers/poll-cloudtrail.ts", requiredEnv: CAPTURE_REQUIRED_ENV },
  replicate: { entry: "handlers/replicate.ts", requiredEnv: REPLICATOR_REQUIRED_ENV, tracesSdkCalls: true },
  batchStart: { entry: "handlers/batch-start.ts", requiredEnv: BATCH_REQUIRED_ENV },
  batchWorker: { entry: "handlers/batch-worker.ts", requiredEnv: BATCH_REQUIRED_ENV, tracesSdkCalls: true },
  snowflakeSync: { entry: "handlers/snowflake-sync.ts", requiredEnv: SNOWFLAKE_SYNC_REQUIRED_ENV },
  /** The scheduled mesh reconciler, deployed by the mesh central stack when the config has a mesh. */
  meshReconcile: { entry: "handlers/mesh-reconcile.ts", requiredEnv: MESH_RECONCILE_REQUIRED_ENV },
} as const satisfies Record<string, HandlerContract>;

/** Whether the handler deployed from `entry` traces SDK calls (its contract's tracesSdkCalls). */
export function tracesSdkCalls(entry: string): boolean {
  return Object.values(HANDLERS).some(
    (contract: HandlerContract) => contract.entry === entry && contract.tracesSdkCalls === true,
  );
}
