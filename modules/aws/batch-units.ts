// AWS side of the at-scale batch run: the source's database names and large tables (for
// planning units), what one unit reads (scoped reads: a unit never lists the whole catalog), and
// the work-unit queue's clients; sending to the queue is work-queue.ts.
import { GlueClient, paginateGetDatabases, paginateGetTables } from "@aws-sdk/client-glue";
import pLimit from "p-limit";
import type { TableRef, UnitScope } from "../batch/units.ts";
import type { RecordStream } from "../catalog/model.ts";
import {
  hasMorePartitionsThan,
  type ReadSnapshotOptions,
  readCatalogSnapshot,
  readTablePartitions,
} from "./catalog-reader.ts";
import type { AwsClients, AwsLocation } from "./clients.ts";
import { deferredSqs } from "./lazy/deferred-clients.ts";

/**
 * The clients a batch handler needs, for its registry (modules/aws/clients.ts): Glue, and SQS
 * deferred, as a worker enqueues only from a run's catalog-wide unit (batch-start, which enqueues on
 * every run, adds workQueueClients).
 */
export const batchUnitClients = {
  glue: GlueClient,
  sqs: deferredSqs,
};

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

/**
 * Partitioned tables of these databases with more than `threshold` partitions. Counting stops at
 * the threshold (GetPartitions pages without column schemas), so a large table costs
 * threshold/1000 + 1 calls and a small one a single call.
 */
export async function findLargeTables(
  glue: GlueClient,
  databases: readonly string[],
  threshold: number,
  concurrency = 8,
): Promise<TableRef[]> {
  const limit = pLimit(Math.max(1, concurrency));
  const candidates: TableRef[] = [];
  await Promise.all(
    databases.map((database) =>
      limit(async () => {
        for await (const page of paginateGetTables({ client: glue }, { DatabaseName: database })) {
          for (const table of page.TableList ?? []) {
            if (table.Name && table.PartitionKeys?.length && !table.TargetTable)
              candidates.push({ database, table: table.Name });
          }
        }
      }),
    ),
  );
  const large = await Promise.all(
    candidates.map((t) =>
      limit(async () => ((await hasMorePartitionsThan(glue, t, threshold)) ? t : undefined)),
    ),
  );
  return large.filter((t): t is TableRef => t !== undefined);
}

/** What one work unit reads, and nothing more (see UnitScope). */
export function readUnitScope(
  clients: AwsClients,
  location: AwsLocation & { account: string },
  scope: UnitScope,
  options: Pick<ReadSnapshotOptions, "concurrency" | "partitionSegments" | "pageSize"> = {},
): RecordStream {
  switch (scope.kind) {
    case "catalog":
      return readCatalogSnapshot(clients, location, { ...options, databases: [], scope: "catalog" });
    case "table":
      return readTablePartitions(clients, location, scope, options);
    case "database": {
      const elsewhere = new Set(scope.partitionsElsewhere);
      return readCatalogSnapshot(clients, location, {
        ...options,
        databases: [scope.database],
        scope: "databases",
        partitions: (_database, table) => !elsewhere.has(table),
        ...(scope.lfTagsDefined !== undefined ? { assignedTags: scope.lfTagsDefined } : {}),
      });
    }
  }
}
