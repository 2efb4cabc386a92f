// The Iceberg metadata rewrite's S3 grants, scoped by the bucket mapping: the functions that
// replicate read the source buckets' metadata folders and write the target buckets' lakesync-dr
// folders; each target's writer role writes that target's lakesync-dr folders only.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../modules/config/load.ts";
import {
  icebergRewriteStatements,
  icebergTargetStatements,
} from "../../stacks/constructs/iceberg-rewrite-grants.ts";

const config = parseConfig(
  JSON.stringify({
    source: { account: "111111111111", region: "us-east-1" },
    targets: [
      {
        name: "west",
        account: "111111111111",
        region: "us-west-2",
        mapping: { buckets: { raw: "raw-west" } },
      },
      { name: "vault", account: "222222222222", region: "us-east-2" },
    ],
    mapping: { buckets: { raw: "raw-vault", curated: "curated-dr" } },
    batch: { backupBucket: "backups-111111111111" },
  }),
  "test.json",
);

describe("Iceberg rewrite grants", () => {
  it("read the moved source buckets' metadata and write every target's lakesync-dr folders", () => {
    expect(icebergRewriteStatements(config)).toEqual([
      {
        Sid: "ReadIcebergSourceMetadata",
        Action: ["s3:GetObject"],
        Resource: ["arn:aws:s3:::raw/*metadata/*", "arn:aws:s3:::curated/*metadata/*"],
      },
      {
        Sid: "WriteIcebergRewrites",
        Action: ["s3:GetObject", "s3:PutObject"],
        Resource: [
          "arn:aws:s3:::raw-west/*metadata/lakesync-dr/*",
          "arn:aws:s3:::curated-dr/*metadata/lakesync-dr/*",
          "arn:aws:s3:::raw-vault/*metadata/lakesync-dr/*",
        ],
      },
      {
        Sid: "TellMissingIcebergFiles",
        Action: ["s3:ListBucket"],
        Resource: [
          "arn:aws:s3:::raw",
          "arn:aws:s3:::curated",
          "arn:aws:s3:::raw-west",
          "arn:aws:s3:::curated-dr",
          "arn:aws:s3:::raw-vault",
        ],
      },
    ]);
  });

  it("give a writer role its own target's buckets only, and nothing without a moved bucket", () => {
    const [west, vault] = config.targets;
    expect(icebergTargetStatements(config, vault!).map((s) => s.Resource)).toEqual([
      ["arn:aws:s3:::raw-vault/*metadata/lakesync-dr/*", "arn:aws:s3:::curated-dr/*metadata/lakesync-dr/*"],
      ["arn:aws:s3:::raw-vault", "arn:aws:s3:::curated-dr"],
    ]);
    expect(icebergTargetStatements(config, west!)[0]?.Resource).toContain(
      "arn:aws:s3:::raw-west/*metadata/lakesync-dr/*",
    );
    const unmapped = { ...config, mapping: { ...config.mapping, buckets: {} }, targets: [{ ...vault! }] };
    expect(icebergRewriteStatements(unmapped)).toEqual([]);
  });
});
