// Differences -> TargetOperation values for the executor. Partitions, table deletes and LF
// grants/revokes are batched up to the API limits; a batch never spans two tables (partitions)
// or two databases (table deletes). Kept differences (deleteSync off) produce nothing.
// Descriptions are the builders' except where `sync`/`restore` plans have always printed their own.
import { icebergDirectivesForMapped } from "../mapping/iceberg-tables.ts";
import type { MappingRules } from "../mapping/mapping.ts";
import { adminIds, protectedAdminsNote } from "../mapping/settings.ts";
import { type BatchApi, batchLimits } from "../operations/apis.ts";
import {
  addLfTagsToResource,
  addLfTagValues,
  batchCreateOrUpdatePartitions,
  batchDeletePartitions,
  batchDeleteTables,
  batchGrantPermissions,
  batchRevokePermissions,
  batchUpdatePartitions,
  createOrUpdateDatabase,
  createOrUpdateDataCellsFilter,
  createOrUpdateLfTag,
  createOrUpdateTable,
  createPartitionIndex,
  type Destination,
  deleteDatabase,
  deleteDataCellsFilter,
  deleteLfTag,
  deletePartitionIndex,
  deregisterResource,
  putDataLakeSettings,
  registerOrUpdateResource,
  removeLfTagsFromResource,
  updateDatabase,
  updateDataCellsFilter,
  updateLfTag,
  updateResource,
  updateTable,
} from "../operations/build/index.ts";
import { type CatalogLocation, stableJson, type TargetOperation } from "../operations/operation.ts";
import type { Difference } from "./diff.ts";
import type { Json, PermissionValue, SnapshotKind, SnapshotValues, TagAssignmentValue } from "./model.ts";

type DiffOf<K extends SnapshotKind> = Extract<Difference, { kind: K }>;

const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));

interface Batch {
  group: string;
  operation: BatchApi;
  entries: unknown[];
  /** The builder: entries up to the API limit make one operation. */
  build: (entries: unknown[]) => TargetOperation[];
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

  /** The target's own catalog: inputs name no CatalogId and resource keys use its account. */
  private readonly to: Destination;

  /**
   * @param rules the mapping the source was mapped with: Iceberg tables it moves to another bucket
   *   carry the metadata rewrite directive (modules/mapping/iceberg-tables.ts). Without it, none do.
   */
  constructor(
    target: CatalogLocation,
    private readonly rules?: MappingRules,
  ) {
    this.to = { target };
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
    const out = [...this.batches.values()]
      .filter((b) => b.entries.length > 0)
      .flatMap((b) => b.build(b.entries));
    this.batches.clear();
    return out;
  }

  /** Adds an entry to the batch of its slot; returns the operations completed by doing so. */
  private batch(slot: string, spec: Omit<Batch, "entries">, entry: unknown): TargetOperation[] {
    const out: TargetOperation[] = [];
    // A new group (table, database) closes every open batch of the old one, so a table's
    // partition operations come out together and in the order of the differences.
    for (const [openSlot, open] of this.batches) {
      if (open.group !== spec.group) {
        out.push(...open.build(open.entries));
        this.batches.delete(openSlot);
      }
    }
    let current = this.batches.get(slot);
    if (!current) {
      current = { ...spec, entries: [] };
      this.batches.set(slot, current);
    }
    current.entries.push(entry);
    if (current.entries.length >= batchLimits[current.operation]) {
      out.push(...current.build(current.entries));
      this.batches.delete(slot);
    }
    return out;
  }

  private database(d: DiffOf<"database">): TargetOperation[] {
    const value = (d.desired ?? d.target) as Json;
    const Name = String(value.Name);
    if (d.change === "create") return [createOrUpdateDatabase(this.to, value)];
    if (d.change === "update") return [updateDatabase(this.to, Name, value)];
    this.deletedDatabases.add(Name);
    return [deleteDatabase(this.to, Name)];
  }

