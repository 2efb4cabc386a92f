import { describe, expect, it } from "vitest";
import {
  collect,
  type Difference,
  diffSnapshots,
  mapSnapshot,
  mapSnapshotRecord,
} from "../../modules/catalog/diff.ts";
import { compareRecords, type SnapshotRecord } from "../../modules/catalog/model.ts";
import {
  databaseRecord,
  dataLakeSettingsRecord,
  lfTagRecord,
  partitionRecord,
  permissionRecord,
  registeredLocationRecord,
  tableRecord,
  tagAssignmentRecords,
} from "../../modules/catalog/normalise.ts";
import type { MappingRules } from "../../modules/mapping/mapping.ts";

const SRC = "111111111111";
const TGT = "222222222222";

const rules: MappingRules = {
  sourceAccount: SRC,
  sourceRegion: "us-east-1",
  targetAccount: TGT,
  targetRegion: "us-west-2",
  buckets: { "src-lake": "dr-lake" },
  accounts: {},
  principals: { "arn:aws:iam::111111111111:role/analyst": "arn:aws:iam::222222222222:role/dr-analyst" },
  filters: { include: [], exclude: ["scratch", "sales.tmp_*"] },
  protectedAdmins: [],
};

const grant = (
  principal: string,
  resource: object,
  permissions: string[],
  withGrant: string[] = [],
  account = SRC,
) =>
  permissionRecord(
    {
      Principal: { DataLakePrincipalIdentifier: principal },
      Resource: resource,
      Permissions: permissions,
      PermissionsWithGrantOption: withGrant,
    },
    account,
  );

/** A source catalog touching every location field the mapping rewrites. */
function sourceSnapshot(): SnapshotRecord[] {
  const records: SnapshotRecord[] = [
    dataLakeSettingsRecord({
      DataLakeAdmins: [{ DataLakePrincipalIdentifier: `arn:aws:iam::${SRC}:role/admin` }],
    }),
    registeredLocationRecord({
      ResourceArn: "arn:aws:s3:::src-lake/sales",
      RoleArn: `arn:aws:iam::${SRC}:role/lf-access`,
    }),
    databaseRecord({
      Name: "sales",
      LocationUri: "s3://src-lake/sales",
      CreateTime: new Date(),
      CatalogId: SRC,
    }),
    databaseRecord({ Name: "scratch", LocationUri: "s3://src-lake/scratch" }),
    databaseRecord({
      Name: "defaults",
      CreateTableDefaultPermissions: [
        {
          Principal: { DataLakePrincipalIdentifier: `arn:aws:iam::${SRC}:role/analyst` },
          Permissions: ["SELECT", "ALTER"],
        },
        { Principal: { DataLakePrincipalIdentifier: "IAM_ALLOWED_PRINCIPALS" }, Permissions: ["ALL"] },
      ],
    }),
    databaseRecord({ Name: "shared_link", TargetDatabase: { CatalogId: SRC, DatabaseName: "sales" } }),
    tableRecord("sales", {
      Name: "orders",
      PartitionKeys: [{ Name: "dt", Type: "string" }],
      StorageDescriptor: {
        Location: "s3a://src-lake/sales/orders",
        AdditionalLocations: ["s3://src-lake/extra"],
        SerdeInfo: { Parameters: { path: "s3://src-lake/sales/orders" } },
      },
      UpdateTime: new Date(),
    }),
    tableRecord("sales", {
      Name: "ice",
      TableType: "EXTERNAL_TABLE",
      Parameters: { table_type: "ICEBERG", metadata_location: "s3://src-lake/ice/metadata/00001.json" },
    }),
    tableRecord("sales", { Name: "tmp_x", StorageDescriptor: { Location: "s3://src-lake/tmp" } }),
    tableRecord("scratch", { Name: "t", StorageDescriptor: { Location: "s3://src-lake/scratch/t" } }),
    partitionRecord("sales", "orders", {
      Values: ["2026-01-01"],
      StorageDescriptor: { Location: "s3://src-lake/sales/orders/dt=2026-01-01" },
    }),
    partitionRecord("sales", "tmp_x", {
      Values: ["1"],
      StorageDescriptor: { Location: "s3://src-lake/tmp/1" },
    }),
    lfTagRecord({ TagKey: "domain", TagValues: ["sales", "ops"] }),
    ...tagAssignmentRecords("sales", "orders", {
      LFTagsOnTable: [{ TagKey: "domain", TagValues: ["sales"] }],
    }),
    grant(
      `arn:aws:iam::${SRC}:role/analyst`,
      { Table: { DatabaseName: "sales", Name: "orders" } },
      ["SELECT"],
      ["SELECT"],
    ),
    grant(`arn:aws:iam::${SRC}:role/etl`, { DataLocation: { ResourceArn: "arn:aws:s3:::src-lake/sales" } }, [
      "DATA_LOCATION_ACCESS",
    ]),
    grant(`arn:aws:iam::${SRC}:role/etl`, { Database: { Name: "scratch" } }, ["ALL"]),
  ];
  return records.sort(compareRecords);
}

