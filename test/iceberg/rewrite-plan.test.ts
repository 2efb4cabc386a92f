// The rewrite use case on an in-memory store: keys derived from source and content, children
// written before the files that name them, re-runs that write nothing, incremental commits, and
// tables reported skipped instead of half rewritten.
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readAvroContainer } from "../../modules/iceberg/avro-container.ts";
import { currentSnapshotFiles } from "../../modules/iceberg/data-files.ts";
import { PathMapper } from "../../modules/iceberg/paths.ts";
import { planTableRewrite } from "../../modules/iceberg/plan.ts";
import { rewriteTableForTarget } from "../../modules/iceberg/rewrite-table.ts";
import { dataFileEntry, MemoryFileStore, manifest, manifestList, tableMetadata } from "./iceberg-files.ts";

const table = "s3://src-lake/wh/db/t";
const buckets = { "src-lake": "dr-lake" };

/** A table after one commit: metadata v1 -> snap-1 -> m1 (two data files). */
async function oneCommit(store: MemoryFileStore) {
  store.files.set(
    `${table}/metadata/m1.avro`,
    await manifest([dataFileEntry(`${table}/data/a.parquet`), dataFileEntry(`${table}/data/b.parquet`)]),
  );
  store.files.set(`${table}/metadata/snap-1.avro`, await manifestList([`${table}/metadata/m1.avro`], 1n));
  store.files.set(
    `${table}/metadata/00001.metadata.json`,
    tableMetadata(
      table,
      [`${table}/metadata/snap-1.avro`],
      [`${table}/metadata/00000-expired.metadata.json`],
    ),
  );
  return `${table}/metadata/00001.metadata.json`;
}

/** The next commit: metadata v2 -> snap-2 -> (m1, m2). */
async function secondCommit(store: MemoryFileStore) {
  const removed = { ...dataFileEntry(`${table}/data/z.parquet`), status: 2 };
  store.files.set(
    `${table}/metadata/m2.avro`,
    await manifest([dataFileEntry(`${table}/data/c.parquet`), removed]),
  );
  store.files.set(
    `${table}/metadata/snap-2.avro`,
    await manifestList([`${table}/metadata/m1.avro`, `${table}/metadata/m2.avro`], 2n),
  );
  store.files.set(
    `${table}/metadata/00002.metadata.json`,
    tableMetadata(
      table,
      [`${table}/metadata/snap-1.avro`, `${table}/metadata/snap-2.avro`],
      [`${table}/metadata/00001.metadata.json`],
    ),
  );
  return `${table}/metadata/00002.metadata.json`;
}

describe("rewritten keys", () => {
  const mapper = new PathMapper(buckets);
  const bytes = Buffer.from("content");

  it("sit beside the source file under lakesync-dr/<hash>/ with the source file name", () => {
    expect(mapper.rewrittenUri(`${table}/metadata/snap-1.avro`, bytes)).toMatch(
      /^s3:\/\/dr-lake\/wh\/db\/t\/metadata\/lakesync-dr\/[0-9a-f]{20}\/snap-1\.avro$/,
    );
  });

  it("are the same for the same source, mapping and content, and differ when any of them does", () => {
    const key = mapper.rewrittenUri(`${table}/metadata/m.avro`, bytes);
    expect(
      new PathMapper({ ...buckets }).rewrittenUri(`${table}/metadata/m.avro`, Buffer.from("content")),
    ).toBe(key);
    expect(mapper.rewrittenUri(`${table}/metadata/m.avro`, Buffer.from("other"))).not.toBe(key);
    expect(mapper.rewrittenUri(`${table}/metadata/n/m.avro`, bytes)).not.toMatch(key.split("/").at(-2)!);
    expect(
      new PathMapper({ ...buckets, "logs-lake": "dr-logs" }).rewrittenUri(`${table}/metadata/m.avro`, bytes),
    ).not.toBe(key);
  });
});

