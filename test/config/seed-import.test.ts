import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importSeedConfig, SeedImportError } from "../../modules/config/import/seed-import.ts";
import { parseConfig } from "../../modules/config/load.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/config/${name}`, import.meta.url), "utf8");

const sourceAccountMissing = {
  key: "source.account",
  reason:
    "required, and the seed files have no account ids (the seeds ran inside the source account): set the source's 12-digit account id",
};
const targetAccountMissing = {
  key: "targets[0].account",
  reason:
    "required, and the seed files have no account ids (the seeds replicated within one account): set it to the source account for a same-account DR copy, or to the DR account",
};
const lfReason =
  "lakesync stores Lake Formation permissions inside each backup under batch.backupBucket/backupPrefix; a separate permissions export has no equivalent";
const regionListReason =
  "documentation only in the seed (never checked); lakesync validates region names itself";
const filenameReason =
  "lakesync names each backup itself (a timestamped snapshot under batch.backupPrefix, the last batch.keepBackups kept); a fixed file name has no equivalent";

describe("importing the realtime seed config (glue-lf-config.conf)", () => {
  it("maps regions, the look-back window and the bucket map, and reports what is missing", () => {
    expect(importSeedConfig(fixture("glue-lf-config.conf"))).toEqual({
      format: "realtime",
      config: {
        $schema: "./lakesync.config.schema.json",
        source: { region: "us-east-1" },
        targets: [{ name: "dr-us-west-2", region: "us-west-2" }],
        mapping: {
          buckets: {
            "lf-metadata-111122223333-us-east-1": "lf-metadata-111122223333-us-west-2",
            "acme-raw-use1": "acme-raw-usw2",
          },
        },
        realtime: { lookbackMinutes: 60 },
        batch: {},
      },
      unmapped: [
        sourceAccountMissing,
        targetAccountMissing,
        {
          key: "batch.backupBucket",
          reason:
            "required, and the realtime seed made no backups: name the S3 bucket for lakesync's catalog backups",
        },
      ],
      valid: false,
    });
  });

  it("gives a draft that validates once the reported fields are filled in", () => {
    const { config } = importSeedConfig(fixture("glue-lf-config.conf"));
    const completed = {
      ...config,
      source: { ...(config.source as object), account: "111122223333" },
      targets: [{ ...(config.targets as object[])[0], account: "111122223333" }],
      batch: { backupBucket: "acme-lakesync-backups" },
    };
    const parsed = parseConfig(completed, "imported.json");
    expect(parsed.realtime.lookbackMinutes).toBe(60);
    expect(parsed.targets[0]).toEqual({
      name: "dr-us-west-2",
      account: "111122223333",
      region: "us-west-2",
      protectedAdmins: [],
    });
  });

  it("keeps the look-back window inside what lakesync accepts, saying so", () => {
    const conf = (hours: string) =>
      `[AwsDataCatalog]\nsource_region = us-east-1\ndestination_region = us-west-2\ncloudtrail_lookup_hour_duration = ${hours}\n`;
    const short = importSeedConfig(conf("0.25"));
    expect(short.config.realtime).toEqual({ lookbackMinutes: 20 });
    expect(short.unmapped[0]).toEqual({
      key: "AwsDataCatalog.cloudtrail_lookup_hour_duration",
      reason:
        "0.25 h is 15 min; realtime.lookbackMinutes must be 20–1440 (poll interval + CloudTrail's 15 min delivery delay, at most a day), so 20 was used",
    });
    expect(importSeedConfig(conf("48")).config.realtime).toEqual({ lookbackMinutes: 1440 });
    expect(importSeedConfig(conf("an hour")).unmapped[0]).toEqual({
      key: "AwsDataCatalog.cloudtrail_lookup_hour_duration",
      reason: 'expected a positive number of hours, got "an hour"',
    });
  });

  it("reports a bucket map that is not a valid Python dict of strings", () => {
    const base = "[AwsDataCatalog]\nsource_region = us-east-1\ndestination_region = us-west-2\n";
    expect(importSeedConfig(`${base}S3BucketMapping = {'a-bucket': 'b-bucket'`).unmapped[0]).toEqual({
      key: "AwsDataCatalog.S3BucketMapping",
      reason: `not a valid Python literal (expected "," or "}", got end of input at offset 23): {'a-bucket': 'b-bucket'`,
    });
    expect(importSeedConfig(`${base}S3BucketMapping = ['a-bucket']`).unmapped[0]).toEqual({
      key: "AwsDataCatalog.S3BucketMapping",
      reason: "expected a dict of source bucket → target bucket names, like {'src-bucket': 'dst-bucket'}",
    });
  });
});

