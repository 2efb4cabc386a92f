// A small realistic source catalog for the batch tests (the sample lake: databases, tables in
// several formats, partitions, LF tags on databases/tables/columns, grants with grant options,
// a data cells filter, data lake settings, a registered location), and readers of catalog state.
import { createHash } from "node:crypto";
import { paginateGetDatabases, paginateGetPartitions, paginateGetTables } from "@aws-sdk/client-glue";
import { ListResourcesCommand } from "@aws-sdk/client-lakeformation";
import { allClients } from "../../modules/aws/all-clients.ts";
import { readCatalogSnapshot } from "../../modules/aws/catalog-reader.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { createOperationRunner } from "../../modules/aws/operation-runner.ts";
import type { SnapshotRecord } from "../../modules/catalog/model.ts";
import { sampleLakeOperations } from "../../modules/local/sample-lake.ts";
import { execute } from "../../modules/operations/executor.ts";
import type { TargetOperation } from "../../modules/operations/operation.ts";
import { client, type TestLocation } from "../support/local-aws.ts";

export { sampleBucket } from "../../modules/local/sample-lake.ts";

/**
 * The batch worker's `sync.execute` for the handler tests: the executor over `clients`, three
 * attempts per operation and no waiting between them.
 */
export const executeWithoutWaits = (clients: AwsClients) => (operations: readonly TargetOperation[]) =>
  execute(operations, { run: createOperationRunner(clients), sleep: async () => undefined, maxAttempts: 3 });

export async function createSampleCatalog(location: TestLocation): Promise<void> {
  const clients = new AwsClients(allClients, { maxAttempts: 1 });
  try {
    const report = await execute(sampleLakeOperations({ name: "source", ...location }), {
      run: createOperationRunner(clients),
      sleep: async () => undefined,
      maxAttempts: 2,
    });
    if (report.summary.failed > 0)
      throw new Error(`sample catalog: ${report.summary.failed} operation(s) failed`);
  } finally {
    clients.destroy();
  }
}

export async function snapshot(location: TestLocation): Promise<SnapshotRecord[]> {
  const clients = new AwsClients(allClients, { maxAttempts: 1 });
  try {
    const out: SnapshotRecord[] = [];
    for await (const record of readCatalogSnapshot(clients, location, { databases: "all" })) out.push(record);
    return out;
  } finally {
    clients.destroy();
  }
}

export function countByKind(records: readonly SnapshotRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of records) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  return counts;
}

/** Every database, table and partition as Glue returns it, and the registered locations, as JSON. */
export async function rawCatalogJson(location: TestLocation): Promise<string[]> {
  const glue = client("glue", location);
  const out: string[] = [];
  for await (const page of paginateGetDatabases({ client: glue }, {})) {
    for (const db of page.DatabaseList ?? []) {
      out.push(JSON.stringify(db));
      for await (const tables of paginateGetTables({ client: glue }, { DatabaseName: db.Name })) {
        for (const table of tables.TableList ?? []) {
          out.push(JSON.stringify(table));
          if (!table.PartitionKeys?.length) continue;
          for await (const parts of paginateGetPartitions(
            { client: glue },
            { DatabaseName: db.Name, TableName: table.Name },
          )) {
            for (const partition of parts.Partitions ?? []) out.push(JSON.stringify(partition));
          }
        }
      }
    }
  }
  const resources = await client("lakeformation", location).send(new ListResourcesCommand({}));
  for (const resource of resources.ResourceInfoList ?? []) out.push(JSON.stringify(resource));
  return out;
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
