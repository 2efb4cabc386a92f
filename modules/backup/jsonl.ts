// A backup part: snapshot records as JSON Lines, gzip-compressed, with the SHA-256 of the stored
// bytes. Decoding checks the checksum first and validates every line, so a truncated or edited
// part fails loudly instead of restoring a partial catalog.
import { createHash } from "node:crypto";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { StringDecoder } from "node:string_decoder";
import { createGunzip, createGzip, type Gzip } from "node:zlib";
import { type SnapshotKind, type SnapshotRecord, snapshotKinds } from "../catalog/model.ts";
import * as z from "../config/zod-mini.ts";
import { BackupFormatError, type KindCounts } from "./manifest.ts";

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
  return records.map(encodeLine).join("");
}

const encodeLine = (r: SnapshotRecord) => `${JSON.stringify({ kind: r.kind, key: r.key, value: r.value })}\n`;

export function decodeLines(text: string, where: string): SnapshotRecord[] {
  const out: SnapshotRecord[] = [];
  for (const [i, line] of text.split("\n").entries())
    if (line !== "") out.push(parseLine(line, i + 1, where));
  return out;
}

/** A line's JSON, or a BackupFormatError naming the line. */
function lineJson(line: string, number: number, where: string): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new BackupFormatError(`${where} line ${number}: not JSON: ${(error as Error).message}`);
  }
}

/** One record line, validated: its shape and its kind's identity fields, or a BackupFormatError naming the line. */
function parseLine(line: string, number: number, where: string): SnapshotRecord {
  const parsed = recordSchema.safeParse(lineJson(line, number, where));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackupFormatError(
      `${where} line ${number}: not a snapshot record: ${issue?.path.join(".") || "(line)"}: ${issue?.message}`,
    );
  }
  const value = valueByKind[parsed.data.kind]?.safeParse(parsed.data.value);
  if (value && !value.success) {
    const issue = value.error.issues[0];
    throw new BackupFormatError(
      `${where} line ${number}: not a ${parsed.data.kind} record: value.${issue?.path.join(".")}: ${issue?.message}`,
    );
  }
  return parsed.data as SnapshotRecord;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

export interface EncodedPart {
  body: Buffer;
  sha256: string;
  records: number;
  counts: KindCounts;
  /** The part's first record (the manifest names it), absent for an empty part. */
  first?: { kind: SnapshotKind; key: string };
}

/** Text handed to gzip at a time: large enough to keep zlib calls few, small next to a part. */
const encodeChunkChars = 64 * 1024;

/**
 * A part encoded as its records arrive: each line goes to a gzip stream at once, so a part being
 * written holds its compressed bytes, not its records nor their JSON text (holding both cost an S
 * backup's 10,000 partitions about 40 MB). Deflate's output does not depend on how its input is
 * split, so the bytes are those of gzipping the whole text in one call.
 */
export class PartEncoder {
  private readonly gzip: Gzip = createGzip();
  private readonly chunks: Buffer[] = [];
  private readonly ended: Promise<void>;
  private text = "";
  private records = 0;
  private readonly counts: KindCounts = {};
  private first: EncodedPart["first"];

  constructor() {
    this.gzip.on("data", (chunk: Buffer) => this.chunks.push(chunk));
    this.ended = finished(this.gzip);
    this.ended.catch(() => undefined); // awaited in finish(); a write error surfaces there or in add()
  }

  get size(): number {
    return this.records;
  }

  async add(record: SnapshotRecord): Promise<void> {
    this.first ??= { kind: record.kind, key: record.key };
    this.records += 1;
    this.counts[record.kind] = (this.counts[record.kind] ?? 0) + 1;
    this.text += encodeLine(record);
    if (this.text.length >= encodeChunkChars) await this.flushText();
  }

  async finish(): Promise<EncodedPart> {
    await this.flushText();
    this.gzip.end();
    await this.ended;
    const body = Buffer.concat(this.chunks);
    this.chunks.length = 0;
    return {
      body,
      sha256: sha256Hex(body),
      records: this.records,
      counts: this.counts,
      ...(this.first ? { first: this.first } : {}),
    };
  }

  private async flushText(): Promise<void> {
    if (this.text === "") return;
    const text = this.text;
    this.text = "";
    if (!this.gzip.write(text, "utf8")) await once(this.gzip, "drain");
  }
}

export async function encodePart(records: readonly SnapshotRecord[]): Promise<EncodedPart> {
  const encoder = new PartEncoder();
  for (const record of records) await encoder.add(record);
  return encoder.finish();
}

/** Refuses a part whose stored bytes are not those the manifest's checksum names. */
function verifyChecksum(body: Uint8Array, expectedSha256: string, where: string): void {
  const actual = sha256Hex(body);
  if (actual !== expectedSha256) {
    throw new BackupFormatError(
      `${where}: checksum mismatch (manifest sha256 ${expectedSha256}, object ${actual})`,
    );
  }
}

/**
 * A part's lines, gunzipped as they are read (the JSON text is never whole in memory), each with
 * its 1-based number; a truncated or corrupt gzip stream is a BackupFormatError.
 */
async function* partLines(body: Uint8Array, where: string): AsyncGenerator<[string, number]> {
  const gunzip = createGunzip();
  gunzip.end(body);
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let number = 0;
  try {
    for await (const chunk of gunzip) {
      const lines = (rest + decoder.write(chunk as Buffer)).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) yield [line, ++number];
    }
  } catch (error) {
    throw new BackupFormatError(`${where}: not a complete gzip file (${(error as Error).message})`);
  }
  yield [rest + decoder.end(), ++number];
}

/** Checks every line of a part (shape and identity fields) and counts its records, holding none. */
export async function validatePart(body: Uint8Array, where: string): Promise<number> {
  let records = 0;
  for await (const [line, number] of partLines(body, where)) {
    if (line === "") continue;
    parseLine(line, number, where);
    records += 1;
  }
  return records;
}

/**
 * A part's records, decoded one line at a time. For a part validatePart has accepted: the lines
 * are only parsed here, a line that is not JSON still failing loudly.
 */
export async function* validatedPartRecords(body: Uint8Array, where: string): AsyncGenerator<SnapshotRecord> {
  for await (const [line, number] of partLines(body, where)) {
    if (line !== "") yield lineJson(line, number, where) as SnapshotRecord;
  }
}

/**
 * A stored part's records as restore reads them: the checksum first, then every line checked (and
 * counted against `expected.records`, the manifest's, when given) before the first record is
 * yielded, so a bad part is refused before anything is written from it; the records are then
 * decoded again as they are consumed, so only the compressed part is held, never its records.
 */
export async function* storedPartRecords(
  body: Uint8Array,
  expected: { sha256: string; records?: number },
  where: string,
): AsyncGenerator<SnapshotRecord> {
  verifyChecksum(body, expected.sha256, where);
  const records = await validatePart(body, where);
  if (expected.records !== undefined && records !== expected.records) {
    throw new BackupFormatError(`${where}: ${records} records, the manifest says ${expected.records}`);
  }
  yield* validatedPartRecords(body, where);
}

/** A whole part decoded at once, the way restore reads it (storedPartRecords). */
export async function decodePart(
  body: Uint8Array,
  expectedSha256: string,
  where: string,
): Promise<SnapshotRecord[]> {
  const out: SnapshotRecord[] = [];
  for await (const record of storedPartRecords(body, { sha256: expectedSha256 }, where)) out.push(record);
  return out;
}

export function partName(index: number): string {
  return `part-${String(index).padStart(5, "0")}.jsonl.gz`;
}
