// The mesh reconciler's ports over a wiring's clients: live reads through the catalog reader,
// writes through the shared executor (see base.ts); and the deployed reconciler's run, which
// tells the alert topic when operations fail.
import { RAMClient } from "@aws-sdk/client-ram";
import { PublishCommand } from "@aws-sdk/client-sns";
import type { MeshReconcileEnvironment } from "../../deploy/mesh-env.ts";
import { type MeshPorts, reconcileMesh } from "../../mesh/reconcile.ts";
import { meshSpecOf } from "../../mesh/spec-of-config.ts";
import { execute } from "../../operations/executor.ts";
import { type ClientOptions, type ClientRegistry, withClients } from "../clients.ts";
import { deferredSns } from "../lazy/deferred-clients.ts";
import { readMeshAccount } from "../mesh-reader.ts";
import { ExecutorWiring } from "./executor.ts";

export interface MeshReconcileOutcome {
  planned: number;
  applied: number;
  failed: number;
  failures: { operation: string; account: string; reason: string }[];
}

export class MeshWiring extends ExecutorWiring {
  /**
   * Adds what the mesh uses beyond the executor's clients: RAM invitations, and the alert topic
   * (deferred: a run alerts only when operations fail).
   */
  constructor(registry: ClientRegistry = {}, options?: ClientOptions) {
    super(
      withClients(registry, {
        ram: RAMClient,
        sns: deferredSns,
      }),
      options,
    );
  }

  meshPorts(): MeshPorts {
    return {
      readAccount: (where, options) => readMeshAccount(this.clients, where, options),
      execute: (operations) => execute(operations, this.executeDeps()),
    };
  }

  /** One scheduled run: the mesh applied through the deployed writer roles. */
  async reconcileDeployed(environment: MeshReconcileEnvironment): Promise<MeshReconcileOutcome> {
    const spec = meshSpecOf(
      environment.mesh,
      environment,
      environment.crawlerRoleArn ? { crawlerRoleArn: environment.crawlerRoleArn } : {},
    );
    const { plan, report } = await reconcileMesh(spec, this.meshPorts(), {
      prune: environment.prune,
      dryRun: false,
    });
    const failures = (report?.results ?? []).flatMap(({ operation, outcome }) =>
      outcome.status === "failed"
        ? [{ operation: operation.description, account: operation.target.account, reason: outcome.reason }]
        : [],
    );
    if (failures.length > 0) {
      await this.clients.get("sns", { region: environment.region }).send(
        new PublishCommand({
          TopicArn: environment.alertTopicArn,
          Subject: `lakesync: mesh reconcile: ${failures.length} operation(s) failed`,
          Message: JSON.stringify({ failures }, null, 2),
        }),
      );
    }
    return {
      planned: plan.operations.length,
      applied: report?.summary.applied ?? 0,
      failed: failures.length,
      failures,
    };
  }
}
