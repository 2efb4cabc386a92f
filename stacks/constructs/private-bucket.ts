// An S3 bucket that is private, encrypted and expires objects after a number of days.
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning/index.js";
import { Construct } from "constructs";
import type { NodejsFunction } from "./nodejs-function.ts";

export interface PrivateBucketProps {
  bucket: string;
  /** Days after which objects expire; omit to keep them (retention managed elsewhere). */
  expireAfterDays?: number;
  versioned?: boolean;
}

export class PrivateBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "bucket", { bucket: props.bucket });
    new S3BucketPublicAccessBlock(this, "no-public", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }],
    });
    if (props.versioned) {
      new S3BucketVersioningA(this, "versioning", {
        bucket: this.bucket.id,
        versioningConfiguration: { status: "Enabled" },
      });
    }
    if (props.expireAfterDays) {
      new S3BucketLifecycleConfiguration(this, "lifecycle", {
        bucket: this.bucket.id,
        rule: [
          { id: "expire", status: "Enabled", filter: [{}], expiration: [{ days: props.expireAfterDays }] },
        ],
      });
    }
  }

  grantRead(fn: NodejsFunction, sid: string): void {
    fn.grant({
      Sid: sid,
      Action: ["s3:GetObject", "s3:ListBucket"],
      Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
    });
  }

  grantReadWrite(fn: NodejsFunction, sid: string): void {
    fn.grant({
      Sid: sid,
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:AbortMultipartUpload"],
      Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
    });
  }
}
