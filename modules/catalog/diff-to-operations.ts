// Differences -> TargetOperation values for the executor. Partitions, table deletes and LF
// grants/revokes are batched up to the API limits; a batch never spans two tables (partitions)
// or two databases (table deletes). Kept differences (deleteSync off) produce nothing.
import { adminIds, protectedAdminsNote } from "../mapping/settings.ts";
import {
  type CatalogLocation,
  Phase,
  resourceKeys,
  stableJson,
  type TargetOperation,
} from "../operations/operation.ts";
import { mergeField } from "../operations/runner.ts";
import type { Difference } from "./diff.ts";
import type { Json, PermissionValue, SnapshotKind, SnapshotValues, TagAssignmentValue } from "./model.ts";

export const batchLimits = {
  batchCreatePartition: 100,
  batchUpdatePartition: 100,
  batchDeletePartition: 25,
  batchDeleteTable: 100,
  batchPermissions: 20,
} as const;

type DiffOf<K extends SnapshotKind> = Extract<Difference, { kind: K }>;

const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));

interface Batch {
  group: string;
  operation: string;
  entries: unknown[];
  limit: number;
  build: (entries: unknown[]) => TargetOperation;
}

/**
 * Turns differences into operations as they stream by; partial batches are flushed when the
 * group (table, database, operation) changes and at the end, so memory is one batch per kind.
 */
export class OperationPlanner {
  private readonly batches = new Map<string, Batch>();
  /** Tables/databases being deleted: their partitions (tables) go with them. */
  private readonly deletedTables = new Set<string>();
  private readonly deletedDatabases = new Set<string>();

  constructor(private readonly target: CatalogLocation) {}

  private get catalogId(): string {
    return this.target.account;
  }

  /** Operations made ready by this difference (possibly none: batching or kept). */
  push(difference: Difference): TargetOperation[] {
    if (difference.change === "delete" && difference.kept) return [];
    switch (difference.kind) {
      case "database":
        return this.database(difference);
      case "table":
        return this.table(difference);
      case "partition":
        return this.partition(difference);
      case "partitionIndex":
        return this.partitionIndex(difference);
      case "lfTag":
        return this.lfTag(difference);
      case "tagAssignment":
        return this.tagAssignment(difference);
      case "permission":
        return this.permission(difference);
      case "dataLakeSettings":
        return this.settings(difference);
      case "registeredLocation":
        return this.location(difference);
      case "dataCellsFilter":
        return this.dataCellsFilter(difference);
    }
  }

  /** Remaining partial batches. */
  flush(): TargetOperation[] {
    const out = [...this.batches.values()].filter((b) => b.entries.length > 0).map((b) => b.build(b.entries));
    this.batches.clear();
    return out;
  }

  private op(
    fields: Omit<TargetOperation, "target" | "service"> & { service?: TargetOperation["service"] },
  ): TargetOperation {
    return { target: this.target, service: "glue", ...fields };
  }

  /** Adds an entry to the batch of its slot; returns the operations completed by doing so. */
  private batch(slot: string, spec: Omit<Batch, "entries">, entry: unknown): TargetOperation[] {
    const out: TargetOperation[] = [];
    // A new group (table, database) closes every open batch of the old one, so a table's
    // partition operations come out together and in the order of the differences.
    for (const [openSlot, open] of this.batches) {
      if (open.group !== spec.group) {
        out.push(open.build(open.entries));
        this.batches.delete(openSlot);
      }
    }
    let current = this.batches.get(slot);
    if (!current) {
      current = { ...spec, entries: [] };
      this.batches.set(slot, current);
    }
    current.entries.push(entry);
    if (current.entries.length >= current.limit) {
      out.push(current.build(current.entries));
      this.batches.delete(slot);
    }
    return out;
  }

