// Glue partition events, batches split at the API limits. A replayed CreatePartition converges
// on UpdatePartition; BatchCreatePartition carries an onExists BatchUpdatePartition whose Entries
// the executor fills with the partitions that already existed (modules/operations/README.md).
// Each batch is keyed by its first partition, so the chunks of one event run side by side.
import { mapPartitionInput } from "../../mapping/catalog-inputs.ts";
import { isIncluded } from "../../mapping/mapping.ts";
import {
  batchCreateOrUpdatePartitions,
  batchDeletePartitions,
  batchUpdatePartitions,
  createOrUpdatePartition,
  deletePartition,
  updatePartition,
} from "../../operations/build/index.ts";
import { apply, destination, type EventPlanners, ignore, type Plan, type PlanContext } from "./context.ts";

type Events =
  | "CreatePartition"
  | "BatchCreatePartition"
  | "UpdatePartition"
  | "BatchUpdatePartition"
  | "DeletePartition"
  | "BatchDeletePartition";

interface InTable {
  CatalogId?: string;
  DatabaseName: string;
  TableName: string;
}

/** The table's partitions planned by `plan`, unless the filters exclude the table. */
function inTable(input: InTable, ctx: PlanContext, plan: (table: InTable) => Plan): Plan {
  const { DatabaseName: db, TableName: table } = input;
  if (!isIncluded(ctx.rules, db, table)) return ignore(`table ${db}.${table} is excluded by the filters`);
  return plan({ DatabaseName: db, TableName: table });
}

const firstEntry = { keyBy: "firstEntry" } as const;

export const partitionPlanners: EventPlanners<Events> = {
  CreatePartition: ({ input }, ctx) =>
    inTable(input, ctx, (table) =>
      apply([
        createOrUpdatePartition(
          destination(ctx, input.CatalogId),
          table,
          mapPartitionInput(input.PartitionInput, ctx.rules),
        ),
      ]),
    ),
  BatchCreatePartition: ({ input }, ctx) =>
    inTable(input, ctx, (table) => {
      const partitions = input.PartitionInputList.map((p) => mapPartitionInput(p, ctx.rules));
      return apply(
        batchCreateOrUpdatePartitions(destination(ctx, input.CatalogId), table, partitions, firstEntry),
      );
    }),
  UpdatePartition: ({ input }, ctx) =>
    inTable(input, ctx, (table) =>
      apply([
        updatePartition(
          destination(ctx, input.CatalogId),
          table,
          input.PartitionValueList,
          mapPartitionInput(input.PartitionInput, ctx.rules),
        ),
      ]),
    ),
  BatchUpdatePartition: ({ input }, ctx) =>
    inTable(input, ctx, (table) => {
      const entries = input.Entries.map((e) => ({
        PartitionValueList: e.PartitionValueList,
        PartitionInput: mapPartitionInput(e.PartitionInput, ctx.rules),
      }));
      return apply(batchUpdatePartitions(destination(ctx, input.CatalogId), table, entries, firstEntry));
    }),
  DeletePartition: ({ input }, ctx) =>
    inTable(input, ctx, (table) =>
      apply([deletePartition(destination(ctx, input.CatalogId), table, input.PartitionValues)]),
    ),
  BatchDeletePartition: ({ input }, ctx) =>
    inTable(input, ctx, (table) =>
      apply(
        batchDeletePartitions(destination(ctx, input.CatalogId), table, input.PartitionsToDelete, firstEntry),
      ),
    ),
};
