// Record-level rewrite of manifest lists and manifests through avsc: header kept byte for byte,
// 64-bit longs exact, paths mapped, everything else unchanged; position deletes refused.
import { describe, expect, it } from "vitest";
import { readAvroContainer, writeAvroContainer } from "../../modules/iceberg/avro-container.ts";
import { UnsupportedIcebergTable } from "../../modules/iceberg/errors.ts";
import { manifestPaths, rewriteManifest, rewriteManifestList } from "../../modules/iceberg/manifests.ts";
import { PathMapper } from "../../modules/iceberg/paths.ts";
import {
  avroFile,
  dataFileEntry,
  type ManifestEntry,
  manifest,
  manifestList,
  manifestSchema,
} from "./iceberg-files.ts";

const mapper = new PathMapper({ "src-lake": "dr-lake" });
const map = (uri: string) => mapper.map(uri);

describe("manifests", () => {
  it("maps every data file path and keeps the rest of each record, the header and the codec", async () => {
    const entries = [
      dataFileEntry("s3://src-lake/t/data/a.parquet"),
      dataFileEntry("s3://other-bucket/t/data/b.parquet"),
      { ...dataFileEntry("s3://src-lake/t/data/eq.parquet", 2) },
    ];
    const source = await readAvroContainer(await manifest(entries), "m.avro");
    const { container, files } = rewriteManifest(source, "m.avro", map);
    const written = await readAvroContainer(await writeAvroContainer(container), "m2.avro");

    expect(files).toEqual([
      "s3://dr-lake/t/data/a.parquet",
      "s3://other-bucket/t/data/b.parquet",
      "s3://dr-lake/t/data/eq.parquet",
    ]);
    const records = written.records as ManifestEntry[];
    expect(records.map((record) => record.data_file.file_path)).toEqual(files);
    // Snapshot ids above 2^53 survive exactly.
    expect(records[0]!.snapshot_id).toBe(9_007_199_254_740_993n);
    expect(records[0]!.data_file.lower_bounds).toEqual([{ key: 1, value: Buffer.from([1, 0, 0, 0]) }]);
    expect(records[2]!.data_file.content).toBe(2);
    expect(written.codec).toBe("deflate");
    expect(Object.keys(written.metadata).sort()).toEqual(Object.keys(source.metadata).sort());
    for (const [key, value] of Object.entries(source.metadata)) expect(written.metadata[key]).toEqual(value);
    // The writer schema is the original text (indented), not avsc's re-export of it.
    expect(written.metadata["avro.schema"]!.toString()).toBe(JSON.stringify(manifestSchema, null, 1));
  });

  it("maps referenced_data_file of delete files", async () => {
    const entry = dataFileEntry("s3://src-lake/t/data/eq.parquet", 2);
    entry.data_file.referenced_data_file = "s3://src-lake/t/data/a.parquet";
    const { container } = rewriteManifest(
      await readAvroContainer(await manifest([entry]), "m.avro"),
      "m.avro",
      map,
    );
    expect((container.records[0] as ManifestEntry).data_file.referenced_data_file).toBe(
      "s3://dr-lake/t/data/a.parquet",
    );
  });

  it("refuses position-delete files and deletion vectors, which name data files inside them", async () => {
    const positionDeletes = await readAvroContainer(
      await manifest([dataFileEntry("s3://src-lake/d.parquet", 1)]),
      "m.avro",
    );
    expect(() => rewriteManifest(positionDeletes, "m.avro", map)).toThrow(
      new UnsupportedIcebergTable(
        "m.avro names the position-delete file s3://src-lake/d.parquet, which names data files inside it; rewriting it is not supported yet",
      ),
    );
    const vector = dataFileEntry("s3://src-lake/dv.puffin", 1);
    vector.data_file.file_format = "PUFFIN";
    const vectors = await readAvroContainer(await manifest([vector]), "m.avro");
    expect(() => rewriteManifest(vectors, "m.avro", map)).toThrow(
      /deletion vector s3:\/\/src-lake\/dv\.puffin/,
    );
  });

  it("refuses a codec it cannot decode, naming it", async () => {
    const snappyHeader = await avroFile(manifestSchema, [], {}, "null");
    const text = Buffer.from(snappyHeader)
      .toString("latin1")
      .replace("avro.codec\bnull", "avro.codec\fsnappy");
    await expect(readAvroContainer(Buffer.from(text, "latin1"), "s.avro")).rejects.toThrow(
      "s.avro uses the Avro codec snappy (supported: null, deflate)",
    );
  });
});

describe("manifest lists", () => {
  it("points each entry at its rewritten manifest and keeps the other fields", async () => {
    const source = await readAvroContainer(
      await manifestList(
        ["s3://src-lake/t/metadata/m1.avro", "s3://src-lake/t/metadata/m2.avro"],
        9_007_199_254_740_995n,
      ),
      "snap.avro",
    );
    expect(manifestPaths(source, "snap.avro")).toEqual([
      "s3://src-lake/t/metadata/m1.avro",
      "s3://src-lake/t/metadata/m2.avro",
    ]);
    const rewritten = rewriteManifestList(source, "snap.avro", (uri) =>
      uri.replace("s3://src-lake/", "s3://dr-lake/x/"),
    );
    const written = await readAvroContainer(await writeAvroContainer(rewritten), "snap2.avro");
    expect(written.records).toEqual([
      {
        manifest_path: "s3://dr-lake/x/t/metadata/m1.avro",
        manifest_length: 1234n,
        content: 0,
        added_snapshot_id: 9_007_199_254_740_995n,
      },
      {
        manifest_path: "s3://dr-lake/x/t/metadata/m2.avro",
        manifest_length: 1234n,
        content: 0,
        added_snapshot_id: 9_007_199_254_740_995n,
      },
    ]);
    expect(written.metadata["snapshot-id"]!.toString()).toBe("9007199254740995");
  });
});
