// The mesh reconciler's live reads: one account's catalog through the catalog snapshot reader
// (no partitions; LF-tag assignments where asked), folded into the mesh's LiveCatalog.
import type { SnapshotRecord } from "../catalog/model.ts";
import { type LiveCatalog, liveCatalogOf } from "../mesh/live.ts";
import type { MeshAccount } from "../mesh/spec.ts";
import { readCatalogSnapshot } from "./catalog-reader.ts";
import type { AwsClients } from "./clients.ts";

export async function readMeshAccount(
  clients: AwsClients,
  where: MeshAccount,
  options: { tags: boolean },
): Promise<LiveCatalog> {
  const records: SnapshotRecord[] = [];
  for await (const record of readCatalogSnapshot(clients, where, {
    databases: "all",
    partitions: false,
    assignedTags: options.tags,
  })) {
    records.push(record);
  }
  return liveCatalogOf(where.account, records);
}