describe("importing the batch seed config (glue_config.conf)", () => {
  it("maps every option of the seed's own file, and explains each one it cannot map", () => {
    expect(importSeedConfig(fixture("glue_config.conf"))).toEqual({
      format: "batch",
      config: {
        $schema: "./lakesync.config.schema.json",
        source: { region: "us-east-1" },
        targets: [{ name: "dr-ap-south-1", region: "ap-south-1" }],
        mapping: {
          buckets: { "mybucket-us-east1": "mybucket-ap-south-1", "sampledb-data-use1": "sampledb-data-aps1" },
        },
        batch: {
          syncCatalog: true,
          syncPermissions: true,
          deleteSync: false,
          backupBucket: "s3use1src",
          backupPrefix: "glue_catalog_backup_storage/",
          databases: ["sampledb", "tag_database", "cur_database"],
        },
      },
      unmapped: [
        { key: "DEFAULT.aws_region_list", reason: regionListReason },
        {
          key: "Operation.delete_target_catalog_objects",
          reason:
            "the seed only printed the differences and never deleted anything; lakesync's batch.deleteSync really deletes target-only objects, so it was left false: set it to true deliberately",
        },
        { key: "AwsDataCatalog.backup_file_filename", reason: filenameReason },
        { key: "LakeFormationPermissions.lf_storage_bucket", reason: lfReason },
        { key: "LakeFormationPermissions.lf_storage_file_folder", reason: lfReason },
        { key: "LakeFormationPermissions.lf_storage_file_name", reason: lfReason },
        sourceAccountMissing,
        targetAccountMissing,
      ],
      valid: false,
    });
  });

  it("accepts the README's layout: the bucket map under [Target_s3_update], ALL_DATABASE, another catalog", () => {
    expect(importSeedConfig(fixture("glue_config.readme-layout.conf"))).toEqual({
      format: "batch",
      config: {
        $schema: "./lakesync.config.schema.json",
        source: { region: "us-east-1" },
        targets: [{ name: "dr-us-west-2", region: "us-west-2" }],
        mapping: { buckets: { "mybucket-us-east1": "mybucket-us-west-2" } },
        batch: {
          syncCatalog: true,
          syncPermissions: false,
          deleteSync: false,
          backupBucket: "ctldl-backups",
          backupPrefix: "catalog/backups/",
          databases: "all",
        },
      },
      unmapped: [
        { key: "DEFAULT.aws_region_list", reason: regionListReason },
        {
          key: "ListCatalog.list_datasource",
          reason:
            "only the AwsDataCatalog catalog is replicated (the seed also read its regions from [AwsDataCatalog]); ignored: HiveMetastore",
        },
        { key: "AwsDataCatalog.backup_file_filename", reason: filenameReason },
        {
          key: "AwsDataCatalog.s3_location",
          reason: "described in the seed README but never read by its code; no equivalent",
        },
        {
          key: "LakeFormationPermissions.lf_storage_bucket",
          reason: `${lfReason} (the seed wrote them to bucket ctldl-permissions)`,
        },
        { key: "LakeFormationPermissions.lf_storage_file_folder", reason: lfReason },
        { key: "LakeFormationPermissions.lf_storage_file_name", reason: lfReason },
        sourceAccountMissing,
        targetAccountMissing,
      ],
      valid: false,
    });
  });

  const batch = (sections: Record<string, string[]>) =>
    Object.entries({
      AwsDataCatalog: [
        "source_region = us-east-1",
        "destination_region = us-west-2",
        "backup_file_bucket = bk-bucket",
      ],
      ...sections,
    })
      .map(([name, lines]) => `[${name}]\n${lines.join("\n")}\n`)
      .join("\n");

  it("leaves the bucket map out when update_table_s3_location is False, as the seed did", () => {
    const result = importSeedConfig(
      batch({
        Target_s3_update: ["update_table_s3_location = False"],
        AwsDataCatalog: [
          "source_region = us-east-1",
          "destination_region = us-west-2",
          "backup_file_bucket = bk-bucket",
          "target_s3_locations = {'a-src': 'a-dst'}",
        ],
      }),
    );
    expect(result.config.mapping).toBeUndefined();
    expect(result.unmapped[0]).toEqual({
      key: "AwsDataCatalog.target_s3_locations",
      reason:
        "Target_s3_update.update_table_s3_location is False, so the seed kept source locations; the bucket map was not imported (move it into mapping.buckets to use it)",
    });
  });

  it("prefers the code's [AwsDataCatalog] bucket map when the README's copy is also there", () => {
    const result = importSeedConfig(
      batch({
        Target_s3_update: ["update_table_s3_location = yes", "target_s3_locations = {'a-src': 'readme-dst'}"],
        AwsDataCatalog: [
          "source_region = us-east-1",
          "destination_region = us-west-2",
          "backup_file_bucket = bk-bucket",
          "target_s3_locations = {'a-src': 'code-dst'}",
        ],
      }),
    );
    expect(result.config.mapping).toEqual({ buckets: { "a-src": "code-dst" } });
    expect(result.unmapped[0]).toEqual({
      key: "Target_s3_update.target_s3_locations",
      reason:
        "the seed code reads AwsDataCatalog.target_s3_locations, so this copy (the README's location) was ignored",
    });
  });

  it("takes the backup location from s3_data_path, which is what the seed wrote to", () => {
    const result = importSeedConfig(
      batch({
        AwsDataCatalog: [
          "source_region = us-east-1",
          "destination_region = us-west-2",
          "backup_file_bucket = ignored-bucket",
          "backup_file_folder = ignored",
          "s3_data_path = s3://real-bucket/deep/path/catalog.json",
          "database_list = ['ALL_DATABASE', 'sales']",
        ],
      }),
    );
    expect(result.config.batch).toEqual({
      backupBucket: "real-bucket",
      backupPrefix: "deep/path/",
      databases: "all",
    });
    expect(result.unmapped[0]).toEqual({
      key: "AwsDataCatalog.database_list",
      reason: "ALL_DATABASE selects every database, so the other names were dropped: sales",
    });
  });

  it("reports unknown options, unreadable booleans and values lakesync rejects", () => {
    const result = importSeedConfig(
      batch({
        Operation: ["sync_glue_catalog = maybe", "sync_everything = True"],
        Extra: ["colour = blue"],
        AwsDataCatalog: [
          "source_region = us-east-1",
          "destination_region = Oregon",
          "backup_file_bucket = Bad_Bucket",
        ],
      }),
    );
    expect(result.unmapped).toEqual([
      {
        key: "Operation.sync_glue_catalog",
        reason: 'expected True or False (or yes/no, on/off, 1/0), got "maybe"',
      },
      {
        key: "Operation.sync_everything",
        reason: "unknown option: not part of either seed config format, so it has no lakesync equivalent",
      },
      {
        key: "Extra.colour",
        reason: "unknown option: not part of either seed config format, so it has no lakesync equivalent",
      },
      sourceAccountMissing,
      targetAccountMissing,
      {
        key: "targets[0].name",
        reason:
          'invalid after import: expected a short name of lower-case letters, digits and hyphens (at most 40, used in resource names), got "dr-Oregon"',
      },
      {
        key: "targets[0].region",
        reason: 'invalid after import: expected an AWS region name like "us-west-2", got "Oregon"',
      },
      {
        key: "batch.backupBucket",
        reason:
          'invalid after import: expected a bucket name of lower-case letters, digits, dots and hyphens, got "Bad_Bucket"',
      },
    ]);
  });

  it("gives a draft that validates once the accounts are filled in", () => {
    const { config } = importSeedConfig(fixture("glue_config.conf"));
    const parsed = parseConfig(
      {
        ...config,
        source: { ...(config.source as object), account: "111122223333" },
        targets: [{ ...(config.targets as object[])[0], account: "111122223333" }],
      },
      "imported.json",
    );
    expect(parsed.batch).toMatchObject({ backupBucket: "s3use1src", syncCatalog: true, deleteSync: false });
  });

  it("refuses files that are not seed configs", () => {
    expect(() => importSeedConfig("[Other]\nx = 1\n")).toThrow(
      new SeedImportError(
        "not a seed config file: it has no [AwsDataCatalog] section (expected glue-lf-config.conf or glue_config.conf)",
      ),
    );
  });
});
