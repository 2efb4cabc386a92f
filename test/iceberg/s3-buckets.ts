// Bucket chores of the DR scenario: create, copy what the target lacks (as S3 replication
// would), list, and delete a bucket with everything in it.
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  paginateListObjectsV2,
  type S3Client,
} from "@aws-sdk/client-s3";

export async function createBucket(s3: S3Client, bucket: string, region: string): Promise<void> {
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(region === "us-east-1"
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region as "us-west-2" } }),
    }),
  );
}

export async function listKeys(s3: S3Client, bucket: string, prefix = ""): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? []) keys.push(object.Key!);
  }
  return keys.sort();
}

/** Copies the objects the target lacks, key for key. Returns the keys copied. */
export async function replicateBucket(s3: S3Client, source: string, target: string): Promise<string[]> {
  const present = new Set(await listKeys(s3, target));
  const copied = (await listKeys(s3, source)).filter((key) => !present.has(key));
  for (const key of copied) {
    await s3.send(
      new CopyObjectCommand({
        Bucket: target,
        Key: key,
        CopySource: `${source}/${key.split("/").map(encodeURIComponent).join("/")}`,
      }),
    );
  }
  return copied;
}

export async function deleteBucket(s3: S3Client, bucket: string): Promise<void> {
  const keys = await listKeys(s3, bucket);
  for (let start = 0; start < keys.length; start += 1000) {
    const batch = keys.slice(start, start + 1000).map((Key) => ({ Key }));
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch } }));
  }
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}
