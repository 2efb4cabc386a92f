import { describe, expect, it } from "vitest";
import { mapDatabaseInput, mapPartitionInput, mapTableInput } from "../../modules/mapping/catalog-inputs.ts";
import {
  isIncluded,
  type MappingRules,
  mapAccount,
  mapArn,
  mapPrincipal,
  mapS3Arn,
  mapS3Uri,
} from "../../modules/mapping/mapping.ts";

const rules: MappingRules = {
  sourceAccount: "111111111111",
  sourceRegion: "us-east-1",
  targetAccount: "222222222222",
  targetRegion: "us-west-2",
  buckets: { "lake-east": "lake-west", "raw.east": "raw.west" },
  accounts: { "333333333333": "444444444444" },
  principals: { "arn:aws:iam::111111111111:role/Analyst": "arn:aws:iam::222222222222:role/DrAnalyst" },
  filters: { include: [], exclude: [] },
  protectedAdmins: [],
};

describe("S3 remapping changes the bucket only", () => {
  it.each([
    ["s3://lake-east/sales/orders/", "s3://lake-west/sales/orders/"],
    ["s3://lake-east", "s3://lake-west"],
    ["s3a://lake-east/x/lake-east/y", "s3a://lake-west/x/lake-east/y"],
    ["s3://raw.east/a.csv", "s3://raw.west/a.csv"],
    ["s3://lake-east-2/sales/", "s3://lake-east-2/sales/"],
    ["s3://other/lake-east/", "s3://other/lake-east/"],
    ["hdfs://lake-east/x", "hdfs://lake-east/x"],
  ])("%s -> %s", (from, to) => expect(mapS3Uri(from, rules)).toBe(to));

  it("maps S3 ARNs used by RegisterResource and DataLocation", () => {
    expect(mapS3Arn("arn:aws:s3:::lake-east/sales", rules)).toBe("arn:aws:s3:::lake-west/sales");
    expect(mapS3Arn("arn:aws:s3:::unmapped/sales", rules)).toBe("arn:aws:s3:::unmapped/sales");
  });
});

describe("accounts, ARNs and principals", () => {
  it("maps the source account implicitly and others explicitly", () => {
    expect(mapAccount("111111111111", rules)).toBe("222222222222");
    expect(mapAccount("333333333333", rules)).toBe("444444444444");
    expect(mapAccount("555555555555", rules)).toBe("555555555555");
  });

  it("maps account and source region inside ARNs", () => {
    expect(mapArn("arn:aws:glue:us-east-1:111111111111:table/db/t", rules)).toBe(
      "arn:aws:glue:us-west-2:222222222222:table/db/t",
    );
    expect(mapArn("arn:aws:iam::111111111111:role/Etl", rules)).toBe("arn:aws:iam::222222222222:role/Etl");
    expect(mapArn("arn:aws:glue:eu-west-1:333333333333:database/x", rules)).toBe(
      "arn:aws:glue:eu-west-1:444444444444:database/x",
    );
  });

  it("prefers an exact principal mapping, then the account mapping", () => {
    expect(mapPrincipal("arn:aws:iam::111111111111:role/Analyst", rules)).toBe(
      "arn:aws:iam::222222222222:role/DrAnalyst",
    );
    expect(mapPrincipal("arn:aws:iam::111111111111:role/Other", rules)).toBe(
      "arn:aws:iam::222222222222:role/Other",
    );
    expect(mapPrincipal("111111111111", rules)).toBe("222222222222");
    expect(mapPrincipal("IAM_ALLOWED_PRINCIPALS", rules)).toBe("IAM_ALLOWED_PRINCIPALS");
  });
});

