// The composition root's AWS half, shared by the Lambda handlers and the CLI commands: one
// AwsClients, the operation runner over it, the executor's and the replicator's dependencies, the
// event journal, and the Snowflake sync's clients. Each entry point builds one of these (a handler
// once per cold start, a command once per run) and adds only what is its own: its ports' targets
// (queues, topics), its logger, its progress display.
import type { ExecuteDeps } from "../operations/executor.ts";
import type { Runner } from "../operations/runner.ts";
import type { ReplicatorLog } from "../replicator/ports.ts";
import type { ReplicatorDeps } from "../replicator/replicate-event.ts";
import { SqlApiClient } from "../snowflake/client.ts";
import { KeyPairTokenSource } from "../snowflake/jwt.ts";
import type { SnowflakeSettings } from "../snowflake/settings.ts";
import type { SyncDeps } from "../snowflake/sync.ts";
import { AwsClients, type AwsLocation } from "./clients.ts";
import { JournalStore } from "./journal-store.ts";
import { createOperationRunner } from "./operation-runner.ts";
import { SnsFailureAlerts, SqsDeadLetterQueue } from "./replicator-ports.ts";
import { SdkGlueTableSource } from "./snowflake-glue-source.ts";
import { secretsManagerPrivateKey } from "./snowflake-secret.ts";

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls per operation (batch entries included) before the executor gives up on it. */
export const OPERATION_ATTEMPTS = 5;

export interface JournalLocation extends AwsLocation {
  tableName: string;
  /** Bucket for records over DynamoDB's 400 KB item limit (the deployed journal has one). */
  recordBucket?: string | undefined;
}

/** Where the replicator's failures go: a dead-letter queue and an alert topic, or (CLI) a function. */
export type FailurePorts = Pick<ReplicatorDeps, "deadLetters" | "alerts">;

export class AwsWiring {
  readonly run: Runner;

  constructor(readonly clients: AwsClients = new AwsClients()) {
    this.run = createOperationRunner(clients);
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

  journal(where: JournalLocation): JournalStore {
    const { tableName, recordBucket, ...location } = where;
    return new JournalStore(this.clients.get("dynamodb", location), {
      tableName,
      ...(recordBucket ? { recordBucket, s3: this.clients.get("s3", location) } : {}),
    });
  }

  /** The deployed replicator's failure ports: SQS dead letters and SNS alerts in `region`. */
  failurePorts(region: string, queues: { deadLetterQueueUrl: string; alertTopicArn: string }): FailurePorts {
    return {
      deadLetters: new SqsDeadLetterQueue(this.clients.get("sqs", { region }), queues.deadLetterQueueUrl),
      alerts: new SnsFailureAlerts(this.clients.get("sns", { region }), queues.alertTopicArn),
    };
  }

  replicatorDeps(journal: JournalStore, failures: FailurePorts, log: ReplicatorLog): ReplicatorDeps {
    return { journal, run: this.run, sleep, now: () => new Date(), ...failures, log };
  }

  /** The Snowflake sync's Glue reads and SQL API client (key-pair auth, key from Secrets Manager). */
  snowflakeSync(settings: SnowflakeSettings, region: string): SyncDeps {
    const tokens = new KeyPairTokenSource(
      { account: settings.account, user: settings.user },
      secretsManagerPrivateKey(settings.secretArn, this.clients.get("secretsManager", { region })),
      Date.now,
    );
    const runner = new SqlApiClient({
      baseUrl: settings.apiUrl ?? `https://${settings.account}.snowflakecomputing.com`,
      tokens,
      warehouse: settings.warehouse,
      role: settings.role,
      timeoutSeconds: settings.statementTimeoutSeconds,
    });
    return { source: new SdkGlueTableSource(this.clients.get("glue", { region })), runner, settings };
  }

  destroy(): void {
    this.clients.destroy();
  }
}
