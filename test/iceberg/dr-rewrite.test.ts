// The Iceberg DR rewrite against a real Iceberg implementation: pyiceberg builds a partitioned
// table in the source bucket (two appends, a delete, a schema evolution), the bucket is copied to
// the DR bucket as S3 replication would, lakesync rewrites the metadata tree, the source bucket
// is deleted, and pyiceberg reads the DR table through the DR region's Glue catalog.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { S3IcebergFileStore } from "../../modules/aws/iceberg-file-store.ts";
import { readAvroContainer } from "../../modules/iceberg/avro-container.ts";
import { currentSnapshotFiles } from "../../modules/iceberg/data-files.ts";
import { type RewriteTableResult, rewriteTableForTarget } from "../../modules/iceberg/rewrite-table.ts";
import { metadataFileText } from "../../modules/iceberg/table-metadata.ts";
import { client } from "../support/local-aws.ts";
import {
  appendToSourceTable,
  createSourceTable,
  readRegisteredTable,
  type SourceTable,
} from "./pyiceberg.ts";
import { createBucket, deleteBucket, listKeys, replicateBucket } from "./s3-buckets.ts";

// pyiceberg acts with the default local credentials, so this file does too (its names are unique).
const s3 = client("s3", { region: "us-east-1" });
const store = new S3IcebergFileStore(() => s3);

