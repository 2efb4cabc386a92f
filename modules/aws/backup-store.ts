// BackupStorage on S3 (one bucket): PutObject for parts up to 64 MiB, a multipart upload
// (CreateMultipartUpload / UploadPart / CompleteMultipartUpload, aborted on failure) above that;
// paginated listings; DeleteObjects in batches of 1000.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import type { BackupStorage } from "../batch/ports.ts";

/** The clients S3BackupStorage needs, for the entry point's registry (modules/aws/clients.ts). */
export const backupStoreClients = { s3: S3Client };

/** Bodies above this go up in parts of this size (S3 parts are 5 MiB - 5 GiB). */
export const multipartThreshold = 64 * 1024 * 1024;

export class S3BackupStorage implements BackupStorage {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    private readonly partSize = multipartThreshold,
  ) {}

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    if (body.length <= this.partSize) {
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
      );
      return;
    }
    const { UploadId } = await this.s3.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }),
    );
    try {
      const parts: { ETag: string; PartNumber: number }[] = [];
      for (let offset = 0, PartNumber = 1; offset < body.length; offset += this.partSize, PartNumber++) {
        const chunk = body.subarray(offset, offset + this.partSize);
        const { ETag } = await this.s3.send(
          new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId, PartNumber, Body: chunk }),
        );
        parts.push({ ETag: String(ETag), PartNumber });
      }
      await this.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    } catch (error) {
      await this.s3
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId }))
        .catch(() => undefined);
      throw error;
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const answer = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return answer.Body ? await answer.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return undefined;
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    for await (const page of paginateListObjectsV2(
      { client: this.s3 },
      { Bucket: this.bucket, Prefix: prefix },
    )) {
      for (const object of page.Contents ?? []) if (object.Key) yield object.Key;
    }
  }

  async folders(prefix: string): Promise<string[]> {
    const out: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.s3 },
      { Bucket: this.bucket, Prefix: prefix, Delimiter: "/" },
    )) {
      for (const common of page.CommonPrefixes ?? []) if (common.Prefix) out.push(common.Prefix);
    }
    return out;
  }

  async deleteAll(prefix: string): Promise<number> {
    const keys: string[] = [];
    for await (const key of this.list(prefix)) keys.push(key);
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const answer = await this.s3.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = answer.Errors ?? [];
      if (failed.length > 0)
        throw new Error(
          `could not delete ${failed.length} object(s) under s3://${this.bucket}/${prefix}: ${failed[0]?.Code} ${failed[0]?.Message}`,
        );
    }
    return keys.length;
  }
}
