// AWS side of the at-scale batch run: the source's database names (for planning units) and the
// work-unit queue (SendMessageBatch, 10 per call, failed entries reported, not dropped).
import { type GlueClient, paginateGetDatabases } from "@aws-sdk/client-glue";
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";

export async function listDatabaseNames(glue: GlueClient, account: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateGetDatabases({ client: glue }, {})) {
    for (const database of page.DatabaseList ?? []) {
      // Resource links to other catalogs' databases are the other catalog's to back up.
      if (database.Name && (!database.CatalogId || database.CatalogId === account)) names.push(database.Name);
    }
  }
  return names;
}

export async function sendMessages(
  sqs: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const batch = bodies.slice(i, i + 10);
    const answer = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((MessageBody, j) => ({ Id: String(i + j), MessageBody })),
      }),
    );
    const failed = answer.Failed ?? [];
    if (failed.length > 0) {
      throw new Error(
        `could not queue ${failed.length} work unit(s): ${failed.map((f) => `${f.Id} ${f.Code} ${f.Message}`).join("; ")}`,
      );
    }
  }
}
