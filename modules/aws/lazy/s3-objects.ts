// The S3 object commands the journal store sends for oversized records (journal-store.ts): an
// import() of this file becomes a chunk read when the first such record is written or read.
export { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