  private table(d: DiffOf<"table">): TargetOperation[] {
    const { DatabaseName, TableInput } = (d.desired ?? d.target) as SnapshotValues["table"];
    const Name = String(TableInput.Name);
    const iceberg =
      this.rules && d.change !== "delete" ? icebergDirectivesForMapped(TableInput, this.rules) : undefined;
    const table = { DatabaseName, TableInput, ...(iceberg ? { iceberg } : {}) };
    if (d.change === "create") return [createOrUpdateTable(this.to, table)];
    if (d.change === "update") return [updateTable(this.to, table)];
    this.deletedTables.add(stableJson([DatabaseName, Name]));
    if (this.deletedDatabases.has(DatabaseName)) return []; // DeleteDatabase removes its tables
    return this.batch(
      "BatchDeleteTable",
      {
        group: DatabaseName,
        operation: "BatchDeleteTable",
        build: (entries) => batchDeleteTables(this.to, DatabaseName, entries as string[]),
      },
      Name,
    );
  }

  private partition(d: DiffOf<"partition">): TargetOperation[] {
    const { DatabaseName, TableName, PartitionInput } = (d.desired ??
      d.target) as SnapshotValues["partition"];
    const group = stableJson([DatabaseName, TableName]);
    const table = { DatabaseName, TableName };
    if (d.change === "create") {
      return this.batch(
        "BatchCreatePartition",
        {
          group,
          operation: "BatchCreatePartition",
          build: (entries) => batchCreateOrUpdatePartitions(this.to, table, entries as Json[]),
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
          build: (entries) =>
            batchUpdatePartitions(
              this.to,
              table,
              entries as { PartitionValueList: string[]; PartitionInput: Json }[],
            ),
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
        build: (entries) => batchDeletePartitions(this.to, table, entries as { Values: string[] }[]),
      },
      { Values: PartitionInput.Values },
    );
  }

  private partitionIndex(d: DiffOf<"partitionIndex">): TargetOperation[] {
    const create = (v: SnapshotValues["partitionIndex"]) =>
      createPartitionIndex(this.to, v, v.PartitionIndex);
    const remove = (v: SnapshotValues["partitionIndex"]) =>
      deletePartitionIndex(this.to, v, v.PartitionIndex.IndexName);
    if (d.change === "create") return [create(d.desired!)];
    // An index cannot be altered: a changed one is dropped and rebuilt.
    if (d.change === "update") return [remove(d.target!), create(d.desired!)];
    return [remove(d.target!)];
  }

  private lfTag(d: DiffOf<"lfTag">): TargetOperation[] {
    const TagKey = (d.desired ?? d.target)!.TagKey;
    if (d.change === "create") {
      return [
        createOrUpdateLfTag(this.to, TagKey, d.desired!.TagValues, {
          description: `create LF tag ${TagKey}`,
        }),
      ];
    }
    if (d.change === "delete") return [deleteLfTag(this.to, TagKey)];
    const add = minus(d.desired!.TagValues, d.target!.TagValues);
    const remove = minus(d.target!.TagValues, d.desired!.TagValues);
    if (add.length === 0 && remove.length === 0) return [];
    const description = `update LF tag ${TagKey} (+${add.length} -${remove.length} values)`;
    // A merge only ever adds values (the executor ignores TagValuesToDelete there); removing
    // values (deleteSync) is a plain write computed from the target's current values.
    if (remove.length === 0) return [addLfTagValues(this.to, TagKey, add, { description })];
    return [updateLfTag(this.to, TagKey, { ...(add.length ? { add } : {}), remove }, { description })];
  }

  private tagAssignment(d: DiffOf<"tagAssignment">): TargetOperation[] {
    const desired: TagAssignmentValue["LFTags"] = d.change === "delete" ? [] : d.desired!.LFTags;
    const current: TagAssignmentValue["LFTags"] = d.target?.LFTags ?? [];
    const Resource = (d.desired ?? d.target)!.Resource;
    const currentByKey = new Map(current.map((t) => [t.TagKey, stableJson(t.TagValues)]));
    const desiredKeys = new Set(desired.map((t) => t.TagKey));
    const add = desired.filter((t) => currentByKey.get(t.TagKey) !== stableJson(t.TagValues));
    const remove = current.filter((t) => !desiredKeys.has(t.TagKey));
    const out: TargetOperation[] = [];
    if (remove.length > 0) {
      const description = `remove LF tag(s) ${remove.map((t) => t.TagKey).join(", ")} from ${d.key}`;
      out.push(removeLfTagsFromResource(this.to, Resource, remove, { description }));
    }
    if (add.length > 0) {
      const description = `assign LF tag(s) ${add.map((t) => `${t.TagKey}=${t.TagValues.join("|")}`).join(", ")} to ${d.key}`;
      out.push(addLfTagsToResource(this.to, Resource, add, { description }));
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
      // be revoked with it. The pair is kept out of batches, each alone and so on this grant's key.
      const note = { note: `grant option ${optionOnly.join(", ")} removed` };
      out.push(...batchRevokePermissions(this.to, [entry(revoke)], note));
      if (grant.Permissions.length > 0) out.push(...batchGrantPermissions(this.to, [entry(grant)], note));
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
    const build = operation === "BatchGrantPermissions" ? batchGrantPermissions : batchRevokePermissions;
    return this.batch(
      operation,
      {
        group: "permissions", // grants and revokes batch side by side
        operation,
        build: (entries) => build(this.to, entries as Json[]),
      },
      entry,
    );
  }

  private settings(d: DiffOf<"dataLakeSettings">): TargetOperation[] {
    if (d.change === "delete" || !d.desired) return []; // settings always exist; nothing to delete
    if (d.target && stableJson(d.desired) === stableJson(d.target)) return [];
    // `desired` is the whole target settings (protected admins included); the executor's merge
    // writes it and, told the protected admins, keeps them even if the target gained them since.
    const keepAdmins = [...(d.protectedAdmins ?? [])];
    const removed = minus(adminIds(d.target), adminIds(d.desired));
    const description = [
      "put data lake settings",
      ...(removed.length > 0 ? [`removes admins ${removed.join(", ")}`] : []),
      ...(keepAdmins.length > 0 ? [protectedAdminsNote(keepAdmins)] : []),
    ].join("; ");
    return [
      putDataLakeSettings(this.to, d.desired, keepAdmins.length > 0 ? { keepAdmins } : undefined, {
        description,
      }),
    ];
  }

  private location(d: DiffOf<"registeredLocation">): TargetOperation[] {
    const value = (d.desired ?? d.target)!;
    const ResourceArn = String(value.ResourceArn);
    // UpdateResource takes a RoleArn only: the service-linked role is named by its ARN.
    const { UseServiceLinkedRole, WithPrivilegedAccess: _notUpdatable, ...updatable } = value;
    const RoleArn =
      updatable.RoleArn ??
      (UseServiceLinkedRole
        ? `arn:aws:iam::${this.to.target.account}:role/aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess`
        : undefined);
    const update = { ...updatable, ResourceArn, ...(RoleArn ? { RoleArn: String(RoleArn) } : {}) };
    if (d.change === "create") return [registerOrUpdateResource(this.to, { ...value }, update)];
    if (d.change === "update") {
      return [updateResource(this.to, update, { description: `update registered location ${ResourceArn}` })];
    }
    return [deregisterResource(this.to, ResourceArn)];
  }

  private dataCellsFilter(d: DiffOf<"dataCellsFilter">): TargetOperation[] {
    const value = (d.desired ?? d.target)!;
    const { DatabaseName, TableName, Name } = value as {
      DatabaseName: string;
      TableName: string;
      Name: string;
    };
    const TableCatalogId = (value.TableCatalogId as string | undefined) ?? this.to.target.account;
    const TableData = { ...value, TableCatalogId };
    const what = `data cells filter ${DatabaseName}.${TableName}.${Name}`;
    if (d.change === "create") {
      return [createOrUpdateDataCellsFilter(this.to, TableData, { description: `create ${what}` })];
    }
    if (d.change === "update")
      return [updateDataCellsFilter(this.to, TableData, { description: `update ${what}` })];
    return [
      deleteDataCellsFilter(
        this.to,
        { TableCatalogId, DatabaseName, TableName, Name },
        { description: `delete ${what}` },
      ),
    ];
  }
}

/** All operations for a list of differences (plans, tests). */
export function differencesToOperations(
  differences: Iterable<Difference>,
  target: CatalogLocation,
  rules?: MappingRules,
): TargetOperation[] {
  const planner = new OperationPlanner(target, rules);
  const out: TargetOperation[] = [];
  for (const difference of differences) out.push(...planner.push(difference));
  out.push(...planner.flush());
  return out;
}

/** Streaming form: operations as soon as their batch is complete. */
export async function* streamOperations(
  differences: AsyncIterable<Difference> | Iterable<Difference>,
  target: CatalogLocation,
  rules?: MappingRules,
): AsyncGenerator<TargetOperation> {
  const planner = new OperationPlanner(target, rules);
  for await (const difference of differences) yield* planner.push(difference);
  yield* planner.flush();
}