  private database(d: DiffOf<"database">): TargetOperation[] {
    const value = (d.desired ?? d.target) as Json;
    const Name = String(value.Name);
    const resourceKey = resourceKeys.database(this.catalogId, Name);
    const update = this.op({
      operation: "UpdateDatabase",
      input: { Name, DatabaseInput: value },
      resourceKey,
      idempotency: "upsert",
      phase: Phase.databases,
      description: `update database ${Name}`,
    });
    if (d.change === "create") {
      return [
        this.op({
          operation: "CreateDatabase",
          input: { DatabaseInput: value },
          resourceKey,
          idempotency: "create",
          phase: Phase.databases,
          onExists: update,
          description: `create database ${Name}`,
        }),
      ];
    }
    if (d.change === "update") return [update];
    this.deletedDatabases.add(Name);
    return [
      this.op({
        operation: "DeleteDatabase",
        input: { Name },
        resourceKey,
        idempotency: "delete",
        phase: Phase.databases,
        description: `delete database ${Name}`,
      }),
    ];
  }

  private table(d: DiffOf<"table">): TargetOperation[] {
    const { DatabaseName, TableInput } = (d.desired ?? d.target) as SnapshotValues["table"];
    const Name = String(TableInput.Name);
    const resourceKey = resourceKeys.table(this.catalogId, DatabaseName, Name);
    const update = this.op({
      operation: "UpdateTable",
      input: { DatabaseName, TableInput },
      resourceKey,
      idempotency: "upsert",
      phase: Phase.tables,
      description: `update table ${DatabaseName}.${Name}`,
    });
    if (d.change === "create") {
      return [
        this.op({
          operation: "CreateTable",
          input: { DatabaseName, TableInput },
          resourceKey,
          idempotency: "create",
          phase: Phase.tables,
          onExists: update,
          description: `create table ${DatabaseName}.${Name}`,
        }),
      ];
    }
    if (d.change === "update") return [update];
    this.deletedTables.add(stableJson([DatabaseName, Name]));
    if (this.deletedDatabases.has(DatabaseName)) return []; // DeleteDatabase removes its tables
    return this.batch(
      "BatchDeleteTable",
      {
        group: DatabaseName,
        operation: "BatchDeleteTable",
        limit: batchLimits.batchDeleteTable,
        build: (entries) =>
          this.op({
            operation: "BatchDeleteTable",
            input: { DatabaseName, TablesToDelete: [...entries] },
            resourceKey: resourceKeys.database(this.catalogId, DatabaseName),
            idempotency: "delete",
            phase: Phase.tables,
            description: `delete ${entries.length} table(s) in ${DatabaseName}: ${entries.join(", ")}`,
          }),
      },
      Name,
    );
  }

  private partition(d: DiffOf<"partition">): TargetOperation[] {
    const { DatabaseName, TableName, PartitionInput } = (d.desired ??
      d.target) as SnapshotValues["partition"];
    const group = stableJson([DatabaseName, TableName]);
    const resourceKey = resourceKeys.table(this.catalogId, DatabaseName, TableName);
    const where = `${DatabaseName}.${TableName}`;
    if (d.change === "create") {
      return this.batch(
        "BatchCreatePartition",
        {
          group,
          operation: "BatchCreatePartition",
          limit: batchLimits.batchCreatePartition,
          build: (entries) =>
            this.op({
              operation: "BatchCreatePartition",
              input: { DatabaseName, TableName, PartitionInputList: [...entries] },
              resourceKey,
              idempotency: "create",
              phase: Phase.partitions,
              // The executor fills Entries with the partitions that turned out to exist already.
              onExists: this.op({
                operation: "BatchUpdatePartition",
                input: { DatabaseName, TableName },
                resourceKey,
                idempotency: "upsert",
                phase: Phase.partitions,
                description: `update existing partition(s) of ${where}`,
              }),
              description: `create ${entries.length} partition(s) of ${where}`,
            }),
        },
        PartitionInput,
      );
    }
    if (d.change === "update") {
      return this.batch(
        "BatchUpdatePartition",
        {
          group,
          operation: "BatchUpdatePartition",
          limit: batchLimits.batchUpdatePartition,
          build: (entries) =>
            this.op({
              operation: "BatchUpdatePartition",
              input: { DatabaseName, TableName, Entries: [...entries] },
              resourceKey,
              idempotency: "upsert",
              phase: Phase.partitions,
              description: `update ${entries.length} partition(s) of ${where}`,
            }),
        },
        { PartitionValueList: PartitionInput.Values, PartitionInput },
      );
    }
    if (this.deletedTables.has(group) || this.deletedDatabases.has(DatabaseName)) return [];
    return this.batch(
      "BatchDeletePartition",
      {
        group,
        operation: "BatchDeletePartition",
        limit: batchLimits.batchDeletePartition,
        build: (entries) =>
          this.op({
            operation: "BatchDeletePartition",
            input: { DatabaseName, TableName, PartitionsToDelete: [...entries] },
            resourceKey,
            idempotency: "delete",
            phase: Phase.partitions,
            description: `delete ${entries.length} partition(s) of ${where}`,
          }),
      },
      { Values: PartitionInput.Values },
    );
  }

