// Glue partition events, batches split at the API limits. A replayed CreatePartition converges
// on UpdatePartition; BatchCreatePartition carries an onExists BatchUpdatePartition whose Entries
// the executor fills with the partitions that already existed (modules/operations/README.md).
import { mapPartitionInput } from "../../mapping/catalog-inputs.ts";
import { isIncluded } from "../../mapping/mapping.ts";
import { Phase, resourceKeys } from "../../operations/operation.ts";
import {
  apply,
  batchLimits,
  catalogField,
  catalogKey,
  chunk,
  type EventPlanners,
  ignore,
  operation,
  type PlanContext,
} from "./context.ts";

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

function scope(input: InTable, ctx: PlanContext) {
  const db = input.DatabaseName;
  const table = input.TableName;
  const catalog = catalogKey(input.CatalogId, ctx);
  return {
    db,
    table,
    included: isIncluded(ctx.rules, db, table),
    excluded: ignore(`table ${db}.${table} is excluded by the filters`),
    base: { ...catalogField(input.CatalogId, ctx.rules), DatabaseName: db, TableName: table },
    key: (values: readonly string[] | undefined) => resourceKeys.partition(catalog, db, table, values ?? []),
  };
}

const list = (values: readonly string[] | undefined) => JSON.stringify(values ?? []);

export const partitionPlanners: EventPlanners<Events> = {
  CreatePartition: ({ input }, ctx) => {
    const s = scope(input, ctx);
    if (!s.included) return s.excluded;
    const partitionInput = mapPartitionInput(input.PartitionInput, ctx.rules);
    const values = input.PartitionInput.Values ?? [];
    return apply([
      operation(ctx, {
        service: "glue",
        operation: "CreatePartition",
        input: { ...s.base, PartitionInput: partitionInput },
        resourceKey: s.key(values),
        idempotency: "create",
        phase: Phase.partitions,
        description: `create partition ${s.db}.${s.table} ${list(values)}`,
        onExists: {
          service: "glue",
          operation: "UpdatePartition",
          input: { ...s.base, PartitionValueList: values, PartitionInput: partitionInput },
          resourceKey: s.key(values),
          idempotency: "upsert",
          phase: Phase.partitions,
          description: `update partition ${s.db}.${s.table} ${list(values)} (it already exists)`,
        },
      }),
    ]);
  },
  BatchCreatePartition: ({ input }, ctx) => {
    const s = scope(input, ctx);
    if (!s.included) return s.excluded;
    const partitions = input.PartitionInputList.map((p) => mapPartitionInput(p, ctx.rules));
    return apply(
      chunk(partitions, batchLimits.BatchCreatePartition).map((part) =>
        operation(ctx, {
          service: "glue",
          operation: "BatchCreatePartition",
          input: { ...s.base, PartitionInputList: part },
          resourceKey: s.key(part[0]!.Values as string[] | undefined),
          idempotency: "create",
          phase: Phase.partitions,
          description: `create ${part.length} partition(s) of ${s.db}.${s.table}`,
          // The executor fills Entries with the partitions that already existed (operations/README.md).
          onExists: {
            service: "glue",
            operation: "BatchUpdatePartition",
            input: s.base,
            resourceKey: s.key(part[0]!.Values as string[] | undefined),
            idempotency: "upsert",
            phase: Phase.partitions,
            description: `update the partitions of ${s.db}.${s.table} that already exist`,
          },
        }),
      ),
    );
  },
  UpdatePartition: ({ input }, ctx) => {
    const s = scope(input, ctx);
    if (!s.included) return s.excluded;
    return apply([
      operation(ctx, {
        service: "glue",
        operation: "UpdatePartition",
        input: {
          ...s.base,
          PartitionValueList: input.PartitionValueList,
          PartitionInput: mapPartitionInput(input.PartitionInput, ctx.rules),
        },
        resourceKey: s.key(input.PartitionValueList),
        idempotency: "upsert",
        phase: Phase.partitions,
        description: `update partition ${s.db}.${s.table} ${list(input.PartitionValueList)}`,
      }),
    ]);
  },
  BatchUpdatePartition: ({ input }, ctx) => {
    const s = scope(input, ctx);
    if (!s.included) return s.excluded;
    const entries = input.Entries.map((e) => ({
      PartitionValueList: e.PartitionValueList,
      PartitionInput: mapPartitionInput(e.PartitionInput, ctx.rules),
    }));
    return apply(
      chunk(entries, batchLimits.BatchUpdatePartition).map((part) =>
        operation(ctx, {
          service: "glue",
          operation: "BatchUpdatePartition",
          input: { ...s.base, Entries: part },
          resourceKey: s.key(part[0]!.PartitionValueList),
          idempotency: "upsert",
          phase: Phase.partitions,
          description: `update ${part.length} partition(s) of ${s.db}.${s.table}`,
        }),
      ),
    );
  },
  DeletePartition: ({ input }, ctx) => {
    const s = scope(input, ctx);
    if (!s.included) return s.excluded;
    return apply([
      operation(ctx, {
        service: "glue",
        operation: "DeletePartition",
        input: { ...s.base, PartitionValues: input.PartitionValues },
        resourceKey: s.key(input.PartitionValues),
        idempotency: "delete",
        phase: Phase.partitions,
        description: `delete partition ${s.db}.${s.table} ${list(input.PartitionValues)}`,
      }),
    ]);
  },
  BatchDeletePartition: ({ input }, ctx) => {
    const s = scope(input, ctx);
    if (!s.included) return s.excluded;
    return apply(
      chunk(input.PartitionsToDelete, batchLimits.BatchDeletePartition).map((part) =>
        operation(ctx, {
          service: "glue",
          operation: "BatchDeletePartition",
          input: { ...s.base, PartitionsToDelete: part },
          resourceKey: s.key(part[0]!.Values),
          idempotency: "delete",
          phase: Phase.partitions,
          description: `delete ${part.length} partition(s) of ${s.db}.${s.table}`,
        }),
      ),
    );
  },
};
