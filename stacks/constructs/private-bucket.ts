// An S3 bucket that is private, encrypted with the stack's key, and has a lifecycle: incomplete
// multipart uploads are aborted, old versions (versioned buckets) and, optionally, objects expire.
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning/index.js";
import { Construct } from "constructs";
import { LakesyncStack } from "../lakesync-stack.ts";
import { suppressCheckov } from "./checkov.ts";
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
    const stack = LakesyncStack.containing(this);
    this.bucket = new S3Bucket(this, "bucket", { bucket: props.bucket });
    suppressCheckov(
      this.bucket,
      "CKV_AWS_18",
      "no server access logs: only lakesync's own roles read and write this bucket, and their calls are in CloudTrail; an access-log bucket would itself need one",
    );
    suppressCheckov(
      this.bucket,
      "CKV2_AWS_62",
      "no event notifications: nothing consumes object events; lakesync's functions read these objects when a journal item or a run points at them",
    );
    suppressCheckov(
      this.bucket,
      "CKV_AWS_144",
      "no cross-region replication: lakesync already replicates the catalog to the targets; copying its working objects to another region is the operator's choice, not lakesync's",
    );
    if (!props.versioned) {
      suppressCheckov(
        this.bucket,
        "CKV_AWS_21",
        "not versioned: objects are written once under unique keys and expire by lifecycle; versions would only keep copies of immutable objects",
      );
    }
    new S3BucketPublicAccessBlock(this, "no-public", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: stack.dataKey().arn,
          },
          bucketKeyEnabled: true,
        },
      ],
    });
    if (props.versioned) {
      new S3BucketVersioningA(this, "versioning", {
        bucket: this.bucket.id,
        versioningConfiguration: { status: "Enabled" },
      });
    }
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "abort-incomplete-uploads",
          status: "Enabled",
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
        ...(props.versioned
          ? [
              {
                id: "expire-old-versions",
                status: "Enabled",
                filter: [{}],
                noncurrentVersionExpiration: [
                  { noncurrentDays: stack.deployment.retention.noncurrentObjectDays },
                ],
              },
            ]
          : []),
        ...(props.expireAfterDays
          ? [{ id: "expire", status: "Enabled", filter: [{}], expiration: [{ days: props.expireAfterDays }] }]
          : []),
      ],
    });
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
