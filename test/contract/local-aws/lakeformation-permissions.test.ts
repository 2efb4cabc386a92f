// Contract: Lake Formation grants on local AWS behave as on AWS (fixes in scripts/localaws/fixes/lakeformation.py).
import {
  BatchGrantPermissionsCommand,
  BatchRevokePermissionsCommand,
  type DataLakePrincipal,
  GrantPermissionsCommand,
  ListPermissionsCommand,
  type PrincipalResourcePermissions,
  paginateListPermissions,
  type Resource,
  RevokePermissionsCommand,
} from "@aws-sdk/client-lakeformation";
import { describe, expect, it } from "vitest";
import { client, testLocation } from "../../support/local-aws.ts";

const location = testLocation();
const lakeformation = client("lakeformation", location);
const principal = (name: string): DataLakePrincipal => ({
  DataLakePrincipalIdentifier: `arn:aws:iam::${location.account}:role/${name}`,
});
const table = (database: string, name: string): Resource => ({
  Table: { DatabaseName: database, Name: name },
});

async function grantsOn(
  resource: Resource,
  who?: DataLakePrincipal,
): Promise<PrincipalResourcePermissions[]> {
  const listed: PrincipalResourcePermissions[] = [];
  for await (const page of paginateListPermissions(
    { client: lakeformation },
    { Resource: resource, Principal: who },
  )) {
    listed.push(...(page.PrincipalResourcePermissions ?? []));
  }
  return listed;
}

