// The backup format as plain data: manifest, gzip JSON Lines parts with checksums, layout,
// retention selection and the ordered merge of parts.
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  decodeLines,
  decodePart,
  encodeLines,
  encodePart,
  partName,
  sha256Hex,
  validatedPartRecords,
  validatePart,
} from "../../modules/backup/jsonl.ts";
import {
  backupFolder,
  backupFolderOfUrl,
  backupId,
  isBackupId,
  normalisePrefix,
  parseS3Url,
} from "../../modules/backup/layout.ts";
import { BackupFormatError, buildManifest, parseManifest } from "../../modules/backup/manifest.ts";
import { mergeOrdered, mergeSources } from "../../modules/backup/merge.ts";
import { expiredBackups, newestBackup } from "../../modules/backup/retention.ts";
import { compareRecords, recordKeys, type SnapshotRecord } from "../../modules/catalog/model.ts";

const database = (name: string): SnapshotRecord => ({
  kind: "database",
  key: recordKeys.database(name),
  value: { Name: name },
});
const table = (db: string, name: string): SnapshotRecord => ({
  kind: "table",
  key: recordKeys.table(db, name),
  value: {
    DatabaseName: db,
    TableInput: { Name: name, StorageDescriptor: { Location: `s3://b/${db}/${name}/` } },
  },
});
const settings: SnapshotRecord = { kind: "dataLakeSettings", key: "settings", value: { DataLakeAdmins: [] } };

