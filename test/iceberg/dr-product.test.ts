// The Iceberg DR rewrite through the product, against a real Iceberg implementation: pyiceberg
// builds a partitioned table in the source account's bucket and Glue catalog (two appends, a
// delete, a schema evolution, an append), the bucket is copied to the DR bucket as S3 replication
// would, and lakesync replicates the table -- once by `replicate --once` (the realtime path replays
// the CloudTrail-recorded CreateTable/UpdateTable calls of pyiceberg) and once by `backup` +
// `restore`. Then the source bucket is deleted and pyiceberg reads the table lakesync wrote in the
// DR region's Glue catalog.
import { randomBytes } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetTableCommand } from "@aws-sdk/client-glue";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { beforeAll, describe, expect, it } from "vitest";
import { localRoleArn } from "../../modules/aws/clients.ts";
import { S3IcebergFileStore } from "../../modules/aws/iceberg-file-store.ts";
import { readAvroContainer } from "../../modules/iceberg/avro-container.ts";
import { pointerOf } from "../../modules/iceberg/paths.ts";
import { metadataFileText } from "../../modules/iceberg/table-metadata.ts";
import { cli } from "../support/cli.ts";
import { client, testLocation } from "../support/local-aws.ts";
import {
  actAs,
  appendToSourceTable,
  createSourceTable,
  readRegisteredTable,
  type SourceTable,
} from "./pyiceberg.ts";
import { createBucket, deleteBucket, listKeys, replicateBucket } from "./s3-buckets.ts";

const source = testLocation("us-east-1");
const dr = { account: source.account, region: "us-west-2" };
const suffix = randomBytes(4).toString("hex");
const s3 = client("s3", source);
const store = new S3IcebergFileStore(() => s3);
const tableName = "orders";
const rewrittenKey = /\/metadata\/lakesync-dr\/[0-9a-f]{20}\/[^/]+$/;

beforeAll(async () => {
  // pyiceberg acts in the test's account, so CloudTrail records its Glue calls there.
  const { Credentials } = await client("sts", { region: source.region }).send(
    new AssumeRoleCommand({ RoleArn: localRoleArn(source.account), RoleSessionName: "pyiceberg" }),
  );
  actAs({
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken!,
  });
});

