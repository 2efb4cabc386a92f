// RAM: the one write the mesh reconciler makes there, accepting a resource share invitation.
import type * as Sdk from "@aws-sdk/client-ram";
import { type OperationOf, Phase, resourceKeys } from "../operation.ts";
import { type Destination, fields } from "./common.ts";

/**
 * AcceptResourceShareInvitation, in the settings phase: the shared resources must be visible to
 * the account before it links them or grants on them. Already accepted is a noop (create).
 */
export function acceptResourceShareInvitation(
  to: Destination,
  invitation: { arn: string; shareName: string; sender: string },
): OperationOf<"AcceptResourceShareInvitation"> {
  const input = {
    resourceShareInvitationArn: invitation.arn,
  } satisfies Sdk.AcceptResourceShareInvitationCommandInput;
  return {
    service: "ram",
    operation: "AcceptResourceShareInvitation",
    input,
    ...fields(
      to,
      resourceKeys.shareInvitation(invitation.arn),
      "create",
      Phase.settings,
      `accept RAM share ${invitation.shareName} from ${invitation.sender}`,
    ),
  };
}
