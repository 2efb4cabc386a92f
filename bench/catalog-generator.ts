// The bench's synthetic catalogs (issue 12): a seeded generator of databases, tables in mixed
// formats and partition depths, partitions, LF tags with assignments on databases, tables and
// columns, and grants on databases, tables, columns, tags and tag policies. The catalog is
// written through the product's own builders (one vocabulary) and executor, like `local seed`.
import {
  addLfTagsToResource,
  batchCreatePartitions,
  batchGrantPermissions,
  createDatabase,
  createLfTag,
  createTable,
  type Json,
  type PermissionEntry,
  updateTable,
} from "../modules/operations/build/index.ts";
import type { CatalogLocation, TargetOperation } from "../modules/operations/operation.ts";

export interface CatalogSize {
  databases: number;
  tables: number;
  partitions: number;
  grants: number;
  tags: number;
  tagAssignments: number;
}

/** The sizes of issue 12; L is for memory only (the export of a million partitions). */
export const catalogSizes = {
  S: { databases: 10, tables: 200, partitions: 10_000, grants: 500, tags: 50, tagAssignments: 200 },
  M: { databases: 50, tables: 2_000, partitions: 200_000, grants: 5_000, tags: 200, tagAssignments: 2_000 },
  L: {
    databases: 100,
    tables: 5_000,
    partitions: 1_000_000,
    grants: 5_000,
    tags: 200,
    tagAssignments: 2_000,
  },
} as const satisfies Record<string, CatalogSize>;

export type SizeName = keyof typeof catalogSizes;

/** mulberry32: a small seeded PRNG, so one seed always gives one catalog. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const storage = {
  parquet: {
    InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    OutputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
  },
  json: {
    InputFormat: "org.apache.hadoop.mapred.TextInputFormat",
    OutputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
    SerdeInfo: { SerializationLibrary: "org.openx.data.jsonserde.JsonSerDe" },
  },
  csv: {
    InputFormat: "org.apache.hadoop.mapred.TextInputFormat",
    OutputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
    SerdeInfo: {
      SerializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
      Parameters: { "field.delim": "," },
    },
  },
  orc: {
    InputFormat: "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
    OutputFormat: "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat",
    SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.ql.io.orc.OrcSerde" },
  },
  avro: {
    InputFormat: "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
    OutputFormat: "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat",
    SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.serde2.avro.AvroSerDe" },
  },
} as const;
type Format = keyof typeof storage;
const formatNames = Object.keys(storage) as Format[];

/** Partition key sets by depth: none, daily, monthly, daily with region. */
const partitionKeySets = [[], ["dt"], ["year", "month"], ["year", "month", "day"]] as const;

export const benchBucket = "lakesync-bench-lake";

export interface GeneratedTable {
  database: string;
  name: string;
  format: Format;
  partitionKeys: readonly string[];
  partitions: number;
  columns: string[];
}

export interface GeneratedCatalog {
  size: CatalogSize;
  databases: string[];
  tables: GeneratedTable[];
  tags: { key: string; values: string[] }[];
  assignments: { resource: Json; tags: { TagKey: string; TagValues: string[] }[] }[];
  grants: PermissionEntry[];
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** Partition values of a table, the i-th of its partitions (unique per table). */
function partitionValues(keys: readonly string[], i: number): string[] {
  const day = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000);
  const y = String(day.getUTCFullYear());
  const m = pad(day.getUTCMonth() + 1, 2);
  const d = pad(day.getUTCDate(), 2);
  switch (keys.length) {
    case 1:
      return [`${y}-${m}-${d}`];
    case 2:
      // A month per partition would run out of months: the day goes into the month key's suffix.
      return [y, `${m}-${d}`];
    default:
      return [y, m, d];
  }
}

/** Splits `total` over `parts` buckets with skew (a few large tables, many small ones). */
function skewedSplit(total: number, parts: number, random: () => number): number[] {
  if (parts === 0) return [];
  const weights = Array.from({ length: parts }, () => random() ** 3 + 0.01);
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((w / sum) * total));
  let rest = total - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % parts, rest--) counts[i] = (counts[i] ?? 0) + 1;
  return counts;
}