  private partitionIndex(d: DiffOf<"partitionIndex">): TargetOperation[] {
    const resourceKey = (v: SnapshotValues["partitionIndex"]) =>
      `${resourceKeys.table(this.catalogId, v.DatabaseName, v.TableName)}#index:${v.PartitionIndex.IndexName}`;
    const create = (v: SnapshotValues["partitionIndex"]) =>
      this.op({
        operation: "CreatePartitionIndex",
        input: { ...v },
        resourceKey: resourceKey(v),
        idempotency: "create",
        phase: Phase.partitions,
        description: `create partition index ${v.PartitionIndex.IndexName} on ${v.DatabaseName}.${v.TableName}`,
      });
    const remove = (v: SnapshotValues["partitionIndex"]) =>
      this.op({
        operation: "DeletePartitionIndex",
        input: {
          DatabaseName: v.DatabaseName,
          TableName: v.TableName,
          IndexName: v.PartitionIndex.IndexName,
        },
        resourceKey: resourceKey(v),
        idempotency: "delete",
        phase: Phase.partitions,
        description: `delete partition index ${v.PartitionIndex.IndexName} on ${v.DatabaseName}.${v.TableName}`,
      });
    if (d.change === "create") return [create(d.desired!)];
    // An index cannot be altered: a changed one is dropped and rebuilt.
    if (d.change === "update") return [remove(d.target!), create(d.desired!)];
    return [remove(d.target!)];
  }

  private lfTag(d: DiffOf<"lfTag">): TargetOperation[] {
    const TagKey = (d.desired ?? d.target)!.TagKey;
    const resourceKey = resourceKeys.lfTag(this.catalogId, TagKey);
    const base = { service: "lakeformation" as const, resourceKey, phase: Phase.lfTags };
    if (d.change === "create") {
      const TagValues = d.desired!.TagValues;
      return [
        this.op({
          ...base,
          operation: "CreateLFTag",
          input: { TagKey, TagValues },
          idempotency: "create",
          onExists: this.op({
            ...base,
            operation: "UpdateLFTag",
            input: { TagKey, TagValuesToAdd: TagValues },
            idempotency: "merge",
            description: `add values to LF tag ${TagKey}`,
          }),
          description: `create LF tag ${TagKey}`,
        }),
      ];
    }
    if (d.change === "delete") {
      return [
        this.op({
          ...base,
          operation: "DeleteLFTag",
          input: { TagKey },
          idempotency: "delete",
          description: `delete LF tag ${TagKey}`,
        }),
      ];
    }
    const add = minus(d.desired!.TagValues, d.target!.TagValues);
    const remove = minus(d.target!.TagValues, d.desired!.TagValues);
    if (add.length === 0 && remove.length === 0) return [];
    return [
      this.op({
        ...base,
        operation: "UpdateLFTag",
        input: {
          TagKey,
          ...(add.length ? { TagValuesToAdd: add } : {}),
          ...(remove.length ? { TagValuesToDelete: remove } : {}),
        },
        // A merge only ever adds values (the executor ignores TagValuesToDelete there); removing
        // values (deleteSync) is a plain write computed from the target's current values.
        idempotency: remove.length > 0 ? "upsert" : "merge",
        description: `update LF tag ${TagKey} (+${add.length} -${remove.length} values)`,
      }),
    ];
  }

