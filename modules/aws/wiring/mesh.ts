// The mesh reconciler's ports over a wiring's clients: live reads through the catalog reader,
// writes through the shared executor (see base.ts).

import type { MeshPorts } from "../../mesh/reconcile.ts";
import { execute } from "../../operations/executor.ts";
import { readMeshAccount } from "../mesh-reader.ts";
import { ExecutorWiring } from "./executor.ts";

export class MeshWiring extends ExecutorWiring {
  meshPorts(): MeshPorts {
    return {
      readAccount: (where, options) => readMeshAccount(this.clients, where, options),
      execute: (operations) => execute(operations, this.executeDeps()),
    };
  }
}