/** The catalog a seed and size stand for (plain data; catalogOperations writes it). */
export function generateCatalog(size: CatalogSize, seed = 12): GeneratedCatalog {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const databases = Array.from({ length: size.databases }, (_, i) => `bench_db_${pad(i, 4)}`);

  const tables: GeneratedTable[] = Array.from({ length: size.tables }, (_, i) => {
    const format = formatNames[i % formatNames.length] as Format;
    const depth = i % 5 === 0 ? 0 : 1 + Math.floor(random() * 3);
    return {
      database: databases[i % databases.length] as string,
      name: `t_${pad(i, 5)}_${format}`,
      format,
      partitionKeys: partitionKeySets[depth] ?? [],
      partitions: 0,
      columns: Array.from({ length: 3 + Math.floor(random() * 6) }, (_, c) => `c${c}`),
    };
  });
  const partitioned = tables.filter((t) => t.partitionKeys.length > 0);
  skewedSplit(size.partitions, partitioned.length, random).forEach((count, i) => {
    (partitioned[i] as GeneratedTable).partitions = count;
  });

  const tags = Array.from({ length: size.tags }, (_, i) => ({
    key: `tag_${pad(i, 3)}`,
    values: ["a", "b", "c", "d"].slice(0, 2 + (i % 3)),
  }));
  const assignments: GeneratedCatalog["assignments"] = [];
  const assigned = new Set<string>();
  while (assignments.length < size.tagAssignments) {
    const tag = pick(tags);
    const kind = random();
    const table = pick(tables);
    const resource: Json =
      kind < 0.2
        ? { Database: { Name: pick(databases) } }
        : kind < 0.7
          ? { Table: { DatabaseName: table.database, Name: table.name } }
          : {
              TableWithColumns: {
                DatabaseName: table.database,
                Name: table.name,
                ColumnNames: [pick(table.columns)],
              },
            };
    const key = `${tag.key}|${JSON.stringify(resource)}`;
    if (assigned.has(key)) continue;
    assigned.add(key);
    assignments.push({ resource, tags: [{ TagKey: tag.key, TagValues: [pick(tag.values)] }] });
  }

  const grants: PermissionEntry[] = [];
  const granted = new Set<string>();
  const principals = Array.from({ length: 40 }, (_, i) => `role/bench-principal-${pad(i, 2)}`);
  while (grants.length < size.grants) {
    const principal = pick(principals);
    const kind = random();
    const table = pick(tables);
    const tag = pick(tags);
    const [resource, permissions]: [Json, string[]] =
      kind < 0.25
        ? [{ Database: { Name: pick(databases) } }, ["DESCRIBE", "CREATE_TABLE"]]
        : kind < 0.6
          ? [{ Table: { DatabaseName: table.database, Name: table.name } }, ["SELECT", "DESCRIBE"]]
          : kind < 0.8
            ? [
                {
                  TableWithColumns: {
                    DatabaseName: table.database,
                    Name: table.name,
                    ColumnNames: table.columns.slice(0, 2),
                  },
                },
                ["SELECT"],
              ]
            : kind < 0.9
              ? [{ LFTag: { TagKey: tag.key, TagValues: tag.values } }, ["DESCRIBE", "ASSOCIATE"]]
              : [
                  {
                    LFTagPolicy: {
                      ResourceType: random() < 0.5 ? "TABLE" : "DATABASE",
                      Expression: [{ TagKey: tag.key, TagValues: [pick(tag.values)] }],
                    },
                  },
                  ["DESCRIBE"],
                ];
    const key = `${principal}|${JSON.stringify(resource)}`;
    if (granted.has(key)) continue;
    granted.add(key);
    grants.push({
      Id: String(grants.length),
      Principal: { DataLakePrincipalIdentifier: principalIn("{account}", principal) },
      Resource: resource,
      Permissions: permissions,
      PermissionsWithGrantOption: [],
    });
  }
  return { size, databases, tables, tags, assignments, grants };
}

const s3 = (path: string) => `s3://${benchBucket}/${path}`;

function tableStorage(table: GeneratedTable) {
  return {
    ...storage[table.format],
    Columns: table.columns.map((Name) => ({ Name, Type: "string" })),
    Location: s3(`${table.database}/${table.name}/`),
  };
}

function tableInput(table: GeneratedTable, description?: string): Json {
  return {
    Name: table.name,
    ...(description ? { Description: description } : {}),
    TableType: "EXTERNAL_TABLE",
    Parameters: { classification: table.format, EXTERNAL: "TRUE" },
    PartitionKeys: table.partitionKeys.map((Name) => ({ Name, Type: "string" })),
    StorageDescriptor: tableStorage(table),
  };
}