  private tagAssignment(d: DiffOf<"tagAssignment">): TargetOperation[] {
    const desired: TagAssignmentValue["LFTags"] = d.change === "delete" ? [] : d.desired!.LFTags;
    const current: TagAssignmentValue["LFTags"] = d.target?.LFTags ?? [];
    const Resource = (d.desired ?? d.target)!.Resource;
    const currentByKey = new Map(current.map((t) => [t.TagKey, stableJson(t.TagValues)]));
    const desiredKeys = new Set(desired.map((t) => t.TagKey));
    const add = desired.filter((t) => currentByKey.get(t.TagKey) !== stableJson(t.TagValues));
    const remove = current.filter((t) => !desiredKeys.has(t.TagKey));
    const base = {
      service: "lakeformation" as const,
      resourceKey: resourceKeys.tagAssignment(Resource),
      phase: Phase.tagAssignments,
    };
    const out: TargetOperation[] = [];
    if (remove.length > 0) {
      out.push(
        this.op({
          ...base,
          operation: "RemoveLFTagsFromResource",
          input: { Resource, LFTags: remove },
          idempotency: "delete",
          description: `remove LF tag(s) ${remove.map((t) => t.TagKey).join(", ")} from ${d.key}`,
        }),
      );
    }
    if (add.length > 0) {
      out.push(
        this.op({
          ...base,
          operation: "AddLFTagsToResource",
          input: { Resource, LFTags: add },
          idempotency: "upsert",
          description: `assign LF tag(s) ${add.map((t) => `${t.TagKey}=${t.TagValues.join("|")}`).join(", ")} to ${d.key}`,
        }),
      );
    }
    return out;
  }

