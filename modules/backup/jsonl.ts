// A backup part: snapshot records as JSON Lines, gzip-compressed, with the SHA-256 of the stored
// bytes. Decoding checks the checksum first and validates every line, so a truncated or edited
// part fails loudly instead of restoring a partial catalog.
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { type SnapshotKind, type SnapshotRecord, snapshotKinds } from "../catalog/model.ts";
import * as z from "../config/zod-mini.ts";
import { BackupFormatError, type KindCounts } from "./manifest.ts";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const recordSchema = z.strictObject({
  kind: z.enum(snapshotKinds),
  key: z.string(),
  value: z.record(z.string(), z.unknown()),
});

const name = z.string().check(z.minLength(1));
const resource = z.object({ Resource: z.record(z.string(), z.unknown()) });
/**
 * The identity fields each kind's readers, mapping and diff rely on: a record line without them
 * is refused with its line number, never met later as a TypeError.
 */
const valueByKind: Partial<Record<SnapshotKind, z.ZodMiniType>> = {
  database: z.object({ Name: name }),
  table: z.object({ DatabaseName: name, TableInput: z.object({ Name: name }) }),
  partition: z.object({
    DatabaseName: name,
    TableName: name,
    PartitionInput: z.object({ Values: z.array(z.string()) }),
  }),
  partitionIndex: z.object({ DatabaseName: name, TableName: name }),
  lfTag: z.object({ TagKey: name, TagValues: z.array(z.string()) }),
  dataCellsFilter: z.object({ DatabaseName: name, TableName: name, Name: name }),
  tagAssignment: resource,
  permission: z.extend(resource, { Principal: z.record(z.string(), z.unknown()) }),
};

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
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BackupFormatError(
        `${where} line ${i + 1}: not a snapshot record: ${issue?.path.join(".") || "(line)"}: ${issue?.message}`,
      );
    }
    const value = valueByKind[parsed.data.kind]?.safeParse(parsed.data.value);
    if (value && !value.success) {
      const issue = value.error.issues[0];
      throw new BackupFormatError(
        `${where} line ${i + 1}: not a ${parsed.data.kind} record: value.${issue?.path.join(".")}: ${issue?.message}`,
      );
    }
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
  let text: string;
  try {
    text = (await gunzipAsync(body)).toString("utf8");
  } catch (error) {
    throw new BackupFormatError(`${where}: not a complete gzip file (${(error as Error).message})`);
  }
  return decodeLines(text, where);
}

export function partName(index: number): string {
  return `part-${String(index).padStart(5, "0")}.jsonl.gz`;
}
