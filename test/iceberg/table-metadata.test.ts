// Metadata JSON of format versions 1, 2 and 3 (field names from the Iceberg spec): the files it
// names, and every path field rewritten with nothing else changed (64-bit ids kept exactly).
import { describe, expect, it } from "vitest";
import { UnsupportedIcebergTable } from "../../modules/iceberg/errors.ts";
import { PathMapper } from "../../modules/iceberg/paths.ts";
import {
  metadataReferences,
  parseTableMetadata,
  rewriteTableMetadata,
} from "../../modules/iceberg/table-metadata.ts";

const mapper = new PathMapper({ "src-lake": "dr-lake" });
const table = "s3://src-lake/wh/sales.db/orders";

const v1 = `{
  "format-version": 1,
  "table-uuid": "fb072c92-a02b-11e9-ae9c-1bb7bc9eca94",
  "location": "${table}",
  "last-updated-ms": 1515100955770,
  "last-column-id": 2,
  "schema": {"type": "struct", "fields": [{"id": 1, "name": "id", "required": true, "type": "long"}]},
  "partition-spec": [],
  "properties": {"write.metadata.path": "${table}/meta", "comment": "s3 is where it lives"},
  "current-snapshot-id": 3051729675574597004,
  "snapshots": [
    {"snapshot-id": 3051729675574597004, "timestamp-ms": 1515100955770,
     "summary": {"operation": "append"},
     "manifests": ["${table}/meta/m1.avro", "${table}/meta/m2.avro"]},
    {"snapshot-id": 3051729675574597005, "timestamp-ms": 1515100955771,
     "manifest-list": "${table}/meta/snap-5.avro"}
  ],
  "snapshot-log": [{"snapshot-id": 3051729675574597004, "timestamp-ms": 1515100955770}]
}`;

const v2 = `{
  "format-version": 2,
  "table-uuid": "fb072c92-a02b-11e9-ae9c-1bb7bc9eca94",
  "location": "${table}",
  "last-sequence-number": 34,
  "last-updated-ms": 1602638573590,
  "last-column-id": 3,
  "current-schema-id": 0,
  "schemas": [{"type": "struct", "schema-id": 0, "fields": [{"id": 1, "name": "x", "required": true, "type": "long"}]}],
  "default-spec-id": 0,
  "partition-specs": [{"spec-id": 0, "fields": []}],
  "last-partition-id": 999,
  "default-sort-order-id": 0,
  "sort-orders": [{"order-id": 0, "fields": []}],
  "properties": {
    "write.data.path": "${table}/data",
    "write.object-storage.path": "s3://src-lake/objects",
    "write.folder-storage.path": "s3://other-bucket/folders"
  },
  "current-snapshot-id": 9223372036854775807,
  "refs": {"main": {"snapshot-id": 9223372036854775807, "type": "branch"},
           "audit": {"snapshot-id": 3055729675574597004, "type": "tag", "max-ref-age-ms": 86400000}},
  "snapshots": [
    {"snapshot-id": 3055729675574597004, "timestamp-ms": 1515100955770, "sequence-number": 0,
     "summary": {"operation": "append"}, "manifest-list": "${table}/metadata/snap-1.avro", "schema-id": 0},
    {"snapshot-id": 9223372036854775807, "parent-snapshot-id": 3055729675574597004,
     "timestamp-ms": 1555100955770, "sequence-number": 1,
     "summary": {"operation": "append"}, "manifest-list": "${table}/metadata/snap-2.avro", "schema-id": 0}
  ],
  "snapshot-log": [{"snapshot-id": 3055729675574597004, "timestamp-ms": 1515100955770}],
  "metadata-log": [{"metadata-file": "${table}/metadata/00000-a.metadata.json", "timestamp-ms": 1515100}],
  "statistics": [{"snapshot-id": 3055729675574597004, "statistics-path": "${table}/metadata/stats.puffin",
                  "file-size-in-bytes": 413, "file-footer-size-in-bytes": 42,
                  "blob-metadata": [{"type": "apache-datasketches-theta-v1", "snapshot-id": 3055729675574597004,
                                     "sequence-number": 1, "fields": [1]}]}],
  "partition-statistics": [{"snapshot-id": 3055729675574597004,
                            "statistics-path": "${table}/metadata/partition-stats.parquet", "file-size-in-bytes": 43}]
}`;

const v3 = `{
  "format-version": 3,
  "table-uuid": "9c12d441-03fe-4693-9a96-a0705ddf69c1",
  "location": "${table}",
  "last-sequence-number": 1,
  "last-updated-ms": 1602638573590,
  "last-column-id": 1,
  "current-schema-id": 0,
  "schemas": [{"type": "struct", "schema-id": 0, "fields": [{"id": 1, "name": "x", "required": true, "type": "long"}]}],
  "default-spec-id": 0,
  "partition-specs": [{"spec-id": 0, "fields": []}],
  "last-partition-id": 999,
  "default-sort-order-id": 0,
  "sort-orders": [{"order-id": 0, "fields": []}],
  "next-row-id": 1100,
  "encryption-keys": [{"key-id": "5f819b", "key-metadata": "aWNlYmVyZwo="}],
  "current-snapshot-id": 1111111111111111111,
  "snapshots": [
    {"snapshot-id": 1111111111111111111, "timestamp-ms": 1515100955770, "sequence-number": 1,
     "first-row-id": 1000, "added-rows": 100, "key-id": "5f819b",
     "summary": {"operation": "append"}, "manifest-list": "${table}/metadata/snap-3.avro", "schema-id": 0}
  ],
  "metadata-log": []
}`;

