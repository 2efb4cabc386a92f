import { describe, expect, it } from "vitest";
import { compareKeys, compareRecords, recordKeys, type SnapshotRecord } from "../../modules/catalog/model.ts";
import {
  databaseRecord,
  dataLakeSettingsRecord,
  partitionRecord,
  permissionRecord,
  registeredLocationRecord,
  tableRecord,
  tagAssignmentRecords,
} from "../../modules/catalog/normalise.ts";

const when = new Date("2026-01-01T00:00:00Z");

describe("normalised records", () => {
  it("keep only DatabaseInput fields (CreateTime, CatalogId dropped)", () => {
    const record = databaseRecord({
      Name: "sales",
      Description: "d",
      LocationUri: "s3://src/sales",
      Parameters: {},
      CreateTime: when,
      CatalogId: "111111111111",
      CreateTableDefaultPermissions: [],
    });
    expect(record).toEqual({
      kind: "database",
      key: "sales",
      value: {
        Name: "sales",
        Description: "d",
        LocationUri: "s3://src/sales",
        CreateTableDefaultPermissions: [],
      },
    });
  });

  it("keep only TableInput fields for every table type and drop empty lists/maps", () => {
    const read = {
      Name: "orders",
      DatabaseName: "sales",
      CatalogId: "111111111111",
      CreateTime: when,
      UpdateTime: when,
      LastAccessTime: when,
      LastAnalyzedTime: when,
      VersionId: "7",
      CreatedBy: "arn:aws:iam::111111111111:user/x",
      IsRegisteredWithLakeFormation: false,
      IsMultiDialectView: false,
      IsMaterializedView: false,
      Status: { State: "SUCCESS" },
      FederatedTable: undefined,
      TableType: "EXTERNAL_TABLE",
      Retention: 0,
      PartitionKeys: [{ Name: "dt", Type: "string" }],
      StorageDescriptor: {
        Columns: [{ Name: "id", Type: "int" }],
        Location: "s3://src/orders",
        SortColumns: [],
        Parameters: {},
      },
      Parameters: { classification: "parquet" },
      ViewDefinition: {
        IsProtected: true,
        Definer: "arn:aws:iam::111111111111:role/d",
        Representations: [{ Dialect: "ATHENA", ViewOriginalText: "select 1", IsStale: false }],
      },
    };
    expect(tableRecord("sales", read)).toEqual({
      kind: "table",
      key: "sales/orders",
      value: {
        DatabaseName: "sales",
        TableInput: {
          Name: "orders",
          TableType: "EXTERNAL_TABLE",
          Retention: 0,
          PartitionKeys: [{ Name: "dt", Type: "string" }],
          StorageDescriptor: { Columns: [{ Name: "id", Type: "int" }], Location: "s3://src/orders" },
          Parameters: { classification: "parquet" },
          ViewDefinition: {
            IsProtected: true,
            Definer: "arn:aws:iam::111111111111:role/d",
            Representations: [{ Dialect: "ATHENA", ViewOriginalText: "select 1" }],
          },
        },
      },
    });
    const link = tableRecord("sales", {
      Name: "link",
      TargetTable: { CatalogId: "2", DatabaseName: "d", Name: "t" },
    });
    expect(link.value.TableInput).toEqual({
      Name: "link",
      TargetTable: { CatalogId: "2", DatabaseName: "d", Name: "t" },
    });
  });

  it("keep PartitionInput fields only", () => {
    const record = partitionRecord("sales", "orders", {
      Values: ["2026-01-01"],
      DatabaseName: "sales",
      TableName: "orders",
      CatalogId: "1",
      CreationTime: when,
      LastAccessTime: when,
      LastAnalyzedTime: when,
      StorageDescriptor: { Location: "s3://src/orders/dt=2026-01-01" },
    });
    expect(record).toEqual({
      kind: "partition",
      key: recordKeys.partition("sales", "orders", ["2026-01-01"]),
      value: {
        DatabaseName: "sales",
        TableName: "orders",
        PartitionInput: {
          Values: ["2026-01-01"],
          StorageDescriptor: { Location: "s3://src/orders/dt=2026-01-01" },
        },
      },
    });
  });

  it("normalise permissions: sorted lists, grant options imply permissions, own catalog id and metadata dropped", () => {
    const record = permissionRecord(
      {
        Principal: { DataLakePrincipalIdentifier: "arn:aws:iam::111111111111:role/analyst" },
        Resource: {
          TableWithColumns: {
            CatalogId: "111111111111",
            DatabaseName: "sales",
            Name: "orders",
            ColumnWildcard: { ExcludedColumnNames: ["ssn", "email"] },
          },
        },
        Permissions: ["SELECT"],
        PermissionsWithGrantOption: ["DESCRIBE", "SELECT"],
        LastUpdated: when,
        LastUpdatedBy: "x",
        AdditionalDetails: {},
      },
      "111111111111",
    );
    expect(record.value).toEqual({
      Principal: { DataLakePrincipalIdentifier: "arn:aws:iam::111111111111:role/analyst" },
      Resource: {
        TableWithColumns: {
          DatabaseName: "sales",
          Name: "orders",
          ColumnWildcard: { ExcludedColumnNames: ["email", "ssn"] },
        },
      },
      Permissions: ["DESCRIBE", "SELECT"],
      PermissionsWithGrantOption: ["DESCRIBE", "SELECT"],
    });
    // The key is the same whatever order the source listed things in.
    const again = permissionRecord(
      {
        Principal: record.value.Principal,
        Resource: {
          TableWithColumns: {
            Name: "orders",
            ColumnWildcard: { ExcludedColumnNames: ["email", "ssn"] },
            DatabaseName: "sales",
          },
        },
        Permissions: ["SELECT", "DESCRIBE"],
        PermissionsWithGrantOption: ["SELECT", "DESCRIBE"],
      },
      "111111111111",
    );
    expect(again).toEqual(record);
  });

  it("sort settings admins and map service-linked role registrations to UseServiceLinkedRole", () => {
    const settings = dataLakeSettingsRecord({
      DataLakeAdmins: [{ DataLakePrincipalIdentifier: "b" }, { DataLakePrincipalIdentifier: "a" }],
      CreateDatabaseDefaultPermissions: [],
      TrustedResourceOwners: ["2", "1"],
    });
    expect(settings.value).toEqual({
      DataLakeAdmins: [{ DataLakePrincipalIdentifier: "a" }, { DataLakePrincipalIdentifier: "b" }],
      CreateDatabaseDefaultPermissions: [],
      TrustedResourceOwners: ["1", "2"],
      // Complete form: what PutDataLakeSettings would leave empty/off is explicit.
      ReadOnlyAdmins: [],
      CreateTableDefaultPermissions: [],
      ExternalDataFilteringAllowList: [],
      AuthorizedSessionTagValueList: [],
      AllowExternalDataFiltering: false,
      AllowFullTableExternalDataAccess: false,
    });
    const slr = registeredLocationRecord({
      ResourceArn: "arn:aws:s3:::src/data",
      RoleArn:
        "arn:aws:iam::111111111111:role/aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess",
      LastModified: when,
    });
    expect(slr.value).toEqual({ ResourceArn: "arn:aws:s3:::src/data", UseServiceLinkedRole: true });
  });

  it("split GetResourceLFTags answers into table and column assignments in key order", () => {
    const records = tagAssignmentRecords("sales", "orders", {
      LFTagsOnTable: [{ TagKey: "domain", TagValues: ["sales"], CatalogId: "1" }],
      LFTagsOnColumns: [
        { Name: "ssn", LFTags: [{ TagKey: "pii", TagValues: ["yes"] }] },
        { Name: "email", LFTags: [{ TagKey: "pii", TagValues: ["yes"] }] },
        { Name: "id", LFTags: [] },
      ],
    });
    expect(records.map((r) => r.key)).toEqual(["sales/orders", "sales/orders/email", "sales/orders/ssn"]);
    expect(records[1]?.value).toEqual({
      Resource: { TableWithColumns: { DatabaseName: "sales", Name: "orders", ColumnNames: ["email"] } },
      LFTags: [{ TagKey: "pii", TagValues: ["yes"] }],
    });
  });
});

describe("canonical order", () => {
  it("orders kinds by dependency and keys as name tuples", () => {
    // "/" ranks below every character: all of database "a" comes before "a-b" and "a0".
    const keys = [
      recordKeys.table("a-b", "t"),
      recordKeys.table("a", "z"),
      recordKeys.database("a"),
      recordKeys.table("a0", "t"),
    ];
    expect([...keys].sort(compareKeys)).toEqual(["a", "a/z", "a-b/t", "a0/t"]);
    expect(recordKeys.table("we/ird", "t")).toBe("we%2Fird/t");

    const records = [
      { kind: "permission", key: "p" },
      { kind: "partition", key: "a/t/1" },
      { kind: "database", key: "z" },
      { kind: "table", key: "a/t" },
      { kind: "dataLakeSettings", key: "settings" },
    ] as SnapshotRecord[];
    expect([...records].sort(compareRecords).map((r) => r.kind)).toEqual([
      "dataLakeSettings",
      "database",
      "table",
      "partition",
      "permission",
    ]);
  });
});