describe("rewriteTableForTarget", () => {
  it("writes manifests, then the manifest list, then the metadata file, all in the target bucket", async () => {
    const store = new MemoryFileStore();
    const metadataLocation = await oneCommit(store);
    const result = await rewriteTableForTarget({ metadataLocation, buckets, store });

    expect(result.skipped).toBeUndefined();
    expect(result.written.map((uri) => uri.split("/").at(-1))).toEqual([
      "m1.avro",
      "snap-1.avro",
      "00001.metadata.json",
    ]);
    expect(store.puts).toEqual(result.written);
    expect(result.metadataLocation).toBe(result.written.at(-1));
    expect(result.dataFiles).toEqual([
      "s3://dr-lake/wh/db/t/data/a.parquet",
      "s3://dr-lake/wh/db/t/data/b.parquet",
    ]);

    const metadata = JSON.parse(Buffer.from(store.files.get(result.metadataLocation)!).toString()) as {
      location: string;
      snapshots: { "manifest-list": string }[];
      "metadata-log": { "metadata-file": string }[];
    };
    expect(metadata.location).toBe("s3://dr-lake/wh/db/t");
    expect(metadata.snapshots[0]!["manifest-list"]).toBe(result.written[1]);
    // A previous metadata file that is gone (expired) is only mapped.
    expect(metadata["metadata-log"][0]!["metadata-file"]).toBe(
      "s3://dr-lake/wh/db/t/metadata/00000-expired.metadata.json",
    );
    const list = await readAvroContainer(store.files.get(result.written[1]!)!, "list");
    expect(list.records).toMatchObject([{ manifest_path: result.written[0] }]);
  });

  it("writes nothing on a re-run, and only the new files for a later commit", async () => {
    const store = new MemoryFileStore();
    const first = await rewriteTableForTarget({ metadataLocation: await oneCommit(store), buckets, store });
    const again = await rewriteTableForTarget({
      metadataLocation: `${table}/metadata/00001.metadata.json`,
      buckets,
      store,
    });
    expect(again).toEqual({
      metadataLocation: first.metadataLocation,
      written: [],
      reused: [first.metadataLocation],
      dataFiles: [],
    });

    const later = await rewriteTableForTarget({
      metadataLocation: await secondCommit(store),
      buckets,
      store,
    });
    expect(later.written.map((uri) => uri.split("/").at(-1))).toEqual([
      "m2.avro",
      "snap-2.avro",
      "00002.metadata.json",
    ]);
    expect(later.reused.sort()).toEqual([first.written[0], first.written[1], first.metadataLocation].sort());
    expect(later.dataFiles).toEqual(["s3://dr-lake/wh/db/t/data/c.parquet"]);
    const metadata = JSON.parse(Buffer.from(store.files.get(later.metadataLocation)!).toString()) as {
      "metadata-log": { "metadata-file": string }[];
    };
    expect(metadata["metadata-log"][0]!["metadata-file"]).toBe(first.metadataLocation);
    // The current snapshot of the rewritten tree reads all three files, from the target bucket.
    expect(await currentSnapshotFiles({ metadataLocation: later.metadataLocation, store })).toEqual([
      "s3://dr-lake/wh/db/t/data/a.parquet",
      "s3://dr-lake/wh/db/t/data/b.parquet",
      "s3://dr-lake/wh/db/t/data/c.parquet",
    ]);
  });

  it("rewrites a gzip-compressed metadata file (.gz.metadata.json) and compresses the result", async () => {
    const store = new MemoryFileStore();
    await oneCommit(store);
    const gzipped = `${table}/metadata/00001-x.gz.metadata.json`;
    store.files.set(gzipped, gzipSync(store.files.get(`${table}/metadata/00001.metadata.json`)!));
    const result = await rewriteTableForTarget({ metadataLocation: gzipped, buckets, store });
    expect(result.metadataLocation).toMatch(/\/00001-x\.gz\.metadata\.json$/);
    const text = gunzipSync(store.files.get(result.metadataLocation)!).toString();
    expect(text).toContain('"location":"s3://dr-lake/wh/db/t"');
    expect(text).not.toContain("src-lake");
  });

  it("keeps an empty manifest list a valid Avro file", async () => {
    const store = new MemoryFileStore();
    store.files.set(`${table}/metadata/snap-0.avro`, await manifestList([], 5n));
    store.files.set(
      `${table}/metadata/00003.metadata.json`,
      tableMetadata(table, [`${table}/metadata/snap-0.avro`]),
    );
    const result = await rewriteTableForTarget({
      metadataLocation: `${table}/metadata/00003.metadata.json`,
      buckets,
      store,
    });
    const list = await readAvroContainer(store.files.get(result.written[0]!)!, "list");
    expect(list.records).toEqual([]);
    expect(list.metadata["snapshot-id"]!.toString()).toBe("5");
  });

  it("reports a table with position deletes skipped, writing nothing", async () => {
    const store = new MemoryFileStore();
    const metadataLocation = await oneCommit(store);
    store.files.set(
      `${table}/metadata/m1.avro`,
      await manifest([dataFileEntry(`${table}/data/deletes.parquet`, 1)]),
    );
    const result = await rewriteTableForTarget({ metadataLocation, buckets, store });
    expect(result.skipped).toMatch(
      /names the position-delete file s3:\/\/src-lake\/wh\/db\/t\/data\/deletes\.parquet/,
    );
    expect(result.written).toEqual([]);
    expect(result.metadataLocation).toBe("s3://dr-lake/wh/db/t/metadata/00001.metadata.json");
    expect(store.puts).toEqual([]);
  });

  it("reports skipped a table whose bucket the mapping does not move, or whose files are missing", async () => {
    const store = new MemoryFileStore();
    const metadataLocation = await oneCommit(store);
    expect(
      await planTableRewrite({ metadataLocation, buckets: { "another-lake": "dr-lake" }, store }),
    ).toEqual({
      skipped: `${metadataLocation} is in a bucket the bucket mapping does not move`,
    });
    store.files.delete(`${table}/metadata/m1.avro`);
    expect(await planTableRewrite({ metadataLocation, buckets, store })).toEqual({
      skipped: `${table}/metadata/m1.avro is named by the table's metadata but does not exist`,
    });
  });
});
