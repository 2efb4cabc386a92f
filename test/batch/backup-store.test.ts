// S3BackupStorage against local AWS: small objects with PutObject, large ones as a multipart
// upload, listings, folders and batch deletes.
import { randomBytes } from "node:crypto";
import { CreateBucketCommand, ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { S3BackupStorage } from "../../modules/aws/backup-store.ts";
import { client, testLocation } from "../support/local-aws.ts";

const location = testLocation("us-east-1");
const bucket = `lakesync-store-${location.account}`;
const s3 = client("s3", location);
const MiB = 1024 * 1024;

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

describe("S3BackupStorage", () => {
  it("uploads a body above the part size in parts and reads it back byte for byte", async () => {
    const storage = new S3BackupStorage(s3, bucket, 5 * MiB);
    const body = randomBytes(11 * MiB);
    await storage.put("big/part-00001.jsonl.gz", body, "application/gzip");
    expect(Buffer.from((await storage.get("big/part-00001.jsonl.gz"))!).equals(body)).toBe(true);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);
  });

  it("lists keys and folders, answers undefined for a missing key, deletes a whole folder", async () => {
    const storage = new S3BackupStorage(s3, bucket);
    for (const key of ["p/a/1/x", "p/a/1/y", "p/a/2/x", "p/b"])
      await storage.put(key, Buffer.from(key), "text/plain");
    expect(await storage.folders("p/a/")).toEqual(["p/a/1/", "p/a/2/"]);
    const keys: string[] = [];
    for await (const key of storage.list("p/a/1/")) keys.push(key);
    expect(keys).toEqual(["p/a/1/x", "p/a/1/y"]);
    expect(await storage.get("p/nothing")).toBeUndefined();
    expect(await storage.deleteAll("p/a/1/")).toBe(2);
    expect(await storage.folders("p/a/")).toEqual(["p/a/2/"]);
    expect(Buffer.from((await storage.get("p/b"))!).toString()).toBe("p/b");
  });
});