  private permission(d: DiffOf<"permission">): TargetOperation[] {
    const desired = d.change === "delete" ? undefined : d.desired!;
    const current = d.target;
    const { Principal, Resource } = (desired ?? current)!;
    const grant = {
      Permissions: minus(desired?.Permissions ?? [], current?.Permissions ?? []),
      PermissionsWithGrantOption: minus(
        desired?.PermissionsWithGrantOption ?? [],
        current?.PermissionsWithGrantOption ?? [],
      ),
    };
    // Granting a grant option names the permission too (LF requires options ⊆ permissions).
    grant.Permissions = [...new Set([...grant.Permissions, ...grant.PermissionsWithGrantOption])].sort();
    const revoke = {
      Permissions: minus(current?.Permissions ?? [], desired?.Permissions ?? []),
      PermissionsWithGrantOption: minus(
        current?.PermissionsWithGrantOption ?? [],
        desired?.PermissionsWithGrantOption ?? [],
      ),
    };
    const out: TargetOperation[] = [];
    // Losing only a grant option: revoke permission+option, then grant the permission back.
    const optionOnly = revoke.PermissionsWithGrantOption.filter((p) => !revoke.Permissions.includes(p));
    if (optionOnly.length > 0) {
      revoke.Permissions = [...revoke.Permissions, ...optionOnly].sort();
      grant.Permissions = [...new Set([...grant.Permissions, ...optionOnly])].sort();
    }
    const entry = (p: { Permissions: string[]; PermissionsWithGrantOption: string[] }) => ({
      Principal,
      Resource,
      Permissions: p.Permissions,
      ...(p.PermissionsWithGrantOption.length
        ? { PermissionsWithGrantOption: p.PermissionsWithGrantOption }
        : {}),
      ...(desired?.Condition ? { Condition: desired.Condition } : {}),
    });
    if (optionOnly.length > 0) {
      // Revokes run after grants (removals last) unless both name the same resource key; a batch
      // is keyed by its first entry, so in batches the grant-back could run before the revoke and
      // be revoked with it. The pair is kept out of batches, on this grant's own key.
      const resourceKey = resourceKeys.permission(Principal.DataLakePrincipalIdentifier, Resource);
      const single = (operation: "BatchRevokePermissions" | "BatchGrantPermissions", e: Json) =>
        this.op({
          service: "lakeformation",
          operation,
          input: { Entries: [{ Id: "0", ...e }] },
          resourceKey,
          idempotency: operation === "BatchGrantPermissions" ? "grant" : "revoke",
          phase: Phase.permissions,
          description: `${operation === "BatchGrantPermissions" ? "grant" : "revoke"} 1 permission entry (grant option ${optionOnly.join(", ")} removed)`,
        });
      out.push(single("BatchRevokePermissions", entry(revoke)));
      if (grant.Permissions.length > 0) out.push(single("BatchGrantPermissions", entry(grant)));
      return out;
    }
    if (revoke.Permissions.length > 0)
      out.push(...this.permissionBatch("BatchRevokePermissions", entry(revoke)));
    if (grant.Permissions.length > 0)
      out.push(...this.permissionBatch("BatchGrantPermissions", entry(grant)));
    return out;
  }

  private permissionBatch(
    operation: "BatchGrantPermissions" | "BatchRevokePermissions",
    entry: Partial<PermissionValue>,
  ) {
    const grant = operation === "BatchGrantPermissions";
    return this.batch(
      operation,
      {
        group: "permissions", // grants and revokes batch side by side
        operation,
        limit: batchLimits.batchPermissions,
        build: (entries) => {
          const list = (entries as Partial<PermissionValue>[]).map((e, i) => ({ Id: String(i), ...e }));
          const first = list[0]!;
          return this.op({
            service: "lakeformation",
            operation,
            input: { Entries: list },
            // A batch is named by its first grant identity (the executor dedupes per operation).
            resourceKey: resourceKeys.permission(
              first.Principal!.DataLakePrincipalIdentifier,
              first.Resource,
            ),
            idempotency: grant ? "grant" : "revoke",
            phase: Phase.permissions,
            description: `${grant ? "grant" : "revoke"} ${list.length} permission entr${list.length === 1 ? "y" : "ies"}`,
          });
        },
      },
      entry,
    );
  }

  private settings(d: DiffOf<"dataLakeSettings">): TargetOperation[] {
    if (d.change === "delete" || !d.desired) return []; // settings always exist; nothing to delete
    if (d.target && stableJson(d.desired) === stableJson(d.target)) return [];
    // The executor's merge keeps every current admin unless told to remove it: with deleteSync
    // the target-only admins are named, never a protected one (the diff keeps those desired, and
    // keepAdmins makes the merge refuse to remove them).
    const keepAdmins = [...(d.protectedAdmins ?? [])];
    const removeAdmins = minus(adminIds(d.target), adminIds(d.desired)).filter(
      (id) => !keepAdmins.includes(id),
    );
    const directives = {
      ...(keepAdmins.length > 0 ? { keepAdmins } : {}),
      ...(removeAdmins.length > 0 ? { removeAdmins } : {}),
    };
    return [
      this.op({
        service: "lakeformation",
        operation: "PutDataLakeSettings",
        input: {
          DataLakeSettings: d.desired,
          ...(Object.keys(directives).length > 0 ? { [mergeField]: directives } : {}),
        },
        resourceKey: resourceKeys.settings(this.catalogId),
        idempotency: "merge",
        phase: Phase.settings,
        description:
          keepAdmins.length > 0
            ? `put data lake settings; ${protectedAdminsNote(keepAdmins)}`
            : "put data lake settings",
      }),
    ];
  }

