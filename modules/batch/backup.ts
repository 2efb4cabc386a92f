// Backup and restore-side reading: a snapshot stream -> gzip JSONL parts + manifest (written
// last), retention, and a backup folder -> one canonically ordered record stream again.

import { PartEncoder, partName, storedPartRecords } from "../backup/jsonl.ts";
import { type BackupSource, backupFolder, backupId, isBackupId, sourceFolder } from "../backup/layout.ts";
import {
  BackupFormatError,
  type BackupManifest,
  type BackupPart,
  buildManifest,
  MANIFEST_NAME,
  parseManifest,
} from "../backup/manifest.ts";
import { mergeSources } from "../backup/merge.ts";
import { expiredBackups, newestBackup } from "../backup/retention.ts";
import type { RecordStream, SnapshotRecord } from "../catalog/model.ts";
import type { BackupStorage, ProgressListener } from "./ports.ts";

/**
 * Records per part. A part is gzipped as its records arrive (PartEncoder), so this bounds the
 * compressed bytes held before the upload (a few MB), not records.
 */
export const defaultPartRecords = 20_000;

export interface WriteBackupInput {
  source: BackupSource;
  prefix: string;
  databases: "all" | string[];
  records: RecordStream;
  partRecords?: number;
}

export interface BackupDeps {
  storage: BackupStorage;
  now: () => Date;
  onProgress?: ProgressListener;
}

export interface WrittenBackup {
  folder: string;
  manifest: BackupManifest;
}

/** Finishes an encoded part and stores it; used by the CLI backup and by each handler work unit. */
async function storePart(
  storage: BackupStorage,
  folder: string,
  name: string,
  encoder: PartEncoder,
): Promise<BackupPart> {
  const encoded = await encoder.finish();
  await storage.put(`${folder}${name}`, encoded.body, "application/gzip");
  return {
    name,
    records: encoded.records,
    bytes: encoded.body.length,
    sha256: encoded.sha256,
    counts: encoded.counts,
    ...(encoded.first ? { first: encoded.first } : {}),
  };
}

/**
 * Writes a record stream as sequential parts of at most `partRecords` records (one part even when
 * the stream is empty): memory is one part's compressed bytes, however long the stream. `name(n)`
 * names part n (1-based); `onPart` hears of each part stored.
 */
export async function writeParts(
  storage: BackupStorage,
  folder: string,
  records: RecordStream,
  options: {
    name: (n: number) => string;
    partRecords?: number;
    onRecord?: (total: number) => void;
    onPart?: (part: BackupPart, total: number) => void;
  },
): Promise<BackupPart[]> {
  const limit = Math.max(1, options.partRecords ?? defaultPartRecords);
  const parts: BackupPart[] = [];
  let encoder = new PartEncoder();
  let total = 0;
  const flush = async () => {
    const part = await storePart(storage, folder, options.name(parts.length + 1), encoder);
    parts.push(part);
    encoder = new PartEncoder();
    options.onPart?.(part, total);
  };
  for await (const record of records) {
    await encoder.add(record);
    total += 1;
    options.onRecord?.(total);
    if (encoder.size >= limit) await flush();
  }
  if (encoder.size > 0 || parts.length === 0) await flush();
  return parts;
}

export async function writeManifest(
  storage: BackupStorage,
  folder: string,
  manifest: BackupManifest,
): Promise<void> {
  await storage.put(
    `${folder}${MANIFEST_NAME}`,
    Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
    "application/json",
  );
}

export async function writeBackup(deps: BackupDeps, input: WriteBackupInput): Promise<WrittenBackup> {
  const startedAt = deps.now();
  const id = backupId(startedAt);
  const folder = backupFolder(input.prefix, input.source, id);
  const parts = await writeParts(deps.storage, folder, input.records, {
    name: partName,
    ...(input.partRecords ? { partRecords: input.partRecords } : {}),
    onRecord: (total) => {
      if (total % 500 === 0) deps.onProgress?.({ phase: "read", side: "source", records: total });
    },
    onPart: (part, total) =>
      deps.onProgress?.({ phase: "write-part", part: part.name, records: part.records, totalRecords: total }),
  });
  const manifest = buildManifest({
    id,
    source: { account: input.source.account, region: input.source.region },
    startedAt: startedAt.toISOString(),
    completedAt: deps.now().toISOString(),
    databases: input.databases,
    parts,
  });
  await writeManifest(deps.storage, folder, manifest);
  return { folder, manifest };
}

/** Ids of the complete backups (those with a manifest) of one source. */
export async function completeBackupIds(
  storage: BackupStorage,
  prefix: string,
  source: BackupSource,
): Promise<string[]> {
  const base = sourceFolder(prefix, source);
  const ids = (await storage.folders(base))
    .map((f) => f.slice(base.length).replace(/\/$/, ""))
    .filter(isBackupId);
  const complete: string[] = [];
  for (const id of ids) {
    if (await storage.get(`${base}${id}/${MANIFEST_NAME}`)) complete.push(id);
  }
  return complete.sort();
}

export interface RetentionResult {
  kept: string[];
  deleted: string[];
}

/** Deletes the oldest complete backups so `keep` remain (never the newest). */
export async function applyRetention(
  storage: BackupStorage,
  prefix: string,
  source: BackupSource,
  keep: number,
): Promise<RetentionResult> {
  const ids = await completeBackupIds(storage, prefix, source);
  const deleted = expiredBackups(ids, keep);
  for (const id of deleted) await storage.deleteAll(backupFolder(prefix, source, id));
  return { kept: ids.filter((id) => !deleted.includes(id)), deleted };
}

/** The newest complete backup's folder, for `restore --from latest`. */
export async function latestBackupFolder(
  storage: BackupStorage,
  prefix: string,
  source: BackupSource,
): Promise<string> {
  const id = newestBackup(await completeBackupIds(storage, prefix, source));
  if (!id) {
    throw new BackupFormatError(
      `no complete backup under s3://${storage.bucket}/${sourceFolder(prefix, source)}`,
    );
  }
  return backupFolder(prefix, source, id);
}

export async function readManifest(storage: BackupStorage, folder: string): Promise<BackupManifest> {
  const where = `s3://${storage.bucket}/${folder}${MANIFEST_NAME}`;
  const body = await storage.get(`${folder}${MANIFEST_NAME}`);
  if (!body)
    throw new BackupFormatError(`${where}: no manifest (not a backup, or a backup still being written)`);
  return parseManifest(Buffer.from(body).toString("utf8"), where);
}

async function* partRecords(
  storage: BackupStorage,
  folder: string,
  part: BackupPart,
): AsyncGenerator<SnapshotRecord> {
  const where = `s3://${storage.bucket}/${folder}${part.name}`;
  const body = await storage.get(`${folder}${part.name}`);
  if (!body) throw new BackupFormatError(`${where}: part listed in the manifest is missing`);
  yield* storedPartRecords(body, part, where);
}

/** The backup's snapshot in canonical order (parts are verified as they are opened). */
export function readBackupRecords(
  storage: BackupStorage,
  folder: string,
  manifest: BackupManifest,
): AsyncGenerator<SnapshotRecord> {
  return readParts(storage, folder, manifest.parts);
}

/** Some parts of a backup folder merged in canonical order (a work unit's parts, for its sync). */
export function readParts(
  storage: BackupStorage,
  folder: string,
  parts: readonly BackupPart[],
): AsyncGenerator<SnapshotRecord> {
  return mergeSources(
    parts
      .filter((part) => part.records > 0)
      .map((part) => ({
        ...(part.first ? { first: part.first } : {}),
        open: () => partRecords(storage, folder, part),
      })),
  );
}
