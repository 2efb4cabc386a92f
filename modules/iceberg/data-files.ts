// The data and delete files a table's current snapshot reads, from its metadata tree (read
// through the store; for a rewritten tree, these are the target paths). A caller checks which
// of them the target bucket lacks yet (replication lag) before or after pointing a table at it.
import pLimit from "p-limit";
import { readAvroContainer } from "./avro-container.ts";
import { MissingIcebergFile } from "./errors.ts";
import type { IcebergFileStore } from "./file-store.ts";
import { liveFilePaths, manifestPaths } from "./manifests.ts";
import { metadataFileText, parseTableMetadata } from "./table-metadata.ts";

async function read(store: IcebergFileStore, uri: string): Promise<Uint8Array> {
  const bytes = await store.get(uri);
  if (!bytes) throw new MissingIcebergFile(uri);
  return bytes;
}

export async function currentSnapshotFiles(input: {
  metadataLocation: string;
  store: IcebergFileStore;
}): Promise<string[]> {
  const { metadataLocation, store } = input;
  const document = parseTableMetadata(
    metadataFileText(metadataLocation, await read(store, metadataLocation)),
    metadataLocation,
  );
  const currentId = String(document["current-snapshot-id"] ?? "-1");
  const snapshots = Array.isArray(document.snapshots)
    ? (document.snapshots as Record<string, unknown>[])
    : [];
  const current = snapshots.find((snapshot) => String(snapshot["snapshot-id"]) === currentId);
  if (!current) return [];
  const list = current["manifest-list"];
  const manifests =
    typeof list === "string"
      ? manifestPaths(await readAvroContainer(await read(store, list), list), list)
      : ((current.manifests as string[] | undefined) ?? []);
  const reads = pLimit(16);
  const files = await Promise.all(
    manifests.map(async (uri) =>
      liveFilePaths(await readAvroContainer(await reads(() => read(store, uri)), uri), uri),
    ),
  );
  return [...new Set(files.flat())].sort();
}