describe("Lake Formation permissions", () => {
  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_BatchGrantPermissions.html
  it("BatchGrantPermissions keeps PermissionsWithGrantOption and BatchRevokePermissions removes it", async () => {
    const who = principal("batch");
    const resource = table("sales", "orders");
    const granted = await lakeformation.send(
      new BatchGrantPermissionsCommand({
        Entries: [
          {
            Id: "1",
            Principal: who,
            Resource: resource,
            Permissions: ["SELECT"],
            PermissionsWithGrantOption: ["SELECT"],
          },
        ],
      }),
    );
    expect(granted.Failures).toEqual([]);
    expect(await grantsOn(resource, who)).toMatchObject([
      { Permissions: ["SELECT"], PermissionsWithGrantOption: ["SELECT"] },
    ]);

    const revoked = await lakeformation.send(
      new BatchRevokePermissionsCommand({
        Entries: [
          {
            Id: "1",
            Principal: who,
            Resource: resource,
            Permissions: [],
            PermissionsWithGrantOption: ["SELECT"],
          },
        ],
      }),
    );
    expect(revoked.Failures).toEqual([]);
    expect(await grantsOn(resource, who)).toMatchObject([
      { Permissions: ["SELECT"], PermissionsWithGrantOption: [] },
    ]);
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_BatchRevokePermissions.html
  it("BatchRevokePermissions reports an entry the principal never held as a failure with its entry id", async () => {
    const revoked = await lakeformation.send(
      new BatchRevokePermissionsCommand({
        Entries: [
          {
            Id: "never",
            Principal: principal("nobody"),
            Resource: table("sales", "x"),
            Permissions: ["DROP"],
          },
        ],
      }),
    );
    expect(revoked.Failures).toMatchObject([
      { RequestEntry: { Id: "never" }, Error: { ErrorCode: "InvalidInputException" } },
    ]);
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GrantPermissions.html
  it("GrantPermissions adds to the existing entry of the same principal and resource, with or without CatalogId", async () => {
    const who = principal("merge");
    const resource = table("sales", "merged");
    await lakeformation.send(
      new GrantPermissionsCommand({ Principal: who, Resource: resource, Permissions: ["SELECT"] }),
    );
    await lakeformation.send(
      new GrantPermissionsCommand({
        Principal: who,
        Resource: { Table: { CatalogId: location.account, DatabaseName: "sales", Name: "merged" } },
        Permissions: ["ALTER", "SELECT"],
        PermissionsWithGrantOption: ["ALTER"],
      }),
    );
    const listed = await grantsOn(resource, who);
    expect(listed).toHaveLength(1);
    expect(listed[0]?.Permissions?.slice().sort()).toEqual(["ALTER", "SELECT"]);
    expect(listed[0]?.PermissionsWithGrantOption).toEqual(["ALTER"]);
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_RevokePermissions.html
  it("RevokePermissions of a permission also revokes its grant option and drops an emptied entry", async () => {
    const who = principal("revoke");
    const resource = table("sales", "revoked");
    await lakeformation.send(
      new GrantPermissionsCommand({
        Principal: who,
        Resource: resource,
        Permissions: ["SELECT", "DESCRIBE"],
        PermissionsWithGrantOption: ["SELECT"],
      }),
    );
    await lakeformation.send(
      new RevokePermissionsCommand({ Principal: who, Resource: resource, Permissions: ["SELECT"] }),
    );
    expect(await grantsOn(resource, who)).toMatchObject([
      { Permissions: ["DESCRIBE"], PermissionsWithGrantOption: [] },
    ]);

    await lakeformation.send(
      new RevokePermissionsCommand({ Principal: who, Resource: resource, Permissions: ["DESCRIBE"] }),
    );
    expect(await grantsOn(resource, who)).toEqual([]);
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_RevokePermissions.html
  it("RevokePermissions of a permission never granted fails with InvalidInputException 'No permissions revoked'", async () => {
    const who = principal("unheld");
    const resource = table("sales", "unheld");
    await expect(
      lakeformation.send(
        new RevokePermissionsCommand({ Principal: who, Resource: resource, Permissions: ["SELECT"] }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidInputException",
      message: expect.stringContaining("No permissions revoked"),
    });

    await lakeformation.send(
      new GrantPermissionsCommand({ Principal: who, Resource: resource, Permissions: ["SELECT"] }),
    );
    await expect(
      lakeformation.send(
        new RevokePermissionsCommand({ Principal: who, Resource: resource, Permissions: ["DROP"] }),
      ),
    ).rejects.toMatchObject({ name: "InvalidInputException" });
    expect(await grantsOn(resource, who)).toMatchObject([{ Permissions: ["SELECT"] }]);
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListPermissions.html
  it("ListPermissions on a table returns the table's grants and its table-with-columns grants", async () => {
    const who = principal("columns");
    await lakeformation.send(
      new GrantPermissionsCommand({
        Principal: who,
        Resource: table("hr", "people"),
        Permissions: ["DESCRIBE"],
      }),
    );
    await lakeformation.send(
      new GrantPermissionsCommand({
        Principal: who,
        Resource: { TableWithColumns: { DatabaseName: "hr", Name: "people", ColumnNames: ["name"] } },
        Permissions: ["SELECT"],
      }),
    );
    await lakeformation.send(
      new GrantPermissionsCommand({
        Principal: who,
        Resource: table("hr", "other"),
        Permissions: ["DESCRIBE"],
      }),
    );

    const listed = await grantsOn(table("hr", "people"));
    expect(listed.map((p) => Object.keys(p.Resource ?? {})[0]).sort()).toEqual(["Table", "TableWithColumns"]);
    await expect(
      lakeformation.send(
        new ListPermissionsCommand({
          Resource: { TableWithColumns: { DatabaseName: "hr", Name: "people", ColumnNames: ["name"] } },
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidInputException" });
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListPermissions.html
  it("ListPermissions filters by every resource type, including LF-tag and LF-tag policy grants, without errors", async () => {
    const where = testLocation();
    const lf = client("lakeformation", where);
    const who = { DataLakePrincipalIdentifier: `arn:aws:iam::${where.account}:role/types` };
    const grants: Resource[] = [
      { Catalog: {} },
      { Database: { Name: "typed" } },
      { Table: { DatabaseName: "typed", TableWildcard: {} } },
      { DataLocation: { ResourceArn: "arn:aws:s3:::typed-bucket/prefix" } },
      { LFTag: { TagKey: "domain", TagValues: ["sales"] } },
      { LFTagPolicy: { ResourceType: "DATABASE", Expression: [{ TagKey: "domain", TagValues: ["sales"] }] } },
      { LFTagPolicy: { ResourceType: "TABLE", Expression: [{ TagKey: "domain", TagValues: ["sales"] }] } },
      { DataCellsFilter: { DatabaseName: "typed", TableName: "t", Name: "f" } },
    ];
    for (const resource of grants) {
      await lf.send(
        new GrantPermissionsCommand({ Principal: who, Resource: resource, Permissions: ["DESCRIBE"] }),
      );
    }
    const count = async (type: string) =>
      (
        (await lf.send(new ListPermissionsCommand({ ResourceType: type as never })))
          .PrincipalResourcePermissions ?? []
      ).length;
    expect({
      CATALOG: await count("CATALOG"),
      DATABASE: await count("DATABASE"),
      TABLE: await count("TABLE"),
      DATA_LOCATION: await count("DATA_LOCATION"),
      LF_TAG: await count("LF_TAG"),
      LF_TAG_POLICY: await count("LF_TAG_POLICY"),
      LF_TAG_POLICY_DATABASE: await count("LF_TAG_POLICY_DATABASE"),
      LF_TAG_POLICY_TABLE: await count("LF_TAG_POLICY_TABLE"),
      DATA_CELLS_FILTER: await count("DATA_CELLS_FILTER"),
    }).toEqual({
      CATALOG: 1,
      DATABASE: 1,
      TABLE: 1,
      DATA_LOCATION: 1,
      LF_TAG: 1,
      LF_TAG_POLICY: 2,
      LF_TAG_POLICY_DATABASE: 1,
      LF_TAG_POLICY_TABLE: 1,
      DATA_CELLS_FILTER: 1,
    });

    const byTag = await lf.send(
      new ListPermissionsCommand({
        Principal: who,
        Resource: { LFTag: { TagKey: "domain", TagValues: ["sales"] } },
      }),
    );
    expect(byTag.PrincipalResourcePermissions).toMatchObject([{ Resource: { LFTag: { TagKey: "domain" } } }]);
    const byPolicy = await lf.send(
      new ListPermissionsCommand({
        Resource: {
          LFTagPolicy: { ResourceType: "TABLE", Expression: [{ TagKey: "domain", TagValues: ["sales"] }] },
        },
      }),
    );
    expect(byPolicy.PrincipalResourcePermissions).toMatchObject([
      { Resource: { LFTagPolicy: { ResourceType: "TABLE" } } },
    ]);
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListPermissions.html
  it("ListPermissions pages with MaxResults and NextToken, every grant exactly once", async () => {
    const where = testLocation();
    const lf = client("lakeformation", where);
    for (let i = 0; i < 7; i++) {
      await lf.send(
        new GrantPermissionsCommand({
          Principal: { DataLakePrincipalIdentifier: `arn:aws:iam::${where.account}:role/pager${i}` },
          Resource: { Database: { Name: "paged" } },
          Permissions: ["DESCRIBE"],
        }),
      );
    }
    const first = await lf.send(new ListPermissionsCommand({ MaxResults: 3 }));
    expect(first.PrincipalResourcePermissions).toHaveLength(3);
    expect(first.NextToken).toBeTruthy();

    const seen: string[] = [];
    const pageSizes: number[] = [];
    for await (const page of paginateListPermissions({ client: lf, pageSize: 3 }, {})) {
      pageSizes.push(page.PrincipalResourcePermissions?.length ?? 0);
      seen.push(
        ...(page.PrincipalResourcePermissions ?? []).map(
          (p) => p.Principal?.DataLakePrincipalIdentifier ?? "",
        ),
      );
    }
    expect(pageSizes).toEqual([3, 3, 1]);
    expect(new Set(seen).size).toBe(7);
  });
});