// pyiceberg 0.12 writes format versions 1 and 2 (not 3 yet); both are rewritten and read back.
describe.each(["2", "1"] as const)(
  "a pyiceberg table of format version %s, rewritten into the DR bucket",
  (formatVersion) => {
    const suffix = `v${formatVersion}-${randomBytes(4).toString("hex")}`;
    const sourceBucket = `lakesync-ice-src-${suffix}`;
    const drBucket = `lakesync-ice-dr-${suffix}`;
    const database = `icedr_${suffix.replace("-", "_")}`;
    const tableName = "orders";
    const buckets = { [sourceBucket]: drBucket };

    /** The source file a rewritten file was made from: same key, without `lakesync-dr/<hash>/`. */
    function sourceOf(rewritten: string): string {
      return rewritten
        .replace(`s3://${drBucket}/`, `s3://${sourceBucket}/`)
        .replace(/\/lakesync-dr\/[0-9a-f]{20}\//, "/");
    }

    /** Every string a rewritten file holds: the metadata JSON text, or each Avro record as JSON. */
    async function readableText(uri: string): Promise<string> {
      const bytes = (await store.get(uri))!;
      if (/\.metadata\.json(\.gz)?$/.test(uri)) return metadataFileText(uri, bytes);
      const container = await readAvroContainer(bytes, uri);
      const records = JSON.stringify(container.records, (_key, value) =>
        typeof value === "bigint" ? value.toString() : value,
      );
      const metadata = Object.values(container.metadata).map((value) => value.toString("utf8"));
      return `${records}\n${metadata.join("\n")}`;
    }

    let created: SourceTable;
    let first: RewriteTableResult;
    let drKeysAfterFirst: string[];

    beforeAll(async () => {
      await createBucket(s3, sourceBucket, "us-east-1");
      await createBucket(s3, drBucket, "us-west-2");
      created = await createSourceTable("us-east-1", sourceBucket, database, tableName, formatVersion);
      await replicateBucket(s3, sourceBucket, drBucket);
      first = await rewriteTableForTarget({ metadataLocation: created.metadataLocation, buckets, store });
      drKeysAfterFirst = await listKeys(s3, drBucket);
    }, 300_000);

    it("writes the whole tree under lakesync-dr/ beside the table's metadata and names its new metadata file", async () => {
      expect(first.skipped).toBeUndefined();
      expect(first.metadataLocation).toMatch(
        new RegExp(
          `^s3://${drBucket}/warehouse/${database}/${tableName}/metadata/lakesync-dr/[0-9a-f]{20}/00005-.*\\.metadata\\.json$`,
        ),
      );
      // 6 metadata versions (create + 5 commits), 4 snapshots' manifest lists, and manifests.
      const kinds = first.written.map((uri) =>
        uri.endsWith(".metadata.json")
          ? "metadata"
          : /\/snap-[^/]+\.avro$/.test(uri)
            ? "manifest-list"
            : "manifest",
      );
      expect(kinds.filter((kind) => kind === "metadata")).toHaveLength(6);
      expect(kinds.filter((kind) => kind === "manifest-list")).toHaveLength(created.snapshotIds.length);
      expect(kinds.filter((kind) => kind === "manifest").length).toBeGreaterThan(0);
      for (const uri of first.written) expect(uri).toContain(`/metadata/lakesync-dr/`);
      const metadata = await readableText(first.metadataLocation);
      expect(metadata).toContain(`"format-version":${formatVersion},`);
      expect(first.written.at(-1)).toBe(first.metadataLocation);
    });

    it("returns the data files the tree names, all in the DR bucket (where replication copied them)", async () => {
      expect(first.dataFiles.length).toBeGreaterThan(0);
      const drKeys = new Set(drKeysAfterFirst);
      for (const file of first.dataFiles) {
        expect(file.startsWith(`s3://${drBucket}/`)).toBe(true);
        expect(drKeys.has(file.slice(`s3://${drBucket}/`.length))).toBe(true);
      }
    });

    it("keeps each Avro file's header: writer schema bytes, key-value metadata and codec", async () => {
      const avroFiles = first.written.filter((uri) => uri.endsWith(".avro"));
      for (const uri of avroFiles) {
        const [source, rewritten] = await Promise.all([
          readAvroContainer((await store.get(sourceOf(uri)))!, sourceOf(uri)),
          readAvroContainer((await store.get(uri))!, uri),
        ]);
        expect(rewritten.codec).toBe(source.codec);
        expect(Object.keys(rewritten.metadata).sort()).toEqual(Object.keys(source.metadata).sort());
        for (const [key, value] of Object.entries(source.metadata)) {
          expect(rewritten.metadata[key]!.equals(value), `${uri} header ${key}`).toBe(true);
        }
        expect(rewritten.records).toHaveLength(source.records.length);
      }
      const manifest = await readAvroContainer((await store.get(avroFiles[0]!))!, avroFiles[0]!);
      expect(Object.keys(manifest.metadata)).toEqual(
        expect.arrayContaining(["avro.schema", "format-version"]),
      );
    });

    it("writes nothing on a second run", async () => {
      const again = await rewriteTableForTarget({
        metadataLocation: created.metadataLocation,
        buckets,
        store,
      });
      expect(again.written).toEqual([]);
      expect(again.reused).toEqual([first.metadataLocation]);
      expect(again.metadataLocation).toBe(first.metadataLocation);
      expect(await listKeys(s3, drBucket)).toEqual(drKeysAfterFirst);
    });

    it("rewrites a later commit incrementally, survives the loss of the source bucket and reads the same rows", async () => {
      const sourceKeysBefore = new Set(await listKeys(s3, sourceBucket));
      const appended = await appendToSourceTable("us-east-1", database, tableName, 1000);
      await replicateBucket(s3, sourceBucket, drBucket);
      const later = await rewriteTableForTarget({
        metadataLocation: appended.metadataLocation,
        buckets,
        store,
      });

      // Only what the commit made is rewritten: its metadata file, its manifest list and its new
      // manifests; everything older is found in place.
      expect(later.skipped).toBeUndefined();
      expect(later.written.length).toBeGreaterThanOrEqual(3);
      for (const uri of later.written) {
        const sourceKey = sourceOf(uri).slice(`s3://${sourceBucket}/`.length);
        expect(sourceKeysBefore.has(sourceKey), `${uri} was rewritten before`).toBe(false);
      }
      expect(later.written.filter((uri) => uri.endsWith(".metadata.json"))).toEqual([later.metadataLocation]);
      expect(later.written.filter((uri) => /\/snap-[^/]+\.avro$/.test(uri))).toHaveLength(1);
      expect(later.reused).toContain(first.metadataLocation);
      expect(later.dataFiles.length).toBeGreaterThan(0);

      await deleteBucket(s3, sourceBucket);

      const read = await readRegisteredTable(
        "us-west-2",
        later.metadataLocation,
        `${database}_dr`,
        tableName,
        created.firstSnapshotId,
      );
      expect(read.metadataLocation).toBe(later.metadataLocation);
      expect(read.rows).toEqual(appended.rows);
      expect(read.rows.count).toBe(created.rows.count + 9);
      expect(read.firstSnapshotRows).toEqual(created.firstSnapshotRows);
      for (const file of read.scannedFiles) expect(file.startsWith(`s3://${drBucket}/`)).toBe(true);
      // lakesync lists the same files from the rewritten tree, and the DR bucket has them all.
      const liveFiles = await currentSnapshotFiles({ metadataLocation: later.metadataLocation, store });
      expect(liveFiles).toEqual(read.scannedFiles);
      for (const file of liveFiles) expect(await store.exists(file), file).toBe(true);

      // No rewritten file names the source bucket anywhere in its records or metadata.
      const rewritten = await listKeys(
        s3,
        drBucket,
        `warehouse/${database}/${tableName}/metadata/lakesync-dr/`,
      );
      expect(rewritten.length).toBe(first.written.length + later.written.length);
      for (const key of rewritten) {
        const text = await readableText(`s3://${drBucket}/${key}`);
        expect(text, key).not.toContain(sourceBucket);
        expect(text, key).toContain(drBucket);
      }
    }, 300_000);
  },
);

describe("S3IcebergFileStore", () => {
  it("answers undefined and false for a missing object, and reads back what it wrote", async () => {
    const bucket = `lakesync-ice-probe-${randomBytes(4).toString("hex")}`;
    await createBucket(s3, bucket, "us-west-2");
    const uri = `s3://${bucket}/probe/object.bin`;
    expect(await store.get(uri)).toBeUndefined();
    expect(await store.exists(uri)).toBe(false);
    await store.put(uri, Buffer.from("probe"));
    expect(await store.exists(uri)).toBe(true);
    expect(Buffer.from((await store.get(uri))!).toString()).toBe("probe");
  });
});