/** Partitions `from` .. `to` (exclusive) of a table, as BatchCreatePartition operations. */
function partitionOperations(
  target: CatalogLocation,
  table: GeneratedTable,
  from: number,
  to: number,
): TargetOperation[] {
  const sd = tableStorage(table);
  const partitions = Array.from({ length: to - from }, (_, i) => {
    const values = partitionValues(table.partitionKeys, from + i);
    return {
      Values: values,
      StorageDescriptor: {
        ...sd,
        Location: `${sd.Location}${values.map((v, k) => `${table.partitionKeys[k]}=${v}`).join("/")}/`,
      },
    };
  });
  return batchCreatePartitions(
    { target },
    { DatabaseName: table.database, TableName: table.name },
    partitions,
    // Chunks of one table run side by side: seeding is not what the bench measures.
    { keyBy: "firstEntry" },
  );
}

const principalIn = (account: string, principal: string) => `arn:aws:iam::${account}:${principal}`;

/** The catalog as operations for `target`, applied by the executor in its dependency order. */
export function catalogOperations(catalog: GeneratedCatalog, target: CatalogLocation): TargetOperation[] {
  const to = { target };
  const ops: TargetOperation[] = [];
  for (const name of catalog.databases)
    ops.push(createDatabase(to, { Name: name, Description: "bench", LocationUri: s3(`${name}/`) }));
  for (const table of catalog.tables) {
    ops.push(createTable(to, { DatabaseName: table.database, TableInput: tableInput(table) }));
    if (table.partitions > 0) ops.push(...partitionOperations(target, table, 0, table.partitions));
  }
  for (const tag of catalog.tags) ops.push(createLfTag(to, tag.key, tag.values));
  for (const { resource, tags } of catalog.assignments) ops.push(addLfTagsToResource(to, resource, tags));
  const grants = catalog.grants.map((grant) => ({
    ...grant,
    Principal: {
      DataLakePrincipalIdentifier: String(
        (grant.Principal as { DataLakePrincipalIdentifier: string }).DataLakePrincipalIdentifier,
      ).replace("arn:aws:iam::{account}:", `arn:aws:iam::${target.account}:`),
    },
  }));
  ops.push(...batchGrantPermissions(to, grants));
  return ops;
}

export interface CatalogChange {
  operations: TargetOperation[];
  newPartitionsPerTable: number[];
  updatedTables: number;
  newGrants: number;
}

/**
 * A change of `fraction` of the catalog in `target` (the bench's sync case): that share of new
 * partitions on the largest partitioned tables, of tables with a new description, of new grants.
 */
export function catalogChange(
  catalog: GeneratedCatalog,
  target: CatalogLocation,
  fraction = 0.01,
): CatalogChange {
  const to = { target };
  const operations: TargetOperation[] = [];
  const byPartitions = catalog.tables
    .filter((t) => t.partitionKeys.length > 0)
    .sort((a, b) => b.partitions - a.partitions);
  let newPartitions = Math.ceil(catalog.size.partitions * fraction);
  const newPartitionsPerTable: number[] = [];
  for (const table of byPartitions.slice(0, 5)) {
    const count = Math.ceil(newPartitions / (5 - newPartitionsPerTable.length));
    newPartitions -= count;
    newPartitionsPerTable.push(count);
    operations.push(...partitionOperations(target, table, table.partitions, table.partitions + count));
  }
  const updatedTables = Math.ceil(catalog.tables.length * fraction);
  for (const table of catalog.tables.slice(0, updatedTables))
    operations.push(
      updateTable(to, {
        DatabaseName: table.database,
        TableInput: tableInput(table, "changed by the bench"),
      }),
    );
  const newGrants = Math.ceil(catalog.grants.length * fraction);
  operations.push(
    ...batchGrantPermissions(
      to,
      Array.from({ length: newGrants }, (_, i) => ({
        Principal: { DataLakePrincipalIdentifier: principalIn(target.account, `role/bench-change-${i}`) },
        Resource: { Database: { Name: catalog.databases[i % catalog.databases.length] } },
        Permissions: ["DESCRIBE"],
        PermissionsWithGrantOption: [],
      })),
    ),
  );
  return { operations, newPartitionsPerTable, updatedTables, newGrants };
}

/** Tables of the catalog that hold partitions. */
export function partitionedTables(catalog: GeneratedCatalog): GeneratedTable[] {
  return catalog.tables.filter((t) => t.partitions > 0);
}