describe("mapSnapshotRecord", () => {
  it("maps every location field, catalog ids and principals, and drops excluded objects", async () => {
    const mapped = await collect(mapSnapshot(sourceSnapshot(), rules));
    const find = (kind: string, key: string) => mapped.find((r) => r.kind === kind && r.key === key)?.value;

    expect(find("database", "sales")).toEqual({ Name: "sales", LocationUri: "s3://dr-lake/sales" });
    expect(find("database", "defaults")).toEqual({
      Name: "defaults",
      CreateTableDefaultPermissions: [
        { Principal: { DataLakePrincipalIdentifier: "IAM_ALLOWED_PRINCIPALS" }, Permissions: ["ALL"] },
        {
          Principal: { DataLakePrincipalIdentifier: `arn:aws:iam::${TGT}:role/dr-analyst` },
          Permissions: ["ALTER", "SELECT"],
        },
      ],
    });
    expect(find("database", "shared_link")).toEqual({
      Name: "shared_link",
      TargetDatabase: { CatalogId: TGT, DatabaseName: "sales" },
    });
    expect(find("table", "sales/orders")).toMatchObject({
      TableInput: {
        StorageDescriptor: {
          Location: "s3a://dr-lake/sales/orders",
          AdditionalLocations: ["s3://dr-lake/extra"],
          SerdeInfo: { Parameters: { path: "s3://dr-lake/sales/orders" } },
        },
      },
    });
    expect(find("table", "sales/ice")).toMatchObject({
      TableInput: { Parameters: { metadata_location: "s3://dr-lake/ice/metadata/00001.json" } },
    });
    expect(find("partition", "sales/orders/2026-01-01")).toMatchObject({
      PartitionInput: { StorageDescriptor: { Location: "s3://dr-lake/sales/orders/dt=2026-01-01" } },
    });
    expect(find("registeredLocation", "arn:aws:s3:::dr-lake/sales")).toEqual({
      ResourceArn: "arn:aws:s3:::dr-lake/sales",
      RoleArn: `arn:aws:iam::${TGT}:role/lf-access`,
    });
    expect(find("dataLakeSettings", "settings")).toMatchObject({
      DataLakeAdmins: [{ DataLakePrincipalIdentifier: `arn:aws:iam::${TGT}:role/admin` }],
    });

    const permissions = mapped.filter((r) => r.kind === "permission").map((r) => r.value);
    expect(permissions).toEqual([
      {
        Principal: { DataLakePrincipalIdentifier: `arn:aws:iam::${TGT}:role/dr-analyst` },
        Resource: { Table: { DatabaseName: "sales", Name: "orders" } },
        Permissions: ["SELECT"],
        PermissionsWithGrantOption: ["SELECT"],
      },
      {
        Principal: { DataLakePrincipalIdentifier: `arn:aws:iam::${TGT}:role/etl` },
        Resource: { DataLocation: { ResourceArn: "arn:aws:s3:::dr-lake/sales" } },
        Permissions: ["DATA_LOCATION_ACCESS"],
        PermissionsWithGrantOption: [],
      },
    ]);
    // Excluded: the scratch database (its table, its grant) and sales.tmp_* (table and partitions).
    expect(
      mapped.some((r) => r.key.startsWith("scratch") || r.key.includes("tmp_x") || r.key.includes("scratch")),
    ).toBe(false);
    // Still canonical after re-keying.
    expect([...mapped].sort(compareRecords)).toEqual(mapped);
  });

  it("maps a cross-account resource catalog id that becomes the target's own to the own-catalog form", () => {
    const record = grant("123456789012", { Database: { CatalogId: "333333333333", Name: "x" } }, [
      "DESCRIBE",
    ]);
    const mapped = mapSnapshotRecord(record, { ...rules, accounts: { "333333333333": TGT } });
    expect(mapped?.value).toMatchObject({ Resource: { Database: { Name: "x" } } });
  });
});

