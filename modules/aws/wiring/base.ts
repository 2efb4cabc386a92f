// The composition root's AWS half, shared by the Lambda handlers and the CLI commands, split so
// each entry point loads only the parts it uses (a handler's bundle and its IAM needs follow what
// it imports):
//   base.ts          one AwsClients per entry point (over the SDK clients it registers), real
//                    sleep, the attempt budget
//   journal.ts       the event journal store
//   executor.ts      the operation runner, the executor's and the replicator's dependencies
//   failure-ports.ts the deployed replicator's dead-letter queue and alert topic
//   snowflake.ts     the Snowflake sync's Glue reads and SQL API client
// Each entry point builds one wiring (a handler once per cold start, a command once per run) and
// adds only what is its own: its ports' targets (queues, topics), its logger, its progress display.
// There is no index file on purpose: one would load every part into every handler.
import { AwsClients, type ClientOptions, type ClientRegistry } from "../clients.ts";

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls per operation (batch entries included) before the executor gives up on it. */
export const OPERATION_ATTEMPTS = 5;

export class AwsWiring {
  readonly clients: AwsClients;

  /**
   * `registry` names the SDK clients the entry point uses (a handler's bundle carries only those);
   * `options` tune them (the bench's retry budget, a handler's tracer).
   */
  constructor(registry: ClientRegistry, options: ClientOptions = {}) {
    this.clients = new AwsClients(registry, options);
  }

  destroy(): void {
    this.clients.destroy();
  }
}