describe("include/exclude filters", () => {
  const withFilters = (include: string[], exclude: string[]): MappingRules => ({
    ...rules,
    filters: { include, exclude },
  });

  it("includes everything without patterns", () => {
    expect(isIncluded(rules, "any")).toBe(true);
    expect(isIncluded(rules, "any", "table")).toBe(true);
  });

  it("matches database and database.table globs", () => {
    const f = withFilters(["sales_*", "hr.employees"], []);
    expect(isIncluded(f, "sales_eu")).toBe(true);
    expect(isIncluded(f, "sales_eu", "orders")).toBe(true);
    expect(isIncluded(f, "hr")).toBe(true);
    expect(isIncluded(f, "hr", "employees")).toBe(true);
    expect(isIncluded(f, "hr", "salaries")).toBe(false);
    expect(isIncluded(f, "marketing")).toBe(false);
  });

  it("lets exclude win, and keeps a database whose single table is excluded", () => {
    const f = withFilters(["*"], ["tmp_*", "sales.staging_*"]);
    expect(isIncluded(f, "tmp_scratch")).toBe(false);
    expect(isIncluded(f, "sales")).toBe(true);
    expect(isIncluded(f, "sales", "staging_orders")).toBe(false);
    expect(isIncluded(f, "sales", "orders")).toBe(true);
  });
});

describe("Glue inputs: every location field, nothing else", () => {
  it("maps database LocationUri and resource link catalog id", () => {
    expect(
      mapDatabaseInput(
        {
          Name: "db",
          LocationUri: "s3://lake-east/db/",
          Parameters: { owner: "s3://lake-east/not-a-location-field" },
          TargetDatabase: { CatalogId: "111111111111", DatabaseName: "shared" },
        },
        rules,
      ),
    ).toEqual({
      Name: "db",
      LocationUri: "s3://lake-west/db/",
      Parameters: { owner: "s3://lake-east/not-a-location-field" },
      TargetDatabase: { CatalogId: "222222222222", DatabaseName: "shared" },
    });
  });

  it("maps table Location, AdditionalLocations, SerDe path and Iceberg metadata pointers", () => {
    const input = {
      Name: "events",
      TableType: "EXTERNAL_TABLE",
      Parameters: {
        metadata_location: "s3://lake-east/ice/metadata/00001.json",
        previous_metadata_location: "s3://lake-east/ice/metadata/00000.json",
        EXTERNAL: "TRUE",
        comment: "s3://lake-east/kept",
      },
      StorageDescriptor: {
        Location: "s3://lake-east/events/",
        AdditionalLocations: ["s3://raw.east/events/", "s3://elsewhere/x/"],
        Columns: [{ Name: "Location", Type: "string" }],
        SerdeInfo: {
          SerializationLibrary: "x",
          Parameters: { path: "s3://lake-east/events/", "field.delim": "," },
        },
      },
    };
    expect(mapTableInput(input, rules)).toEqual({
      ...input,
      Parameters: {
        ...input.Parameters,
        metadata_location: "s3://lake-west/ice/metadata/00001.json",
        previous_metadata_location: "s3://lake-west/ice/metadata/00000.json",
      },
      StorageDescriptor: {
        ...input.StorageDescriptor,
        Location: "s3://lake-west/events/",
        AdditionalLocations: ["s3://raw.west/events/", "s3://elsewhere/x/"],
        SerdeInfo: {
          SerializationLibrary: "x",
          Parameters: { path: "s3://lake-west/events/", "field.delim": "," },
        },
      },
    });
    expect(input.StorageDescriptor.Location).toBe("s3://lake-east/events/"); // input not mutated
  });

  it("points resource links at the mapped catalog and the target region", () => {
    expect(
      mapTableInput(
        {
          Name: "link",
          TargetTable: { CatalogId: "111111111111", DatabaseName: "db", Name: "t", Region: "us-east-1" },
        },
        rules,
      ),
    ).toEqual({
      Name: "link",
      TargetTable: { CatalogId: "222222222222", DatabaseName: "db", Name: "t", Region: "us-west-2" },
    });
    expect(
      mapDatabaseInput(
        { Name: "l", TargetDatabase: { CatalogId: "999999999999", DatabaseName: "x", Region: "eu-west-1" } },
        rules,
      ),
    ).toEqual({
      Name: "l",
      TargetDatabase: { CatalogId: "999999999999", DatabaseName: "x", Region: "eu-west-1" },
    });
  });

  it("maps partition locations", () => {
    expect(
      mapPartitionInput(
        { Values: ["2024"], StorageDescriptor: { Location: "s3://lake-east/t/y=2024/" } },
        rules,
      ),
    ).toEqual({ Values: ["2024"], StorageDescriptor: { Location: "s3://lake-west/t/y=2024/" } });
  });
});
