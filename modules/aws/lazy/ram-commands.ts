// RAM's command table for the operation runner (operation-runner.ts), imported on the first RAM
// operation: only the mesh reconciler plans one, so other bundles keep the RAM client in a chunk.
import { AcceptResourceShareInvitationCommand } from "@aws-sdk/client-ram";
import type { RamApi } from "../../operations/apis.ts";

// Typed as operation-runner.ts's AnyCommand, written out: importing the type from the runner, which
// imports this file, would make an import cycle.
export const ramCommands = {
  AcceptResourceShareInvitation: AcceptResourceShareInvitationCommand,
} satisfies Record<RamApi, new (input: never) => unknown>;
