// Small Iceberg trees for unit tests of the pure rewrite: an in-memory IcebergFileStore, and
// manifest lists and manifests with the spec's field ids (abridged to the fields that matter),
// written through the same avsc container code as the engine.
import { type AvroContainer, avroTypeOf, writeAvroContainer } from "../../modules/iceberg/avro-container.ts";
import type { IcebergFileStore } from "../../modules/iceberg/file-store.ts";

export class MemoryFileStore implements IcebergFileStore {
  readonly files = new Map<string, Uint8Array>();
  readonly puts: string[] = [];

  async get(uri: string): Promise<Uint8Array | undefined> {
    return this.files.get(uri);
  }

  async put(uri: string, bytes: Uint8Array): Promise<void> {
    this.puts.push(uri);
    this.files.set(uri, bytes);
  }

  async exists(uri: string): Promise<boolean> {
    return this.files.has(uri);
  }
}

const optional = (type: unknown, name: string, id: number) => ({
  name,
  type: ["null", type],
  default: null,
  "field-id": id,
});

export const manifestSchema = {
  type: "record",
  name: "manifest_entry",
  fields: [
    { name: "status", type: "int", "field-id": 0 },
    optional("long", "snapshot_id", 1),
    optional("long", "sequence_number", 3),
    {
      name: "data_file",
      "field-id": 2,
      type: {
        type: "record",
        name: "r2",
        fields: [
          {
            name: "content",
            type: "int",
            "field-id": 134,
            doc: "Contents of the file: 0=data, 1=position deletes, 2=equality deletes",
          },
          { name: "file_path", type: "string", "field-id": 100, doc: "Location URI with FS scheme" },
          { name: "file_format", type: "string", "field-id": 101 },
          {
            name: "partition",
            "field-id": 102,
            type: { type: "record", name: "r102", fields: [optional("string", "category", 1000)] },
          },
          { name: "record_count", type: "long", "field-id": 103 },
          optional(
            {
              type: "array",
              logicalType: "map",
              items: {
                type: "record",
                name: "k126_v127",
                fields: [
                  { name: "key", type: "int", "field-id": 126 },
                  { name: "value", type: "bytes", "field-id": 127 },
                ],
              },
            },
            "lower_bounds",
            125,
          ),
          optional("string", "referenced_data_file", 143),
        ],
      },
    },
  ],
};

export const manifestListSchema = {
  type: "record",
  name: "manifest_file",
  fields: [
    { name: "manifest_path", type: "string", "field-id": 500 },
    { name: "manifest_length", type: "long", "field-id": 501 },
    { name: "content", type: "int", "field-id": 517 },
    { name: "added_snapshot_id", type: "long", "field-id": 503 },
  ],
};

export interface ManifestEntry {
  status: number;
  snapshot_id: bigint | null;
  sequence_number: bigint | null;
  data_file: {
    content: number;
    file_path: string;
    file_format: string;
    partition: { category: string | null };
    record_count: bigint;
    lower_bounds: { key: number; value: Buffer }[] | null;
    referenced_data_file: string | null;
  };
}

export function dataFileEntry(path: string, content = 0, snapshotId = 9_007_199_254_740_993n): ManifestEntry {
  return {
    status: 1,
    snapshot_id: snapshotId,
    sequence_number: 7n,
    data_file: {
      content,
      file_path: path,
      file_format: "PARQUET",
      partition: { category: "books" },
      record_count: 3n,
      lower_bounds: [{ key: 1, value: Buffer.from([1, 0, 0, 0]) }],
      referenced_data_file: null,
    },
  };
}

export function avroFile(
  schema: object,
  records: unknown[],
  metadata: Record<string, string>,
  codec = "deflate",
): Promise<Uint8Array> {
  const container: AvroContainer = {
    schema,
    type: avroTypeOf(schema),
    metadata: Object.fromEntries(
      Object.entries({
        ...metadata,
        "avro.schema": JSON.stringify(schema, null, 1),
        "avro.codec": codec,
      }).map(([key, value]) => [key, Buffer.from(value)]),
    ),
    codec,
    syncMarker: Buffer.alloc(16, 7),
    records,
  };
  return writeAvroContainer(container);
}

export const manifestMetadata = {
  schema: '{"type":"struct","schema-id":0,"fields":[]}',
  "schema-id": "0",
  "partition-spec": "[]",
  "partition-spec-id": "0",
  "format-version": "2",
  content: "data",
};

export function manifest(entries: ManifestEntry[]): Promise<Uint8Array> {
  return avroFile(manifestSchema, entries, manifestMetadata);
}

export function manifestList(paths: string[], snapshotId: bigint): Promise<Uint8Array> {
  const records = paths.map((manifest_path) => ({
    manifest_path,
    manifest_length: 1234n,
    content: 0,
    added_snapshot_id: snapshotId,
  }));
  return avroFile(manifestListSchema, records, {
    "snapshot-id": String(snapshotId),
    "format-version": "2",
  });
}

/** A v2 metadata document with one snapshot per manifest list, and a metadata log. */
export function tableMetadata(
  location: string,
  manifestLists: string[],
  previous: string[] = [],
): Uint8Array {
  const snapshots = manifestLists.map(
    (list, index) =>
      `{"snapshot-id": ${9_223_372_036_854_775_000n + BigInt(index)}, "sequence-number": ${index + 1}, "timestamp-ms": 1700000000000, "summary": {"operation": "append"}, "manifest-list": "${list}", "schema-id": 0}`,
  );
  const log = previous.map((file) => `{"metadata-file": "${file}", "timestamp-ms": 1600000000000}`);
  return Buffer.from(
    `{"format-version": 2, "table-uuid": "9c12d441-03fe-4693-9a96-a0705ddf69c1", "location": "${location}",
      "last-sequence-number": ${manifestLists.length}, "last-updated-ms": 1700000000000, "last-column-id": 1,
      "current-schema-id": 0, "schemas": [], "default-spec-id": 0, "partition-specs": [], "last-partition-id": 999,
      "default-sort-order-id": 0, "sort-orders": [], "properties": {"write.data.path": "${location}/data"},
      "current-snapshot-id": ${manifestLists.length > 0 ? 9_223_372_036_854_775_000n + BigInt(manifestLists.length - 1) : -1},
      "snapshots": [${snapshots.join(",")}], "metadata-log": [${log.join(",")}]}`,
  );
}
