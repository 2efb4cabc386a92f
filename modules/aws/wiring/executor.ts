// The operation runner over a wiring's clients, and what the executor and the replicator need
// around it (see base.ts).

import { GlueClient } from "@aws-sdk/client-glue";
import { LakeFormationClient } from "@aws-sdk/client-lakeformation";
import type { ExecuteDeps } from "../../operations/executor.ts";
import type { Runner } from "../../operations/runner.ts";
import type { ReplicatorLog } from "../../replicator/ports.ts";
import type { ReplicatorDeps } from "../../replicator/replicate-event.ts";
import { type ClientOptions, type ClientRegistry, withClients } from "../clients.ts";
import type { JournalStore } from "../journal-store.ts";
import { deferredS3 } from "../lazy/deferred-clients.ts";
import { createOperationRunner } from "../operation-runner.ts";
import { AwsWiring, OPERATION_ATTEMPTS, sleep } from "./base.ts";

/** Where the replicator's failures go: a dead-letter queue and an alert topic, or (CLI) a function. */
export type FailurePorts = Pick<ReplicatorDeps, "deadLetters" | "alerts">;

export class ExecutorWiring extends AwsWiring {
  readonly run: Runner;

  /**
   * The runner's own clients (Glue, Lake Formation, S3 for Iceberg rewrites) are added to
   * `registry` where it lacks them; S3 deferred, as only Iceberg table writes read it.
   */
  constructor(registry: ClientRegistry = {}, options?: ClientOptions) {
    super(
      withClients(registry, {
        glue: GlueClient,
        lakeformation: LakeFormationClient,
        s3: deferredS3,
      }),
      options,
    );
    this.run = createOperationRunner(this.clients);
  }

  /** The executor's dependencies: the runner, real time, OPERATION_ATTEMPTS per operation. */
  executeDeps(options: Pick<ExecuteDeps, "concurrency" | "onProgress"> = {}): ExecuteDeps {
    return {
      run: this.run,
      sleep,
      now: Date.now,
      maxAttempts: OPERATION_ATTEMPTS,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    };
  }

  replicatorDeps(journal: JournalStore, failures: FailurePorts, log: ReplicatorLog): ReplicatorDeps {
    return { journal, run: this.run, sleep, now: () => new Date(), ...failures, log };
  }
}
