// The bench's synthetic catalogs are a function of (size, seed), have the sizes issue 12 names,
// and the minimum-call arithmetic the bench divides by follows the APIs' batch and page limits.
import { describe, expect, it } from "vitest";
import {
  type CatalogSize,
  catalogChange,
  catalogOperations,
  catalogSizes,
  generateCatalog,
} from "../../bench/catalog-generator.ts";
import {
  changeWriteMinimum,
  familyOf,
  restoreWriteMinimum,
  snapshotReadMinimum,
} from "../../bench/minimum-calls.ts";

const small: CatalogSize = {
  databases: 3,
  tables: 20,
  partitions: 2_500,
  grants: 45,
  tags: 5,
  tagAssignments: 12,
};
const target = { name: "bench", account: "123456789012", region: "us-east-1" };

describe("bench catalog generator", () => {
  it("gives one catalog per seed, and another for another seed", () => {
    expect(generateCatalog(small, 7)).toEqual(generateCatalog(small, 7));
    expect(catalogOperations(generateCatalog(small, 7), target)).toEqual(
      catalogOperations(generateCatalog(small, 7), target),
    );
    expect(generateCatalog(small, 8)).not.toEqual(generateCatalog(small, 7));
  });

  it("has the counts of its size, unique grants and assignments, mixed formats and depths", () => {
    const catalog = generateCatalog(catalogSizes.S);
    expect(catalog.databases).toHaveLength(10);
    expect(catalog.tables).toHaveLength(200);
    expect(catalog.tables.reduce((sum, t) => sum + t.partitions, 0)).toBe(10_000);
    expect(catalog.grants).toHaveLength(500);
    expect(new Set(catalog.grants.map((g) => JSON.stringify([g.Principal, g.Resource]))).size).toBe(500);
    expect(catalog.tags).toHaveLength(50);
    expect(catalog.assignments).toHaveLength(200);
    expect(new Set(catalog.tables.map((t) => t.format))).toEqual(
      new Set(["parquet", "json", "csv", "orc", "avro"]),
    );
    expect(new Set(catalog.tables.map((t) => t.partitionKeys.length))).toEqual(new Set([0, 1, 2, 3]));
    const kinds = new Set(catalog.grants.map((g) => Object.keys(g.Resource as object)[0]));
    expect(kinds).toEqual(new Set(["Database", "Table", "TableWithColumns", "LFTag", "LFTagPolicy"]));
    // Partition values are unique within each table.
    const ops = catalogOperations(catalog, target).filter((op) => op.operation === "BatchCreatePartition");
    const seen = new Set<string>();
    for (const op of ops) {
      const input = op.input as { TableName: string; PartitionInputList: { Values: string[] }[] };
      for (const p of input.PartitionInputList) seen.add(`${input.TableName}|${p.Values.join("/")}`);
    }
    expect(seen.size).toBe(10_000);
  });

  it("counts the minimum calls from the batch and page limits", () => {
    const catalog = generateCatalog(small, 3);
    const perTable = catalog.tables.filter((t) => t.partitions > 0).map((t) => t.partitions);
    const writes = restoreWriteMinimum(catalog);
    expect(writes["glue-writes"]).toBe(3 + 20 + perTable.reduce((sum, p) => sum + Math.ceil(p / 100), 0));
    // 45 grants plus the default IAM_ALLOWED_PRINCIPALS grant on each of 3 databases and 20 tables.
    expect(writes["lf-permissions"]).toBe(Math.ceil((45 + 3 + 20) / 20));
    const reads = snapshotReadMinimum(catalog);
    expect(reads["glue-catalog-reads"]).toBe(1 + 3); // one GetDatabases page, one GetTables page per database
    expect(reads["glue-partition-reads"]).toBe(
      catalog.tables
        .filter((t) => t.partitionKeys.length > 0)
        .reduce((sum, t) => sum + Math.max(1, Math.ceil(t.partitions / 1000)), 0),
    );
    const partitioned = catalog.tables.filter((t) => t.partitionKeys.length > 0).length;
    expect(reads["glue-partition-indexes"]).toBe(partitioned);
    expect(reads["lf-permissions"]).toBe(1);
    // One ListLFTags page, the 3 databases one call each (cheaper than a search per key for 5
    // keys), and one GetResourceLFTags per table.
    expect(reads["lf-tags"]).toBe(1 + 3 + 20);
    const manyDatabases = generateCatalog({ ...small, databases: 40 }, 3);
    expect(snapshotReadMinimum(manyDatabases)["lf-tags"]).toBe(1 + 5 + 20);
    expect(
      changeWriteMinimum({ newPartitionsPerTable: [101, 0, 5], updatedTables: 2, newGrants: 21 }),
    ).toEqual({
      "glue-writes": 2 + 2 + 1,
      "lf-permissions": 2,
    });
  });

  it("changes 1% of the catalog in the sync case", () => {
    const catalog = generateCatalog(catalogSizes.S);
    const change = catalogChange(catalog, target);
    expect(change.newPartitionsPerTable.reduce((a, b) => a + b, 0)).toBe(100);
    expect(change.updatedTables).toBe(2);
    expect(change.newGrants).toBe(5);
  });

  it("sorts counted calls into API families", () => {
    expect(familyOf("glue", "GetPartitions")).toBe("glue-partition-reads");
    expect(familyOf("glue", "GetPartitionIndexes")).toBe("glue-partition-indexes");
    expect(familyOf("glue", "GetTables")).toBe("glue-catalog-reads");
    expect(familyOf("glue", "BatchCreatePartition")).toBe("glue-writes");
    expect(familyOf("lakeformation", "BatchGrantPermissions")).toBe("lf-permissions");
    expect(familyOf("lakeformation", "SearchTablesByLFTags")).toBe("lf-tags");
    expect(familyOf("lakeformation", "GetDataLakeSettings")).toBe("lf-settings");
    expect(familyOf("s3", "PutObject")).toBe("other");
  });
});
