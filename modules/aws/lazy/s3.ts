// The S3Client class alone, for deferredClient (clients.ts): an import() of this file becomes a chunk
// holding the client, read when a handler first sends to it.
export { S3Client } from "@aws-sdk/client-s3";
