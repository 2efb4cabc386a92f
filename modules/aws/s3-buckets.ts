// S3 buckets lakesync creates itself (the sample lake's data bucket, the demo's backup bucket).
import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  type BucketLocationConstraint,
  CreateBucketCommand,
} from "@aws-sdk/client-s3";
import type { AwsClients, AwsLocation } from "./clients.ts";

/** Creates an S3 bucket in a location; an existing bucket of the same owner is fine. */
export async function createBucket(
  clients: AwsClients,
  location: AwsLocation,
  bucket: string,
  options: { ownedByAnotherAccountIsFine?: boolean } = {},
): Promise<void> {
  try {
    await clients.get("s3", location).send(
      new CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 is the default location and refuses to be named as a constraint.
        ...(location.region === "us-east-1"
          ? {}
          : {
              CreateBucketConfiguration: { LocationConstraint: location.region as BucketLocationConstraint },
            }),
      }),
    );
  } catch (error) {
    if (error instanceof BucketAlreadyOwnedByYou) return;
    if (error instanceof BucketAlreadyExists && options.ownedByAnotherAccountIsFine) return;
    throw error;
  }
}
