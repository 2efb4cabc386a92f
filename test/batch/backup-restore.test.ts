// `lakesync backup` and `restore` against local AWS: the S3 format (manifest fields, checksums
// of every part), retention, dry run, point-in-time restore into an empty region with an S3
// remap, and diff reporting 0 differences afterwards.
import { gunzipSync } from "node:zlib";
import { GetDatabasesCommand } from "@aws-sdk/client-glue";
import { GetDataLakeSettingsCommand } from "@aws-sdk/client-lakeformation";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { S3BackupStorage } from "../../modules/aws/backup-store.ts";
import { parseManifest } from "../../modules/backup/manifest.ts";
import { writeBackup } from "../../modules/batch/backup.ts";
import { recordKeys } from "../../modules/catalog/model.ts";
import { cli } from "../support/cli.ts";
import { client, testLocation } from "../support/local-aws.ts";
import {
  countByKind,
  createSampleCatalog,
  rawCatalogJson,
  sampleBucket,
  sha256,
  snapshot,
} from "./catalog-support.ts";

const source = testLocation("us-east-1");
const target = { account: source.account, region: "eu-west-1" };
const backupBucket = `lakesync-backups-${source.account}`;
const drBucket = "lakesync-sample-lake-dr";
const s3 = client("s3", source);

const sourceFlags = ["--source-region", source.region, "--source-account", source.account];
const lakeAdmin = `arn:aws:iam::${source.account}:role/LakeAdmin`;
const drAdmin = `arn:aws:iam::${source.account}:role/DrLakeAdmin`;
const targetFlags = [
  "--target-region",
  target.region,
  "--bucket-map",
  `${sampleBucket}=${drBucket}`,
  "--principal-map",
  `${lakeAdmin}=${drAdmin}`,
];
const backupFlags = ["--bucket", backupBucket, "--prefix", "dr/"];

const text = async (key: string) => {
  const answer = await s3.send(new GetObjectCommand({ Bucket: backupBucket, Key: key }));
  return Buffer.from(await answer.Body!.transformToByteArray());
};
const keys = async (prefix: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: backupBucket, Prefix: prefix }))).Contents ?? [])
    .map((o) => o.Key!)
    .sort();
const backupIds = async () =>
  [...new Set((await keys(`dr/${source.account}/${source.region}/`)).map((k) => k.split("/")[3]!))].sort();

beforeAll(async () => {
  await createSampleCatalog(source);
  await s3.send(new CreateBucketCommand({ Bucket: backupBucket }));
});