async function diff(
  source: SnapshotRecord[],
  target: SnapshotRecord[],
  deleteSync: boolean,
): Promise<Difference[]> {
  return collect(diffSnapshots(mapSnapshot(source, rules), target, { deleteSync }));
}

describe("diffSnapshots", () => {
  it("finds nothing between a mapped source and its faithful copy, whatever the volatile fields", async () => {
    const copy = await collect(mapSnapshot(sourceSnapshot(), rules));
    const reread = copy.map((r) =>
      r.kind === "table"
        ? tableRecord(r.value.DatabaseName, {
            ...r.value.TableInput,
            UpdateTime: new Date(),
            VersionId: "9",
            CatalogId: TGT,
          })
        : r,
    );
    expect(await diff(sourceSnapshot(), reread, true)).toEqual([]);
  });

  it("creates what the target lacks, updates what differs, deletes target-only objects only with deleteSync", async () => {
    const target = (await collect(mapSnapshot(sourceSnapshot(), rules))).filter((r) => r.key !== "sales/ice");
    const orders = target.find((r) => r.kind === "table" && r.key === "sales/orders")!;
    const changedOrders = tableRecord("sales", {
      ...(orders.value as { TableInput: object }).TableInput,
      Description: "drifted",
    });
    const withDrift = target.map((r) => (r === orders ? changedOrders : r));
    withDrift.push(
      databaseRecord({ Name: "target_only" }),
      partitionRecord("sales", "orders", { Values: ["2025-12-31"] }),
    );
    withDrift.sort(compareRecords);

    const kept = await diff(sourceSnapshot(), withDrift, false);
    expect(kept.map((d) => [d.kind, d.key, d.change, d.kept])).toEqual([
      ["database", "target_only", "delete", true],
      ["table", "sales/ice", "create", false],
      ["table", "sales/orders", "update", false],
      ["partition", "sales/orders/2025-12-31", "delete", true],
    ]);
    const update = kept.find((d) => d.change === "update");
    expect(update?.target).toEqual(changedOrders.value);
    expect(update?.desired).toEqual(orders.value);

    const synced = await diff(sourceSnapshot(), withDrift, true);
    expect(synced.filter((d) => d.change === "delete").map((d) => d.kept)).toEqual([false, false]);
  });

  it("diffs permissions per principal+resource: grant options, extras revoked only with deleteSync", async () => {
    const principal = `arn:aws:iam::${TGT}:role/dr-analyst`;
    const table = { Table: { DatabaseName: "sales", Name: "orders" } };
    const source = [grant(principal, table, ["SELECT", "DESCRIBE"], ["SELECT"], TGT)];
    const target = [grant(principal, table, ["SELECT", "ALTER"], [], TGT)];
    const identity = { ...rules, sourceAccount: TGT, targetAccount: TGT, principals: {}, buckets: {} };
    const run = async (deleteSync: boolean) =>
      collect(diffSnapshots(mapSnapshot(source, identity), target, { deleteSync }));

    const [keep] = await run(false);
    expect(keep).toMatchObject({ kind: "permission", change: "update", kept: true });
    expect(keep?.desired).toMatchObject({
      Permissions: ["ALTER", "DESCRIBE", "SELECT"],
      PermissionsWithGrantOption: ["SELECT"],
    });

    const [sync] = await run(true);
    expect(sync).toMatchObject({ change: "update", kept: false });
    expect(sync?.desired).toMatchObject({
      Permissions: ["DESCRIBE", "SELECT"],
      PermissionsWithGrantOption: ["SELECT"],
    });

    // Only extras in the target and no deleteSync: reported as kept, nothing to write.
    const onlyExtras = await collect(
      diffSnapshots(target, [grant(principal, table, ["ALTER", "SELECT", "DROP"], [], TGT)], {
        deleteSync: false,
      }),
    );
    expect(onlyExtras).toMatchObject([{ change: "update", kept: true }]);
    expect(onlyExtras[0]?.desired).toEqual(onlyExtras[0]?.target);
  });

  it("keeps target-only LF tag values, assigned tags and admins unless deleteSync", async () => {
    const source = [
      dataLakeSettingsRecord({ DataLakeAdmins: [{ DataLakePrincipalIdentifier: "a" }] }),
      lfTagRecord({ TagKey: "domain", TagValues: ["sales"] }),
      ...tagAssignmentRecords("sales", undefined, {
        LFTagOnDatabase: [{ TagKey: "domain", TagValues: ["sales"] }],
      }),
    ];
    const target = [
      dataLakeSettingsRecord({ DataLakeAdmins: [{ DataLakePrincipalIdentifier: "b" }] }),
      lfTagRecord({ TagKey: "domain", TagValues: ["ops"] }),
      ...tagAssignmentRecords("sales", undefined, {
        LFTagOnDatabase: [
          { TagKey: "domain", TagValues: ["ops"] },
          { TagKey: "tier", TagValues: ["gold"] },
        ],
      }),
    ];
    const merged = await collect(diffSnapshots(source, target, { deleteSync: false }));
    expect(merged.map((d) => [d.kind, d.desired])).toEqual([
      [
        "dataLakeSettings",
        dataLakeSettingsRecord({
          DataLakeAdmins: [{ DataLakePrincipalIdentifier: "a" }, { DataLakePrincipalIdentifier: "b" }],
        }).value,
      ],
      ["lfTag", { TagKey: "domain", TagValues: ["ops", "sales"] }],
      [
        "tagAssignment",
        {
          Resource: { Database: { Name: "sales" } },
          LFTags: [
            { TagKey: "domain", TagValues: ["sales"] },
            { TagKey: "tier", TagValues: ["gold"] },
          ],
        },
      ],
    ]);
    const exact = await collect(diffSnapshots(source, target, { deleteSync: true }));
    expect(exact.map((d) => d.desired)).toEqual(source.map((r) => r.value));
  });

  it("compares only the kinds and objects in scope", async () => {
    const source = [
      databaseRecord({ Name: "a" }),
      tableRecord("a", { Name: "t" }),
      tableRecord("keep", { Name: "t" }),
    ];
    const target = [databaseRecord({ Name: "a", Description: "x" }), tableRecord("skip", { Name: "t" })];
    const differences = await collect(
      diffSnapshots(source, target, {
        deleteSync: true,
        scope: { kinds: ["table"], filters: { include: [], exclude: ["skip"] } },
      }),
    );
    expect(differences.map((d) => [d.key, d.change])).toEqual([
      ["a/t", "create"],
      ["keep/t", "create"],
    ]);
  });

  it("refuses streams that are not in canonical order", async () => {
    const unordered = [tableRecord("b", { Name: "t" }), tableRecord("a", { Name: "t" })];
    await expect(collect(diffSnapshots(unordered, [], { deleteSync: false }))).rejects.toThrow(
      /canonical order/,
    );
  });
});