/** Every string a rewritten file holds: the metadata JSON text, or each Avro record as JSON. */
async function readableText(uri: string): Promise<string> {
  const bytes = (await store.get(uri))!;
  if (/\.metadata\.json(\.gz)?$/.test(uri)) return metadataFileText(uri, bytes);
  const container = await readAvroContainer(bytes, uri);
  const records = JSON.stringify(container.records, (_key, value) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  return `${records}\n${Object.values(container.metadata)
    .map((value) => value.toString("utf8"))
    .join("\n")}`;
}

async function drTableMetadataLocation(database: string): Promise<string> {
  const { Table } = await client("glue", dr).send(
    new GetTableCommand({ DatabaseName: database, Name: tableName }),
  );
  return String(Table?.Parameters?.metadata_location);
}

/** The DR scenario with one way of replicating: `sync` runs lakesync after each source change. */
function drScenario(
  name: string,
  sync: (database: string, buckets: { src: string; dr: string }) => Promise<void>,
  diffFlags?: (database: string, buckets: { src: string; dr: string }) => string[],
) {
  describe(name, () => {
    const sourceBucket = `lakesync-ice-${name.slice(0, 4)}-src-${suffix}`;
    const drBucket = `lakesync-ice-${name.slice(0, 4)}-dr-${suffix}`;
    const database = `ice_${name.slice(0, 4)}_${suffix}`;
    const buckets = { src: sourceBucket, dr: drBucket };
    let created: SourceTable;
    let drKeys: string[];

    beforeAll(async () => {
      await createBucket(s3, sourceBucket, source.region);
      await createBucket(s3, drBucket, dr.region);
      created = await createSourceTable(source.region, sourceBucket, database, tableName, "2");
      await replicateBucket(s3, sourceBucket, drBucket);
      await sync(database, buckets);
      drKeys = await listKeys(s3, drBucket);
    }, 300_000);

    it("points the DR table at a rewritten tree of the source's current metadata, in the DR bucket", async () => {
      const location = await drTableMetadataLocation(database);
      expect(location).toMatch(rewrittenKey);
      expect(location.startsWith(`s3://${drBucket}/warehouse/${database}/${tableName}/metadata/`)).toBe(true);
      expect(pointerOf(location)).toBe(created.metadataLocation.replace(sourceBucket, drBucket));
      const rewritten = drKeys.filter((key) => key.includes("/metadata/lakesync-dr/"));
      // 6 metadata versions, 4 manifest lists and their manifests.
      expect(rewritten.filter((key) => key.endsWith(".metadata.json"))).toHaveLength(6);
      expect(rewritten.filter((key) => /\/snap-[^/]+\.avro$/.test(key))).toHaveLength(
        created.snapshotIds.length,
      );
    });

    it("writes no new object when run again", async () => {
      await sync(database, buckets);
      expect(await listKeys(s3, drBucket)).toEqual(drKeys);
    }, 300_000);

    it("replicates a later append incrementally, and the table survives the loss of the source bucket", async () => {
      const before = new Set(await listKeys(s3, sourceBucket));
      const appended = await appendToSourceTable(source.region, database, tableName, 1000);
      if (diffFlags) {
        // Rewritten before S3 replication copied the new data files: diff warns, with counts.
        await sync(database, buckets);
        const lagging = await cli(["diff", ...diffFlags(database, buckets)]);
        expect(lagging.lastLine).toBe("source and target match: 0 differences");
        expect(lagging.stderr).toMatch(
          new RegExp(
            `^warning: target: ${database}\\.${tableName}: [1-9]\\d* of \\d+ data file\\(s\\) not in the target bucket yet \\(S3 replication lag\\)$`,
            "m",
          ),
        );
      }
      await replicateBucket(s3, sourceBucket, drBucket);
      await sync(database, buckets);
      if (diffFlags) expect((await cli(["diff", ...diffFlags(database, buckets)])).stderr).toBe("");

      const location = await drTableMetadataLocation(database);
      expect(pointerOf(location)).toBe(appended.metadataLocation.replace(sourceBucket, drBucket));
      const newRewrites = (await listKeys(s3, drBucket)).filter(
        (key) => key.includes("/metadata/lakesync-dr/") && !drKeys.includes(key),
      );
      // The new metadata file, its manifest list and its new manifest(s); nothing older again.
      expect(newRewrites.length).toBeGreaterThanOrEqual(3);
      for (const key of newRewrites) {
        expect(before.has(pointerOf(key)), `${key} was rewritten before`).toBe(false);
      }

      await deleteBucket(s3, sourceBucket);
      const read = await readRegisteredTable(dr.region, "-", database, tableName, created.firstSnapshotId);
      expect(read.metadataLocation).toBe(location);
      expect(read.rows).toEqual(appended.rows);
      expect(read.rows.count).toBe(created.rows.count + 9);
      expect(read.firstSnapshotRows).toEqual(created.firstSnapshotRows);
      for (const file of read.scannedFiles) expect(file.startsWith(`s3://${drBucket}/`)).toBe(true);

      const rewritten = (await listKeys(s3, drBucket)).filter((key) =>
        key.includes("/metadata/lakesync-dr/"),
      );
      for (const key of rewritten) {
        const text = await readableText(`s3://${drBucket}/${key}`);
        expect(text, key).not.toContain(sourceBucket);
      }
    }, 300_000);
  });
}

// ---- realtime: `lakesync replicate --once` replays pyiceberg's Glue calls ---------------------

let configFile: string;
let replicateRuns = 0;

drScenario("realtime", async (database, buckets) => {
  if (!configFile) {
    const dir = await mkdtemp(join(tmpdir(), "lakesync-iceberg-"));
    configFile = join(dir, "lakesync.config.json");
    const config = {
      source: { account: source.account, region: source.region },
      targets: [{ name: "dr", account: dr.account, region: dr.region }],
      mapping: { buckets: { [buckets.src]: buckets.dr } },
      filters: { include: [database] },
      batch: { backupBucket: `backups-${source.account}` },
      realtime: { journalTable: "journal", maxAttempts: 3 },
    };
    await writeFile(configFile, JSON.stringify(config));
  }
  replicateRuns += 1;
  // The second run replays every event again from a fresh journal: a replay writes nothing new.
  const fresh =
    replicateRuns === 2
      ? ["--journal-table", "journal-replay", "--since", new Date(Date.now() - 3_600_000).toISOString()]
      : [];
  const run = await cli(["replicate", "--once", "--json", "--config", configFile, ...fresh]);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  const outcomes = run.lines.map((line) => JSON.parse(line) as { eventName: string; state: string });
  const tableEvents = outcomes.filter((o) => o.eventName === "CreateTable" || o.eventName === "UpdateTable");
  expect(tableEvents.length, run.stdout).toBeGreaterThan(0);
  for (const outcome of tableEvents) expect(outcome.state, run.stdout).toBe("applied");
});

// ---- batch: `lakesync backup` then `lakesync restore` into the DR region -------------------------

const backupBucket = `lakesync-ice-backups-${suffix}`;
let backupBucketCreated = false;

const restoreDiffFlags = (database: string, buckets: { src: string; dr: string }) => [
  "--source-region",
  source.region,
  "--source-account",
  source.account,
  "--databases",
  database,
  "--target-region",
  dr.region,
  "--bucket-map",
  `${buckets.src}=${buckets.dr}`,
];

drScenario(
  "restore",
  async (database, buckets) => {
    const sourceFlags = ["--source-region", source.region, "--source-account", source.account];
    const backupFlags = ["--bucket", backupBucket, "--prefix", "ice/"];
    const first = !backupBucketCreated;
    if (first) await createBucket(s3, backupBucket, source.region);
    backupBucketCreated = true;
    const backup = await cli(["backup", ...sourceFlags, ...backupFlags, "--databases", database]);
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
    const restoreFlags = [
      "restore",
      "--from",
      "latest",
      ...sourceFlags,
      ...backupFlags,
      "--databases",
      database,
      "--target-region",
      dr.region,
      "--bucket-map",
      `${buckets.src}=${buckets.dr}`,
    ];
    if (first) {
      // The dry run counts the files the rewrite would write (6 metadata files, 4 manifest lists
      // and their manifests), and writes none.
      const dryRun = await cli([...restoreFlags, "--dry-run"]);
      expect(dryRun.code, dryRun.stderr).toBe(0);
      const line = new RegExp(
        `^  iceberg ${database}\\.${tableName}: (\\d+) metadata file\\(s\\) to rewrite into s3://${buckets.dr}, 0 already rewritten$`,
        "m",
      ).exec(dryRun.stdout);
      expect(Number(line?.[1]), dryRun.stdout).toBeGreaterThan(10);
      expect((await listKeys(s3, buckets.dr)).filter((key) => key.includes("/lakesync-dr/"))).toEqual([]);
    }
    const restore = await cli(restoreFlags);
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    expect(restore.stdout).toContain("0 failed");
    // The target's rewritten pointers stand for the source's metadata: no difference is left.
    const diff = await cli(["diff", ...restoreDiffFlags(database, buckets)]);
    expect(diff.lastLine, diff.stdout).toBe("source and target match: 0 differences");
  },
  restoreDiffFlags,
);
