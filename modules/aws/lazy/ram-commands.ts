// RAM's command table for the operation runner (operation-runner.ts), imported on the first RAM
// operation: only the mesh reconciler plans one, so other bundles keep the RAM client in a chunk.
import { AcceptResourceShareInvitationCommand } from "@aws-sdk/client-ram";
import type { RamApi } from "../../operations/apis.ts";
import type { AnyCommand } from "../operation-runner.ts";

export const ramCommands = {
  AcceptResourceShareInvitation: AcceptResourceShareInvitationCommand,
} satisfies Record<RamApi, AnyCommand>;