const rewritten = new Map([
  [`${table}/meta/m1.avro`, "s3://dr-lake/rewritten/m1.avro"],
  [`${table}/metadata/snap-2.avro`, "s3://dr-lake/rewritten/snap-2.avro"],
  [`${table}/metadata/00000-a.metadata.json`, "s3://dr-lake/rewritten/00000-a.metadata.json"],
]);
const paths = { map: (uri: string) => mapper.map(uri), rewritten: (uri: string) => rewritten.get(uri) };

function rewrite(text: string): { text: string; json: Record<string, unknown> } {
  const output = rewriteTableMetadata(parseTableMetadata(text, "s3://src-lake/m.json"), paths);
  return { text: output, json: JSON.parse(output) as Record<string, unknown> };
}

describe("metadata references", () => {
  it("lists v1 manifests, manifest lists and the location", () => {
    const references = metadataReferences(parseTableMetadata(v1, "v1.json"));
    expect(references).toEqual({
      formatVersion: 1,
      location: table,
      manifestLists: [`${table}/meta/snap-5.avro`],
      manifests: [`${table}/meta/m1.avro`, `${table}/meta/m2.avro`],
      previousMetadata: [],
      statistics: [],
    });
  });

  it("lists v2 manifest lists, previous metadata files and both kinds of statistics files", () => {
    const references = metadataReferences(parseTableMetadata(v2, "v2.json"));
    expect(references.manifestLists).toEqual([
      `${table}/metadata/snap-1.avro`,
      `${table}/metadata/snap-2.avro`,
    ]);
    expect(references.previousMetadata).toEqual([`${table}/metadata/00000-a.metadata.json`]);
    expect(references.statistics).toEqual([
      `${table}/metadata/stats.puffin`,
      `${table}/metadata/partition-stats.parquet`,
    ]);
  });

  it("refuses a format version it does not know, and a document without a location", () => {
    expect(() =>
      parseTableMetadata(v3.replace('"format-version": 3', '"format-version": 4'), "v4.json"),
    ).toThrow(UnsupportedIcebergTable);
    expect(() => parseTableMetadata(`{"format-version": 2}`, "x.json")).toThrow(/has no location/);
  });
});

describe("rewriting metadata JSON", () => {
  it("v1: maps the location and s3 properties, points manifests at their rewritten copies", () => {
    const { json } = rewrite(v1);
    expect(json.location).toBe("s3://dr-lake/wh/sales.db/orders");
    expect(json.properties).toEqual({
      "write.metadata.path": "s3://dr-lake/wh/sales.db/orders/meta",
      comment: "s3 is where it lives",
    });
    const [first, second] = json.snapshots as Record<string, unknown>[];
    expect(first!.manifests).toEqual([
      "s3://dr-lake/rewritten/m1.avro",
      "s3://dr-lake/wh/sales.db/orders/meta/m2.avro",
    ]);
    expect(second!["manifest-list"]).toBe("s3://dr-lake/wh/sales.db/orders/meta/snap-5.avro");
    expect(first).not.toHaveProperty("manifest-list");
  });

  it("v2: rewrites manifest lists, the metadata log, statistics and path properties; refs stay", () => {
    const { text, json } = rewrite(v2);
    const snapshots = json.snapshots as Record<string, unknown>[];
    expect(snapshots.map((snapshot) => snapshot["manifest-list"])).toEqual([
      "s3://dr-lake/wh/sales.db/orders/metadata/snap-1.avro",
      "s3://dr-lake/rewritten/snap-2.avro",
    ]);
    expect(json["metadata-log"]).toEqual([
      { "metadata-file": "s3://dr-lake/rewritten/00000-a.metadata.json", "timestamp-ms": 1515100 },
    ]);
    expect((json.statistics as Record<string, unknown>[])[0]!["statistics-path"]).toBe(
      "s3://dr-lake/wh/sales.db/orders/metadata/stats.puffin",
    );
    expect((json["partition-statistics"] as Record<string, unknown>[])[0]!["statistics-path"]).toBe(
      "s3://dr-lake/wh/sales.db/orders/metadata/partition-stats.parquet",
    );
    expect(json.properties).toEqual({
      "write.data.path": "s3://dr-lake/wh/sales.db/orders/data",
      "write.object-storage.path": "s3://dr-lake/objects",
      "write.folder-storage.path": "s3://other-bucket/folders",
    });
    // 64-bit ids are written back digit for digit (JSON.parse would round them).
    expect(text).toContain('"current-snapshot-id":9223372036854775807');
    expect(text).toContain('"refs":{"main":{"snapshot-id":9223372036854775807,"type":"branch"},"audit"');
    expect(text).not.toContain("src-lake");
  });

  it("v3: keeps row lineage and encryption keys, rewrites the paths", () => {
    const { text, json } = rewrite(v3);
    expect(json["next-row-id"]).toBe(1100);
    expect(json["encryption-keys"]).toEqual([{ "key-id": "5f819b", "key-metadata": "aWNlYmVyZwo=" }]);
    const [snapshot] = json.snapshots as Record<string, unknown>[];
    expect(snapshot).toMatchObject({ "first-row-id": 1000, "added-rows": 100, "key-id": "5f819b" });
    expect(text).toContain('"snapshot-id":1111111111111111111');
    expect(text).not.toContain("src-lake");
  });

  it("changes nothing but paths: fields keep their order and values", () => {
    const { text } = rewrite(v2);
    const original = v2.replace(/\s+/g, ""); // v2 has no spaces inside its strings
    const backToSource = text
      .replaceAll("dr-lake/rewritten/", "src-lake/wh/sales.db/orders/metadata/")
      .replaceAll("dr-lake", "src-lake");
    expect(backToSource).toBe(original);
  });
});
