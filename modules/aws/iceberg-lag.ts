// Replication lag of rewritten Iceberg tables, for `lakesync diff`: the data and delete files the
// current snapshot of each target table lakesync rewrote names (in the target bucket), and how many
// of them S3 replication has not copied yet. A warning, not a difference: the catalog matches,
// the objects are on their way.
import pLimit from "p-limit";
import { currentSnapshotFiles } from "../iceberg/data-files.ts";
import { MissingIcebergFile } from "../iceberg/errors.ts";
import { pointerOf } from "../iceberg/paths.ts";
import { isIcebergTable } from "../mapping/iceberg-tables.ts";
import type { CatalogLocation } from "../operations/operation.ts";
import { readCatalogSnapshot } from "./catalog-reader.ts";
import type { AwsClients } from "./clients.ts";
import { S3IcebergFileStore } from "./iceberg-file-store.ts";

export interface IcebergLag {
  table: string;
  /** Live data and delete files of the current snapshot. */
  files: number;
  /** Those the target bucket does not have yet. */
  missing: number;
}

/** Rewritten Iceberg tables of a target whose current snapshot names files the target lacks. */
export async function icebergReplicationLag(
  clients: AwsClients,
  target: CatalogLocation,
  databases: "all" | readonly string[],
): Promise<IcebergLag[]> {
  const location = {
    region: target.region,
    account: target.account,
    ...(target.roleArn ? { roleArn: target.roleArn } : {}),
  };
  const tables: { name: string; metadataLocation: string }[] = [];
  for await (const record of readCatalogSnapshot(clients, location, {
    databases,
    scope: "databases",
    partitions: false,
    assignedTags: false,
  })) {
    if (record.kind !== "table") continue;
    const input = record.value.TableInput as Record<string, unknown>;
    const metadataLocation = (input.Parameters as Record<string, unknown> | undefined)?.metadata_location;
    if (!isIcebergTable(input) || typeof metadataLocation !== "string") continue;
    if (pointerOf(metadataLocation) === metadataLocation) continue; // not rewritten by lakesync
    tables.push({ name: `${record.value.DatabaseName}.${String(input.Name)}`, metadataLocation });
  }
  const s3 = clients.get("s3", location);
  const store = new S3IcebergFileStore(() => s3);
  const heads = pLimit(16);
  const lags: IcebergLag[] = [];
  for (const table of tables) {
    let files: string[];
    try {
      files = await currentSnapshotFiles({ metadataLocation: table.metadataLocation, store });
    } catch (error) {
      if (error instanceof MissingIcebergFile) continue; // the rewrite itself is incomplete: the diff shows it
      throw error;
    }
    const present = await Promise.all(files.map((file) => heads(() => store.exists(file))));
    const missing = present.filter((exists) => !exists).length;
    if (missing > 0) lags.push({ table: table.name, files: files.length, missing });
  }
  return lags;
}
