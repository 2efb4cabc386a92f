// Reads and writes Avro object container files (Iceberg manifest lists and manifests) with avsc,
// record by record, keeping what makes the file the same file to a reader: the writer schema
// (the header's `avro.schema` bytes are written back unchanged), every key-value metadata entry
// (`schema`, `partition-spec`, `format-version`, `content`, …), the codec and the sync marker.
// Longs decode to bigint: snapshot ids and sequence numbers use all 64 bits.
import avro from "avsc";
import { UnsupportedIcebergTable } from "./errors.ts";

export interface AvroContainer {
  /** The writer schema as parsed JSON (for finding fields by Iceberg field id). */
  schema: unknown;
  type: avro.Type;
  /** Header metadata, including `avro.schema` and `avro.codec`, byte for byte. */
  metadata: Record<string, Buffer>;
  codec: string;
  syncMarker: Buffer;
  records: unknown[];
}

const bigLong = avro.types.LongType.__with({
  fromBuffer: (buffer: Buffer) => buffer.readBigInt64LE(),
  toBuffer: (value: bigint) => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigInt64LE(value);
    return buffer;
  },
  fromJSON: (value: number | string) => BigInt(value),
  toJSON: (value: bigint) => Number(value),
  isValid: (value: unknown) => typeof value === "bigint",
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

function isLongSchema(schema: unknown): boolean {
  if (schema === "long") return true;
  return typeof schema === "object" && schema !== null && (schema as { type?: unknown }).type === "long";
}

/** The avsc type of a writer schema, with longs as bigint. */
export function avroTypeOf(schema: unknown): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, {
    typeHook: (nested) => (isLongSchema(nested) ? bigLong : undefined),
  });
}

/** Codecs this engine reads and writes: Avro's `null` and `deflate` (zlib, through avsc). */
export const supportedCodecs = ["null", "deflate"] as const;

const headerType = avro.Type.forSchema({
  type: "record",
  name: "org.apache.avro.file.Header",
  fields: [
    { name: "magic", type: { type: "fixed", name: "Magic", size: 4 } },
    { name: "meta", type: { type: "map", values: "bytes" } },
    { name: "sync", type: { type: "fixed", name: "Sync", size: 16 } },
  ],
});

/** The codec named in the file header (checked before decoding, to say which one is missing). */
function codecOf(bytes: Uint8Array): string {
  const { value } = headerType.decode(Buffer.from(bytes), 0) as { value?: { meta: Record<string, Buffer> } };
  return value?.meta["avro.codec"]?.toString() || "null";
}

export async function readAvroContainer(bytes: Uint8Array, fileUri: string): Promise<AvroContainer> {
  const codec = codecOf(bytes);
  if (!(supportedCodecs as readonly string[]).includes(codec)) {
    throw new UnsupportedIcebergTable(
      `${fileUri} uses the Avro codec ${codec} (supported: ${supportedCodecs.join(", ")})`,
    );
  }
  let schema: unknown;
  let type: avro.Type | undefined;
  let header: { meta: Record<string, Buffer>; sync: Buffer } | undefined;
  const decoder = new avro.streams.BlockDecoder({
    parseHook: (parsed) => {
      schema = parsed;
      type = avroTypeOf(parsed);
      return type;
    },
  });
  decoder.on(
    "metadata",
    (_type: avro.Type, _codec: string, fileHeader: { meta: Record<string, Buffer>; sync: Buffer }) => {
      header = fileHeader;
    },
  );
  decoder.end(Buffer.from(bytes));
  const records = await decoder.toArray();
  if (!header || !type) throw new Error(`${fileUri} is not an Avro object container file`);
  return { schema, type, metadata: header.meta, codec, syncMarker: header.sync, records };
}

export async function writeAvroContainer(container: AvroContainer): Promise<Uint8Array> {
  // The encoder lets given metadata win over what it derives, so the original `avro.schema`
  // bytes (not avsc's re-export of the schema) and every other entry are written back. avsc's
  // typings omit the `metadata` option its encoder reads.
  // The header is written even with no records (avsc writes it lazily by default): the manifest
  // list of a snapshot that removed every file is empty and still a valid file.
  const options = {
    codec: container.codec,
    syncMarker: container.syncMarker,
    metadata: container.metadata,
    writeHeader: "always" as const,
  };
  const encoder = new avro.streams.BlockEncoder(container.type, options);
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of encoder) chunks.push(chunk as Buffer);
  })();
  for (const record of container.records) {
    if (!encoder.write(record)) await new Promise((resolve) => encoder.once("drain", resolve));
  }
  encoder.end();
  await collected;
  return Buffer.concat(chunks);
}
