import { describe, expect, it } from "vitest";
import {
  excludedResource,
  mapLfResource,
  mapRegisteredLocation,
  resourceScope,
} from "../../modules/mapping/lf-resource.ts";
import { identityRules, mapCatalogId } from "../../modules/mapping/mapping.ts";
import { DST, rules, SRC } from "./rules.ts";

describe("catalog ids", () => {
  it("map the account, alone or in front of a nested catalog's name", () => {
    expect(mapCatalogId(SRC, rules)).toBe(DST);
    expect(mapCatalogId(`${SRC}:s3tablescatalog/analytics`, rules)).toBe(`${DST}:s3tablescatalog/analytics`);
    expect(mapCatalogId("333333333333", rules)).toBe("444444444444");
    expect(mapCatalogId("555555555555:other", rules)).toBe("555555555555:other");
  });
});

describe("mapLfResource: every Lake Formation resource shape", () => {
  it.each([
    ["Catalog", { Catalog: { Id: SRC } }, { Catalog: { Id: DST } }],
    ["Catalog (the caller's)", { Catalog: {} }, { Catalog: {} }],
    [
      "Database",
      { Database: { CatalogId: SRC, Name: "sales" } },
      { Database: { CatalogId: DST, Name: "sales" } },
    ],
    [
      "Table",
      { Table: { CatalogId: SRC, DatabaseName: "sales", Name: "orders" } },
      { Table: { CatalogId: DST, DatabaseName: "sales", Name: "orders" } },
    ],
    [
      "Table (wildcard)",
      { Table: { CatalogId: "333333333333", DatabaseName: "sales", TableWildcard: {} } },
      { Table: { CatalogId: "444444444444", DatabaseName: "sales", TableWildcard: {} } },
    ],
    [
      "TableWithColumns",
      { TableWithColumns: { CatalogId: SRC, DatabaseName: "sales", Name: "orders", ColumnNames: ["id"] } },
      { TableWithColumns: { CatalogId: DST, DatabaseName: "sales", Name: "orders", ColumnNames: ["id"] } },
    ],
    [
      // An S3 ARN: the bucket maps, there is no account or region in it to map.
      "DataLocation",
      { DataLocation: { CatalogId: SRC, ResourceArn: "arn:aws:s3:::lake-east/sales/orders" } },
      { DataLocation: { CatalogId: DST, ResourceArn: "arn:aws:s3:::lake-west/sales/orders" } },
    ],
    [
      "DataCellsFilter",
      { DataCellsFilter: { TableCatalogId: SRC, DatabaseName: "sales", TableName: "orders", Name: "eu" } },
      { DataCellsFilter: { TableCatalogId: DST, DatabaseName: "sales", TableName: "orders", Name: "eu" } },
    ],
    [
      "LFTag",
      { LFTag: { CatalogId: SRC, TagKey: "domain", TagValues: ["hr"] } },
      { LFTag: { CatalogId: DST, TagKey: "domain", TagValues: ["hr"] } },
    ],
    [
      "LFTagPolicy",
      {
        LFTagPolicy: {
          CatalogId: SRC,
          ResourceType: "TABLE",
          Expression: [{ TagKey: "domain", TagValues: ["hr"] }],
        },
      },
      {
        LFTagPolicy: {
          CatalogId: DST,
          ResourceType: "TABLE",
          Expression: [{ TagKey: "domain", TagValues: ["hr"] }],
        },
      },
    ],
    [
      "LFTagExpression",
      { LFTagExpression: { CatalogId: SRC, Name: "hr-only" } },
      { LFTagExpression: { CatalogId: DST, Name: "hr-only" } },
    ],
  ])("%s", (_shape, resource, expected) => {
    expect(mapLfResource(resource, rules)).toEqual(expected);
  });

  it("leaves names alone: a Name that looks like an account id is not a catalog id", () => {
    expect(mapLfResource({ Database: { Name: SRC } }, rules)).toEqual({ Database: { Name: SRC } });
    expect(mapLfResource({ LFTagExpression: { Name: SRC } }, rules)).toEqual({
      LFTagExpression: { Name: SRC },
    });
  });

  it("does not change its input", () => {
    const resource = { Database: { CatalogId: SRC, Name: "sales" } };
    mapLfResource(resource, rules);
    expect(resource.Database.CatalogId).toBe(SRC);
  });
});

describe("registered locations", () => {
  it("map the bucket of the S3 ARN and the role like a principal (explicit mapping first)", () => {
    expect(
      mapRegisteredLocation(
        {
          ResourceArn: "arn:aws:s3:::lake-east/hr/",
          RoleArn: `arn:aws:iam::${SRC}:role/Analyst`,
          HybridAccessEnabled: true,
        },
        rules,
      ),
    ).toEqual({
      ResourceArn: "arn:aws:s3:::lake-west/hr/",
      RoleArn: `arn:aws:iam::${DST}:role/DrAnalyst`,
      HybridAccessEnabled: true,
    });
    expect(
      mapRegisteredLocation(
        { ResourceArn: "arn:aws:s3:::other/x", RoleArn: `arn:aws:iam::${SRC}:role/lf` },
        rules,
      ),
    ).toEqual({
      ResourceArn: "arn:aws:s3:::other/x",
      RoleArn: `arn:aws:iam::${DST}:role/lf`,
    });
  });
});

describe("resource scope and filters", () => {
  it("names the database and table of each scoped shape", () => {
    expect(resourceScope({ Database: { Name: "sales" } })).toEqual({ database: "sales" });
    expect(resourceScope({ Table: { DatabaseName: "sales", Name: "orders" } })).toEqual({
      database: "sales",
      table: "orders",
    });
    expect(resourceScope({ Table: { DatabaseName: "sales", TableWildcard: {} } })).toEqual({
      database: "sales",
    });
    expect(resourceScope({ TableWithColumns: { DatabaseName: "sales", Name: "orders" } })).toEqual({
      database: "sales",
      table: "orders",
    });
    // A data cells filter's Name is the filter; its table is TableName.
    expect(
      resourceScope({ DataCellsFilter: { DatabaseName: "sales", TableName: "orders", Name: "eu" } }),
    ).toEqual({ database: "sales", table: "orders" });
    expect(resourceScope({ Catalog: {} })).toBeUndefined();
    expect(resourceScope({ DataLocation: { ResourceArn: "arn:aws:s3:::x" } })).toBeUndefined();
    expect(resourceScope({ LFTag: { TagKey: "k", TagValues: ["v"] } })).toBeUndefined();
  });

  it("says why an excluded resource is not replicated", () => {
    expect(excludedResource({ Database: { Name: "scratch" } }, rules)).toBe(
      "database scratch is excluded by the filters",
    );
    expect(excludedResource({ Table: { DatabaseName: "sales", Name: "tmp_x" } }, rules)).toBe(
      "table sales.tmp_x is excluded by the filters",
    );
    expect(
      excludedResource(
        { DataCellsFilter: { DatabaseName: "sales", TableName: "tmp_x", Name: "orders" } },
        rules,
      ),
    ).toBe("table sales.tmp_x is excluded by the filters");
    expect(excludedResource({ Table: { DatabaseName: "sales", Name: "orders" } }, rules)).toBeUndefined();
    expect(excludedResource({ Catalog: {} }, rules)).toBeUndefined();
    expect(
      excludedResource({ Database: { Name: "scratch" } }, identityRules(SRC, "us-east-1")),
    ).toBeUndefined();
  });
});
