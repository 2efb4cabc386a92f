// The backup manifest: what one backup holds and how to check it. It is written last, so a
// folder with a manifest is a complete backup; a folder without one is a run in progress (or
// an abandoned one) and is never restored from.

import { type SnapshotKind, snapshotKinds } from "../catalog/model.ts";
import * as z from "../config/zod-mini.ts";

export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_NAME = "manifest.json";

const kindCounts = z.partialRecord(z.enum(snapshotKinds), z.int().check(z.nonnegative()));
export type KindCounts = Partial<Record<SnapshotKind, number>>;

export const partSchema = z.strictObject({
  /** File name inside the backup folder, e.g. part-00001.jsonl.gz. */
  name: z.string().check(z.regex(/^[\w.-]+\.jsonl\.gz$/)),
  records: z.int().check(z.nonnegative()),
  /** Size of the stored (gzip) object. */
  bytes: z.int().check(z.nonnegative()),
  /** SHA-256 of the stored (gzip) bytes, hex: checked before a part is decoded. */
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  counts: kindCounts,
  /** The part's first record, so a reader opens the part only when the merge reaches it. */
  first: z.optional(z.strictObject({ kind: z.enum(snapshotKinds), key: z.string() })),
});
export type BackupPart = z.infer<typeof partSchema>;

export const manifestSchema = z.strictObject({
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  tool: z.literal("lakesync"),
  /** The folder name: the backup's id, sortable by time. */
  id: z.string().check(z.minLength(1)),
  source: z.strictObject({
    account: z.string().check(z.regex(/^\d{12}$/)),
    region: z.string().check(z.minLength(1)),
  }),
  /** When the snapshot read started and when the manifest was written (ISO 8601). */
  startedAt: z.iso.datetime(),
  completedAt: z.iso.datetime(),
  databases: z.union([z.literal("all"), z.array(z.string())]),
  totalRecords: z.int().check(z.nonnegative()),
  counts: kindCounts,
  parts: z.array(partSchema),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

export class BackupFormatError extends Error {
  override readonly name = "BackupFormatError";
}

export function parseManifest(text: string, where: string): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BackupFormatError(`${where}: manifest is not JSON: ${(error as Error).message}`);
  }
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === "number" && version > BACKUP_FORMAT_VERSION) {
    throw new BackupFormatError(
      `${where}: written by a newer lakesync (format ${version}); this one reads format ${BACKUP_FORMAT_VERSION}`,
    );
  }
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new BackupFormatError(
      `${where}: not a lakesync backup manifest (format ${BACKUP_FORMAT_VERSION}): ${problems.join("; ")}`,
    );
  }
  return result.data;
}

export function addCounts(into: KindCounts, from: KindCounts): KindCounts {
  for (const [kind, count] of Object.entries(from) as [SnapshotKind, number][])
    into[kind] = (into[kind] ?? 0) + count;
  return into;
}

/** Manifest of a backup made of these parts, counts summed over them. */
export function buildManifest(
  input: Omit<BackupManifest, "formatVersion" | "tool" | "totalRecords" | "counts">,
): BackupManifest {
  const counts: KindCounts = {};
  for (const part of input.parts) addCounts(counts, part.counts);
  return {
    formatVersion: BACKUP_FORMAT_VERSION,
    tool: "lakesync",
    ...input,
    totalRecords: input.parts.reduce((sum, p) => sum + p.records, 0),
    counts,
  };
}
