// The mesh reconciler's live reads: one account's catalog through the catalog snapshot reader
// (no partitions; LF-tag assignments where asked), folded into the mesh's LiveCatalog.

import { paginateGetResourceShareInvitations } from "@aws-sdk/client-ram";
import type { SnapshotRecord } from "../catalog/model.ts";
import { type LiveCatalog, liveCatalogOf, type ShareInvitation } from "../mesh/live.ts";
import type { MeshAccount } from "../mesh/spec.ts";
import { readCatalogSnapshot } from "./catalog-reader.ts";
import type { AwsClients } from "./clients.ts";

export async function readMeshAccount(
  clients: AwsClients,
  where: MeshAccount,
  options: { tags: boolean; invitations: boolean },
): Promise<LiveCatalog> {
  const records: SnapshotRecord[] = [];
  for await (const record of readCatalogSnapshot(clients, where, {
    databases: "all",
    partitions: false,
    assignedTags: options.tags,
  })) {
    records.push(record);
  }
  const live = liveCatalogOf(where.account, records);
  if (options.invitations) live.invitations = await readInvitations(clients, where);
  return live;
}

/** The RAM resource share invitations the account received. */
export async function readInvitations(clients: AwsClients, where: MeshAccount): Promise<ShareInvitation[]> {
  const invitations: ShareInvitation[] = [];
  for await (const page of paginateGetResourceShareInvitations({ client: clients.get("ram", where) }, {})) {
    for (const invitation of page.resourceShareInvitations ?? []) {
      invitations.push({
        arn: String(invitation.resourceShareInvitationArn),
        shareName: String(invitation.resourceShareName),
        sender: String(invitation.senderAccountId),
        status: String(invitation.status),
      });
    }
  }
  return invitations;
}
