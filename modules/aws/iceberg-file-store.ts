// IcebergFileStore on S3: GetObject / PutObject / HeadObject by s3:// URI. Source and target
// buckets may live in different regions or accounts, so the caller says which client reaches a
// bucket.
import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { IcebergFileStore } from "../iceberg/file-store.ts";

const s3Uri = /^s3[an]?:\/\/([^/]+)\/(.+)$/s;

function location(uri: string): { Bucket: string; Key: string } {
  const match = s3Uri.exec(uri);
  if (!match) throw new Error(`not an s3 path: ${uri}`);
  return { Bucket: match[1]!, Key: match[2]! };
}

export class S3IcebergFileStore implements IcebergFileStore {
  /** @param clientFor the S3 client that reaches a bucket (one client will do for one account). */
  constructor(private readonly clientFor: (bucket: string) => S3Client) {}

  async get(uri: string): Promise<Uint8Array | undefined> {
    const where = location(uri);
    try {
      const answer = await this.clientFor(where.Bucket).send(new GetObjectCommand(where));
      return answer.Body ? await answer.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async put(uri: string, bytes: Uint8Array): Promise<void> {
    const where = location(uri);
    await this.clientFor(where.Bucket).send(new PutObjectCommand({ ...where, Body: bytes }));
  }

  async exists(uri: string): Promise<boolean> {
    const where = location(uri);
    try {
      await this.clientFor(where.Bucket).send(new HeadObjectCommand(where));
      return true;
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === "NotFound") return false;
      throw error;
    }
  }
}