const collect = async <T>(items: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

describe("backup parts", () => {
  const records = [settings, database("sales"), table("sales", "orders"), table("sales", "line\titems\n")];

  it("round-trips records through gzip JSON Lines, one record per line", async () => {
    expect(encodeLines(records).split("\n")).toHaveLength(records.length + 1);
    const part = await encodePart(records);
    expect(part.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip magic
    expect(part.sha256).toBe(sha256Hex(part.body));
    expect(part.counts).toEqual({ dataLakeSettings: 1, database: 1, table: 2 });
    expect(await decodePart(part.body, part.sha256, "part")).toEqual(records);
  });

  it("refuses a part whose bytes do not match the manifest checksum", async () => {
    const part = await encodePart(records);
    const tampered = Buffer.from(part.body);
    tampered[tampered.length - 5] = (tampered[tampered.length - 5]! + 1) % 256;
    await expect(decodePart(tampered, part.sha256, "s3://b/p")).rejects.toThrow(/checksum mismatch/);
  });

  it("refuses lines that are not snapshot records", () => {
    expect(() =>
      decodeLines(
        '{"kind":"database","key":"a","value":{"Name":"a"}}\n{"kind":"bogus","key":"b","value":{}}\n',
        "p",
      ),
    ).toThrow(/p line 2: not a snapshot record: kind: /);
    // Each kind's identity fields are checked too, by line: never a TypeError later.
    expect(() => decodeLines('{"kind":"database","key":"a","value":{}}\n', "p")).toThrow(
      /^p line 1: not a database record: value.Name: /,
    );
    expect(() => decodeLines("{not json\n", "p")).toThrow(BackupFormatError);
  });

  it("streams a large part in and out: the bytes of one gzip call, the records back in order", async () => {
    // Many encoder and gunzip chunks, lines split across them, multi-byte characters included.
    const many = Array.from({ length: 3000 }, (_, i) => table("sales", `t${i}-é€😀-${"x".repeat(i % 97)}`));
    const part = await encodePart(many);
    expect(part.body.equals(gzipSync(Buffer.from(encodeLines(many), "utf8")))).toBe(true);
    expect(part.first).toEqual({ kind: "table", key: many[0]!.key });
    expect(await validatePart(part.body, "p")).toBe(many.length);
    expect(await collect(validatedPartRecords(part.body, "p"))).toEqual(many);
    expect(await decodePart(part.body, part.sha256, "p")).toEqual(many);
    const empty = await encodePart([]);
    expect(empty.first).toBeUndefined();
    expect(await decodePart(empty.body, empty.sha256, "p")).toEqual([]);
  });

  it("refuses a truncated part, naming it", async () => {
    const part = await encodePart(records);
    const truncated = part.body.subarray(0, part.body.length - 8);
    await expect(validatePart(truncated, "s3://b/p")).rejects.toThrow(
      /^s3:\/\/b\/p: not a complete gzip file/,
    );
  });

  it("names parts so they sort in order", () => {
    expect(partName(1)).toBe("part-00001.jsonl.gz");
    expect([partName(10), partName(2)].sort()).toEqual([partName(2), partName(10)]);
  });
});

describe("manifest", () => {
  const part = (name: string, counts: Record<string, number>) => ({
    name,
    records: Object.values(counts).reduce((a, b) => a + b, 0),
    bytes: 10,
    sha256: "a".repeat(64),
    counts,
  });
  const manifest = buildManifest({
    id: "20261122T110816123Z",
    source: { account: "111122223333", region: "us-east-1" },
    startedAt: "2026-11-22T11:08:16.123Z",
    completedAt: "2026-11-22T11:09:00.000Z",
    databases: "all",
    parts: [
      part("part-00001.jsonl.gz", { database: 2, table: 5 }),
      part("part-00002.jsonl.gz", { table: 1, permission: 3 }),
    ],
  });

  it("sums counts per kind over the parts and carries the format version", () => {
    expect(manifest).toMatchObject({
      formatVersion: 1,
      tool: "lakesync",
      totalRecords: 11,
      counts: { database: 2, table: 6, permission: 3 },
    });
  });

  it("parses what it writes and rejects anything else", () => {
    expect(parseManifest(JSON.stringify(manifest), "m")).toEqual(manifest);
    expect(() => parseManifest(JSON.stringify({ ...manifest, formatVersion: 2 }), "s3://b/m")).toThrow(
      /^s3:\/\/b\/m: written by a newer lakesync \(format 2\); this one reads format 1$/,
    );
    expect(() =>
      parseManifest(JSON.stringify({ ...manifest, parts: [{ ...manifest.parts[0], sha256: "xyz" }] }), "m"),
    ).toThrow(/parts\.0\.sha256/);
    expect(() => parseManifest("{", "m")).toThrow(/not JSON/);
  });
});

describe("layout", () => {
  it("uses time-sortable ids under <prefix><account>/<region>/", () => {
    const a = backupId(new Date("2026-01-02T03:04:05.006Z"));
    const b = backupId(new Date("2026-11-22T11:08:16.123Z"));
    expect(a).toBe("20260102T030405006Z");
    expect(isBackupId(a) && a < b).toBe(true);
    expect(backupFolder("lakesync/backups", { account: "111122223333", region: "eu-west-1" }, a)).toBe(
      "lakesync/backups/111122223333/eu-west-1/20260102T030405006Z/",
    );
    expect(normalisePrefix("")).toBe("");
    expect(normalisePrefix("/x/y")).toBe("x/y/");
  });

  it("reads backup URLs given as a folder or its manifest", () => {
    expect(parseS3Url("s3://bucket/a/b")).toEqual({ bucket: "bucket", key: "a/b" });
    expect(backupFolderOfUrl("s3://bucket/p/1/r/id/manifest.json")).toEqual({
      bucket: "bucket",
      key: "p/1/r/id/",
    });
    expect(backupFolderOfUrl("s3://bucket/p/1/r/id")).toEqual({ bucket: "bucket", key: "p/1/r/id/" });
    expect(() => parseS3Url("https://bucket/x")).toThrow(/expected an S3 URL/);
  });
});

describe("retention", () => {
  const ids = ["20260101T000000000Z", "20260103T000000000Z", "20260102T000000000Z", "20260104T000000000Z"];

  it("deletes the oldest so that keep remain", () => {
    expect(expiredBackups(ids, 2)).toEqual(["20260102T000000000Z", "20260101T000000000Z"]);
    expect(expiredBackups(ids, 10)).toEqual([]);
  });

  it("never deletes the newest, and ignores folders that are not backup ids", () => {
    expect(expiredBackups(ids, 0)).toEqual([
      "20260103T000000000Z",
      "20260102T000000000Z",
      "20260101T000000000Z",
    ]);
    expect(expiredBackups([...ids, "notes"], 3)).toEqual(["20260101T000000000Z"]);
    expect(newestBackup(ids)).toBe("20260104T000000000Z");
    expect(newestBackup([])).toBeUndefined();
  });
});

describe("mergeOrdered", () => {
  it("merges canonically ordered parts into one canonically ordered stream", async () => {
    const catalogUnit = [settings];
    const salesUnit = [database("sales"), table("sales", "a"), table("sales", "b")];
    const hrUnit = [database("hr"), table("hr", "z")];
    const merged = await collect(mergeOrdered([salesUnit, catalogUnit, hrUnit]));
    expect(merged.map((r) => `${r.kind}:${r.key}`)).toEqual([
      "dataLakeSettings:settings",
      "database:hr",
      "database:sales",
      "table:hr/z",
      "table:sales/a",
      "table:sales/b",
    ]);
    expect([...merged].sort(compareRecords)).toEqual(merged);
    expect(await collect(mergeOrdered([]))).toEqual([]);
  });

  it("opens a part whose first record is known only when the merge reaches it", async () => {
    const opened: string[] = [];
    const part = (name: string, records: SnapshotRecord[]) => ({
      first: { kind: records[0]!.kind, key: records[0]!.key },
      open: () => {
        opened.push(name);
        return records;
      },
    });
    const merged = mergeSources([
      part("1", [settings, database("a")]),
      part("2", [database("b"), table("a", "t")]),
      part("3", [table("b", "u")]),
    ]);
    expect((await merged.next()).value).toEqual(settings);
    expect(opened).toEqual(["1"]);
    const rest = await collect(merged);
    expect(rest.map((r) => r.key)).toEqual(["a", "b", "a/t", "b/u"]);
    expect(opened).toEqual(["1", "2", "3"]);
  });
});
