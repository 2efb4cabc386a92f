// A backup part: snapshot records as JSON Lines, gzip-compressed, with the SHA-256 of the stored
// bytes. Decoding checks the checksum first and validates every line, so a truncated or edited
// part fails loudly instead of restoring a partial catalog.
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import * as z from "zod";
import { type SnapshotRecord, snapshotKinds } from "../catalog/model.ts";
import { BackupFormatError, type KindCounts } from "./manifest.ts";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const recordSchema = z.strictObject({
  kind: z.enum(snapshotKinds),
  key: z.string(),
  value: z.record(z.string(), z.unknown()),
});

export function encodeLines(records: readonly SnapshotRecord[]): string {
  return records.map((r) => `${JSON.stringify({ kind: r.kind, key: r.key, value: r.value })}\n`).join("");
}

export function decodeLines(text: string, where: string): SnapshotRecord[] {
  const out: SnapshotRecord[] = [];
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    if (line === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new BackupFormatError(`${where} line ${i + 1}: not JSON: ${(error as Error).message}`);
    }
    const parsed = recordSchema.safeParse(json);
    if (!parsed.success)
      throw new BackupFormatError(
        `${where} line ${i + 1}: not a snapshot record: ${parsed.error.issues[0]?.message}`,
      );
    out.push(parsed.data as SnapshotRecord);
  }
  return out;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

export interface EncodedPart {
  body: Buffer;
  sha256: string;
  records: number;
  counts: KindCounts;
}

export async function encodePart(records: readonly SnapshotRecord[]): Promise<EncodedPart> {
  const body = await gzipAsync(Buffer.from(encodeLines(records), "utf8"));
  const counts: KindCounts = {};
  for (const r of records) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  return { body, sha256: sha256Hex(body), records: records.length, counts };
}

export async function decodePart(
  body: Uint8Array,
  expectedSha256: string,
  where: string,
): Promise<SnapshotRecord[]> {
  const actual = sha256Hex(body);
  if (actual !== expectedSha256) {
    throw new BackupFormatError(
      `${where}: checksum mismatch (manifest sha256 ${expectedSha256}, object ${actual})`,
    );
  }
  return decodeLines((await gunzipAsync(body)).toString("utf8"), where);
}

export function partName(index: number): string {
  return `part-${String(index).padStart(5, "0")}.jsonl.gz`;
}