  private location(d: DiffOf<"registeredLocation">): TargetOperation[] {
    const value = (d.desired ?? d.target)!;
    const ResourceArn = String(value.ResourceArn);
    const base = {
      service: "lakeformation" as const,
      resourceKey: resourceKeys.location(ResourceArn),
      phase: Phase.locations,
    };
    // UpdateResource takes a RoleArn only: the service-linked role is named by its ARN.
    const { UseServiceLinkedRole, WithPrivilegedAccess: _notUpdatable, ...updatable } = value;
    const RoleArn =
      updatable.RoleArn ??
      (UseServiceLinkedRole
        ? `arn:aws:iam::${this.catalogId}:role/aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess`
        : undefined);
    const update = this.op({
      ...base,
      operation: "UpdateResource",
      input: { ...updatable, ...(RoleArn ? { RoleArn } : {}) },
      idempotency: "upsert",
      description: `update registered location ${ResourceArn}`,
    });
    if (d.change === "create") {
      return [
        this.op({
          ...base,
          operation: "RegisterResource",
          input: { ...value },
          idempotency: "create",
          onExists: update,
          description: `register location ${ResourceArn}`,
        }),
      ];
    }
    if (d.change === "update") return [update];
    return [
      this.op({
        ...base,
        operation: "DeregisterResource",
        input: { ResourceArn },
        idempotency: "delete",
        description: `deregister location ${ResourceArn}`,
      }),
    ];
  }

  private dataCellsFilter(d: DiffOf<"dataCellsFilter">): TargetOperation[] {
    const value = (d.desired ?? d.target)!;
    const { DatabaseName, TableName, Name } = value as {
      DatabaseName: string;
      TableName: string;
      Name: string;
    };
    const TableCatalogId = (value.TableCatalogId as string | undefined) ?? this.catalogId;
    const TableData = { ...value, TableCatalogId };
    const base = {
      service: "lakeformation" as const,
      resourceKey: resourceKeys.dataCellsFilter(TableCatalogId, DatabaseName, TableName, Name),
      phase: Phase.dataCellsFilters,
    };
    const what = `data cells filter ${DatabaseName}.${TableName}.${Name}`;
    const update = this.op({
      ...base,
      operation: "UpdateDataCellsFilter",
      input: { TableData },
      idempotency: "upsert",
      description: `update ${what}`,
    });
    if (d.change === "create") {
      return [
        this.op({
          ...base,
          operation: "CreateDataCellsFilter",
          input: { TableData },
          idempotency: "create",
          onExists: update,
          description: `create ${what}`,
        }),
      ];
    }
    if (d.change === "update") return [update];
    return [
      this.op({
        ...base,
        operation: "DeleteDataCellsFilter",
        input: { TableCatalogId, DatabaseName, TableName, Name },
        idempotency: "delete",
        description: `delete ${what}`,
      }),
    ];
  }
}

/** All operations for a list of differences (plans, tests). */
export function differencesToOperations(
  differences: Iterable<Difference>,
  target: CatalogLocation,
): TargetOperation[] {
  const planner = new OperationPlanner(target);
  const out: TargetOperation[] = [];
  for (const difference of differences) out.push(...planner.push(difference));
  out.push(...planner.flush());
  return out;
}

/** Streaming form: operations as soon as their batch is complete. */
export async function* streamOperations(
  differences: AsyncIterable<Difference> | Iterable<Difference>,
  target: CatalogLocation,
): AsyncGenerator<TargetOperation> {
  const planner = new OperationPlanner(target);
  for await (const difference of differences) yield* planner.push(difference);
  yield* planner.flush();
}