describe("backup", () => {
  let firstUrl = "";

  it("writes gzip JSON Lines parts and a manifest whose counts and checksums match", async () => {
    const run = await cli(["backup", ...sourceFlags, ...backupFlags, "--keep", "2", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const output = JSON.parse(run.stdout) as { url: string };
    firstUrl = output.url;
    expect(firstUrl).toMatch(
      new RegExp(`^s3://${backupBucket}/dr/${source.account}/${source.region}/\\d{8}T\\d{9}Z/$`),
    );

    const folder = firstUrl.slice(`s3://${backupBucket}/`.length);
    const manifest = parseManifest((await text(`${folder}manifest.json`)).toString(), "manifest");
    const live = await snapshot(source);
    expect(manifest).toMatchObject({
      formatVersion: 1,
      source: { account: source.account, region: source.region },
      databases: "all",
    });
    expect(Date.parse(manifest.completedAt)).toBeGreaterThanOrEqual(Date.parse(manifest.startedAt));
    expect(manifest.counts).toEqual(countByKind(live));
    expect(manifest.totalRecords).toBe(live.length);
    expect(await keys(folder)).toEqual(
      [...manifest.parts.map((p) => `${folder}${p.name}`), `${folder}manifest.json`].sort(),
    );
    for (const part of manifest.parts) {
      const body = await text(`${folder}${part.name}`);
      expect(sha256(body)).toBe(part.sha256);
      expect(body.length).toBe(part.bytes);
      const lines = gunzipSync(body).toString().trim().split("\n");
      expect(lines).toHaveLength(part.records);
      expect(lines.map((l) => JSON.parse(l).kind)).toContain("partition");
    }
  });

  it("keeps the newest --keep backups and deletes the older ones", async () => {
    const before = await backupIds();
    for (let i = 0; i < 2; i++)
      expect((await cli(["backup", ...sourceFlags, ...backupFlags, "--keep", "2"])).code).toBe(0);
    const after = await backupIds();
    expect(after).toHaveLength(2);
    expect(after).not.toContain(before[0]);
    expect(after[1]! > after[0]! && after[0]! > before[0]!).toBe(true);
  });

  it("with --json prints nothing but the JSON document", async () => {
    const run = await cli(["backup", ...sourceFlags, ...backupFlags, "--keep", "2", "--json"]);
    expect(run.code).toBe(0);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stderr).toBe("");
  });
});

describe("restore", () => {
  it("--dry-run prints the plan and changes nothing", async () => {
    const run = await cli([
      "restore",
      "--from",
      "latest",
      ...sourceFlags,
      ...backupFlags,
      ...targetFlags,
      "--dry-run",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("+ create table sampledb.elb_logs");
    expect(run.lastLine).toMatch(/^dry run: \d+ operation\(s\) planned, nothing changed$/);
    expect((await client("glue", target).send(new GetDatabasesCommand({}))).DatabaseList).toEqual([]);
  });

  it("restores a kept backup (point in time) into an empty region, remapping every S3 location", async () => {
    const [oldest] = await backupIds();
    const url = `s3://${backupBucket}/dr/${source.account}/${source.region}/${oldest}/manifest.json`;
    // Without a config the target account is the caller's; this test's account is not the caller.
    const run = await cli(["restore", "--from", url, ...targetFlags, "--target-account", target.account]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("0 failed");

    const restored = await rawCatalogJson(target);
    const sourceObjects = await rawCatalogJson(source);
    expect(restored).toHaveLength(sourceObjects.length);
    const all = restored.join("\n");
    expect(all).not.toMatch(new RegExp(`s3://${sampleBucket}/|arn:aws:s3:::${sampleBucket}["/]`));
    const sourceLocations =
      sourceObjects.join("\n").match(new RegExp(`(s3://|arn:aws:s3:::)${sampleBucket}`, "g")) ?? [];
    const remapped = all.match(new RegExp(`(s3://|arn:aws:s3:::)${drBucket}`, "g")) ?? [];
    expect(sourceLocations.length).toBeGreaterThan(10);
    expect(remapped).toHaveLength(sourceLocations.length);

    const settings = await client("lakeformation", target).send(new GetDataLakeSettingsCommand({}));
    expect(settings.DataLakeSettings?.DataLakeAdmins).toEqual([{ DataLakePrincipalIdentifier: drAdmin }]);

    const diff = await cli(["diff", ...sourceFlags, ...targetFlags]);
    expect(diff.code, diff.stdout).toBe(0);
    expect(diff.lastLine).toBe("source and target match: 0 differences");
  });

  it("restoring again touches nothing: unchanged objects are not written", async () => {
    const run = await cli([
      "restore",
      "--from",
      "latest",
      ...sourceFlags,
      ...backupFlags,
      ...targetFlags,
      "--json",
    ]);
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as { targets: { differences: number; operations: unknown[] }[] };
    expect(output.targets).toEqual([expect.objectContaining({ differences: 0, operations: [] })]);
    const diff = await cli([
      "diff",
      "--from",
      "latest",
      ...sourceFlags,
      ...backupFlags,
      ...targetFlags,
      "--json",
    ]);
    expect(diff.code).toBe(0);
    expect(JSON.parse(diff.stdout)).toMatchObject({ match: true, differences: 0 });
  });

  it("--databases restores and compares only the named databases", async () => {
    const partial = [
      "--target-region",
      "ap-southeast-2",
      "--bucket-map",
      `${sampleBucket}=${drBucket}`,
      "--databases",
      "cur_database",
    ];
    const run = await cli(["restore", "--from", "latest", ...sourceFlags, ...backupFlags, ...partial]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const names = (
      await client("glue", { ...target, region: "ap-southeast-2" }).send(new GetDatabasesCommand({}))
    ).DatabaseList?.map((d) => d.Name);
    expect(names).toEqual(["cur_database"]);
    const diff = await cli(["diff", ...sourceFlags, ...partial]);
    expect(diff.lastLine).toBe("source and target match: 0 differences");
    const everything = await cli([
      "diff",
      ...sourceFlags,
      "--target-region",
      "ap-southeast-2",
      "--bucket-map",
      `${sampleBucket}=${drBucket}`,
    ]);
    expect(everything.code).toBe(2);
  });

  it("exits 1 and names the failed operations when the target rejects a write", async () => {
    // A valid backup of an inconsistent catalog: a partition whose table is not in it.
    const storage = new S3BackupStorage(s3, backupBucket);
    const orphan = { account: source.account, region: "sa-east-1" };
    const { folder } = await writeBackup(
      { storage, now: () => new Date() },
      {
        source: orphan,
        prefix: "orphans/",
        databases: "all",
        records: [
          { kind: "database", key: recordKeys.database("odb"), value: { Name: "odb" } },
          {
            kind: "partition",
            key: recordKeys.partition("odb", "gone", ["1"]),
            value: { DatabaseName: "odb", TableName: "gone", PartitionInput: { Values: ["1"] } },
          },
        ],
      },
    );
    const run = await cli([
      "restore",
      "--from",
      `s3://${backupBucket}/${folder}`,
      "--target-region",
      "ca-central-1",
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/1 applied, .* 1 failed/);
    expect(run.stdout).toMatch(/failed: create 1 partition\(s\) of odb\.gone: /);
    expect(run.lastLine).toBe("restore finished with 1 failed operation(s)");
  });

  it("refuses a backup whose part does not match its manifest checksum (exit 1)", async () => {
    const [, newest] = await backupIds();
    const folder = `dr/${source.account}/${source.region}/${newest}/`;
    const manifest = parseManifest((await text(`${folder}manifest.json`)).toString(), "m");
    const forged = `dr/forged/${newest}/`;
    const part = manifest.parts[0]!;
    const body = await text(`${folder}${part.name}`);
    await s3.send(
      new PutObjectCommand({
        Bucket: backupBucket,
        Key: `${forged}${part.name}`,
        Body: body.subarray(0, body.length - 1),
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: backupBucket,
        Key: `${forged}manifest.json`,
        Body: JSON.stringify(manifest),
      }),
    );
    const run = await cli([
      "restore",
      "--from",
      `s3://${backupBucket}/${forged}`,
      ...sourceFlags,
      ...targetFlags,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/checksum mismatch/);
  });

  it("exits 1 with a one-line reason when there is no backup or no target", async () => {
    const missing = await cli([
      "restore",
      "--from",
      `s3://${backupBucket}/dr/nothing/here/`,
      ...sourceFlags,
      ...targetFlags,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no manifest/);
    const noTarget = await cli(["diff", ...sourceFlags]);
    expect(noTarget.code).toBe(1);
    expect(noTarget.stderr).toMatch(/no target/);
  });
});
