// The clients handlers use only on rare paths, each deferred once here (deferredClient,
// clients.ts): a registry names the entry, and the client's code stays in the chunk its import()
// makes until a handler first sends to it.
import { deferredClient } from "../clients.ts";

export const deferredS3 = deferredClient("s3", async () => (await import("./s3.ts")).S3Client);
export const deferredSqs = deferredClient("sqs", async () => (await import("./sqs.ts")).SQSClient);
export const deferredSns = deferredClient("sns", async () => (await import("./sns.ts")).SNSClient);
