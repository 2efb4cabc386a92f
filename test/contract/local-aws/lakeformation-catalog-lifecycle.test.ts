// Contract: creating and deleting Glue databases and tables changes Lake Formation state as on AWS
// (fix_default_permissions_on_create and fix_delete_removes_permissions in scripts/localaws/fixes/lakeformation.py).
import {
  BatchDeleteTableCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  type DatabaseInput,
  DeleteDatabaseCommand,
  DeleteTableCommand,
  type PrincipalPermissions,
} from "@aws-sdk/client-glue";
import {
  AddLFTagsToResourceCommand,
  CreateLFTagCommand,
  type DataLakeSettings,
  GetResourceLFTagsCommand,
  GrantPermissionsCommand,
  type Permission,
  PutDataLakeSettingsCommand,
  paginateListPermissions,
  type Resource,
} from "@aws-sdk/client-lakeformation";
import { describe, expect, it } from "vitest";
import { client, type TestLocation, testLocation } from "../../support/local-aws.ts";

const IAM_ALLOWED: PrincipalPermissions = {
  Principal: { DataLakePrincipalIdentifier: "IAM_ALLOWED_PRINCIPALS" },
  Permissions: ["ALL"],
};

/** One fresh account per test: data lake settings are per account. */
function catalog(location: TestLocation = testLocation()) {
  const glue = client("glue", location);
  const lakeformation = client("lakeformation", location);
  const analyst = { DataLakePrincipalIdentifier: `arn:aws:iam::${location.account}:role/analyst` };
  return {
    glue,
    lakeformation,
    analyst,
    settings: (settings: DataLakeSettings) =>
      lakeformation.send(new PutDataLakeSettingsCommand({ DataLakeSettings: settings })),
    database: (input: DatabaseInput) => glue.send(new CreateDatabaseCommand({ DatabaseInput: input })),
    table: (database: string, name: string) =>
      glue.send(
        new CreateTableCommand({
          DatabaseName: database,
          TableInput: { Name: name, StorageDescriptor: { Columns: [{ Name: "id", Type: "bigint" }] } },
        }),
      ),
    grant: (resource: Resource, permissions: Permission[]) =>
      lakeformation.send(
        new GrantPermissionsCommand({ Principal: analyst, Resource: resource, Permissions: permissions }),
      ),
    /** "principal: permissions" per grant on the resource (a table also lists its column grants). */
    async grantsOn(resource: Resource): Promise<string[]> {
      const found: string[] = [];
      for await (const page of paginateListPermissions({ client: lakeformation }, { Resource: resource })) {
        for (const grant of page.PrincipalResourcePermissions ?? []) {
          const kind = grant.Resource?.TableWithColumns ? "columns " : "";
          found.push(
            `${kind}${grant.Principal?.DataLakePrincipalIdentifier}: ${grant.Permissions?.join(",")}`,
          );
        }
      }
      return found.sort();
    },
  };
}

const db = (name: string): Resource => ({ Database: { Name: name } });
const tbl = (database: string, name: string): Resource => ({ Table: { DatabaseName: database, Name: name } });
const columns = (database: string, name: string): Resource => ({
  TableWithColumns: { DatabaseName: database, Name: name, ColumnNames: ["id"] },
});

describe("default permissions on create", () => {
  // https://docs.aws.amazon.com/lake-formation/latest/dg/change-settings.html: with the initial
  // settings, "Use only IAM access control" gives IAMAllowedPrincipals Super (ALL) on new resources.
  it("with the initial settings, CreateDatabase and CreateTable grant IAM_ALLOWED_PRINCIPALS ALL", async () => {
    const c = catalog();
    await c.database({ Name: "sales" });
    await c.table("sales", "orders");
    expect(await c.grantsOn(db("sales"))).toEqual(["IAM_ALLOWED_PRINCIPALS: ALL"]);
    expect(await c.grantsOn(tbl("sales", "orders"))).toEqual(["IAM_ALLOWED_PRINCIPALS: ALL"]);
  });

  // Same page: empty CreateDatabaseDefaultPermissions/CreateTableDefaultPermissions put new
  // resources under Lake Formation permissions; omitting them "is equivalent to passing an empty list".
  it("with empty or omitted default permission lists, nothing is granted", async () => {
    const empty = catalog();
    await empty.settings({
      DataLakeAdmins: [],
      CreateDatabaseDefaultPermissions: [],
      CreateTableDefaultPermissions: [],
    });
    await empty.database({ Name: "sales" });
    await empty.table("sales", "orders");
    expect(await empty.grantsOn(db("sales"))).toEqual([]);
    expect(await empty.grantsOn(tbl("sales", "orders"))).toEqual([]);

    const omitted = catalog();
    await omitted.settings({ DataLakeAdmins: [] });
    await omitted.database({ Name: "sales" });
    await omitted.table("sales", "orders");
    expect(await omitted.grantsOn(db("sales"))).toEqual([]);
    expect(await omitted.grantsOn(tbl("sales", "orders"))).toEqual([]);
  });

  // https://docs.aws.amazon.com/glue/latest/webapi/API_DatabaseInput.html (CreateTableDefaultPermissions:
  // "Creates a set of default permissions on the table for principals"); change-settings.html: the
  // account default for new tables can be overridden when creating a database.
  it("a database's own CreateTableDefaultPermissions decide what its new tables get", async () => {
    const c = catalog();
    await c.settings({
      DataLakeAdmins: [],
      CreateDatabaseDefaultPermissions: [],
      CreateTableDefaultPermissions: [],
    });
    await c.database({ Name: "iam_only", CreateTableDefaultPermissions: [IAM_ALLOWED] });
    await c.table("iam_only", "orders");
    expect(await c.grantsOn(tbl("iam_only", "orders"))).toEqual(["IAM_ALLOWED_PRINCIPALS: ALL"]);

    const d = catalog();
    await d.database({ Name: "governed", CreateTableDefaultPermissions: [] });
    await d.table("governed", "orders");
    expect(await d.grantsOn(db("governed"))).toEqual(["IAM_ALLOWED_PRINCIPALS: ALL"]);
    expect(await d.grantsOn(tbl("governed", "orders"))).toEqual([]);
  });
});

describe("deleting Glue resources", () => {
  // https://docs.aws.amazon.com/lake-formation/latest/dg/granting-catalog-permissions.html: when a
  // Data Catalog resource is deleted, its permissions go with it; re-creating it does not restore them.
  async function taggedTable() {
    const c = catalog();
    await c.database({ Name: "sales" });
    await c.table("sales", "orders");
    await c.table("sales", "refunds");
    await c.grant(tbl("sales", "orders"), ["SELECT"]);
    await c.grant(columns("sales", "orders"), ["SELECT"]);
    await c.grant({ Table: { DatabaseName: "sales", TableWildcard: {} } }, ["DESCRIBE"]);
    await c.grant(db("sales"), ["CREATE_TABLE"]);
    await c.lakeformation.send(new CreateLFTagCommand({ TagKey: "tier", TagValues: ["gold"] }));
    for (const resource of [db("sales"), tbl("sales", "orders"), columns("sales", "orders")]) {
      await c.lakeformation.send(
        new AddLFTagsToResourceCommand({
          Resource: resource,
          LFTags: [{ TagKey: "tier", TagValues: ["gold"] }],
        }),
      );
    }
    return c;
  }

  async function assignedTags(c: ReturnType<typeof catalog>, resource: Resource) {
    const tags = await c.lakeformation.send(
      new GetResourceLFTagsCommand({ Resource: resource, ShowAssignedLFTags: true }),
    );
    return { table: tags.LFTagsOnTable ?? [], columns: tags.LFTagsOnColumns ?? [] };
  }

  it("DeleteTable removes the table's and its columns' grants and tags; a re-created table starts afresh", async () => {
    const c = await taggedTable();
    await c.glue.send(new DeleteTableCommand({ DatabaseName: "sales", Name: "orders" }));
    await c.table("sales", "orders");

    expect(await c.grantsOn(tbl("sales", "orders"))).toEqual(["IAM_ALLOWED_PRINCIPALS: ALL"]);
    expect(await assignedTags(c, tbl("sales", "orders"))).toEqual({ table: [], columns: [] });
    // The database, its other tables and the table wildcard grant are not the deleted table.
    expect(await c.grantsOn(db("sales"))).toEqual([
      "IAM_ALLOWED_PRINCIPALS: ALL",
      `${c.analyst.DataLakePrincipalIdentifier}: CREATE_TABLE`,
    ]);
    expect(await c.grantsOn({ Table: { DatabaseName: "sales", TableWildcard: {} } })).toEqual([
      `${c.analyst.DataLakePrincipalIdentifier}: DESCRIBE`,
    ]);
    expect(await c.grantsOn(tbl("sales", "refunds"))).toEqual(["IAM_ALLOWED_PRINCIPALS: ALL"]);
  });

  // https://docs.aws.amazon.com/glue/latest/webapi/API_BatchDeleteTable.html
  it("BatchDeleteTable removes the grants of every table it deletes", async () => {
    const c = await taggedTable();
    await c.glue.send(
      new BatchDeleteTableCommand({ DatabaseName: "sales", TablesToDelete: ["orders", "refunds"] }),
    );
    expect(await c.grantsOn(tbl("sales", "orders"))).toEqual([]);
    expect(await c.grantsOn(tbl("sales", "refunds"))).toEqual([]);
  });

  // https://docs.aws.amazon.com/glue/latest/webapi/API_DeleteDatabase.html deletes the tables too.
  it("DeleteDatabase removes grants and tags on the database and everything in it, and nothing else", async () => {
    const c = await taggedTable();
    await c.database({ Name: "other" });
    await c.grant(db("other"), ["DESCRIBE"]);
    await c.glue.send(new DeleteDatabaseCommand({ Name: "sales" }));
    await c.database({ Name: "sales" });
    await c.table("sales", "orders");

    expect(await c.grantsOn(db("sales"))).toEqual(["IAM_ALLOWED_PRINCIPALS: ALL"]);
    expect(await c.grantsOn(tbl("sales", "orders"))).toEqual(["IAM_ALLOWED_PRINCIPALS: ALL"]);
    expect(await c.grantsOn({ Table: { DatabaseName: "sales", TableWildcard: {} } })).toEqual([]);
    const tags = await c.lakeformation.send(
      new GetResourceLFTagsCommand({ Resource: tbl("sales", "orders") }),
    );
    expect([tags.LFTagOnDatabase, tags.LFTagsOnTable, tags.LFTagsOnColumns]).toEqual([[], [], []]);
    expect(await c.grantsOn(db("other"))).toEqual([
      "IAM_ALLOWED_PRINCIPALS: ALL",
      `${c.analyst.DataLakePrincipalIdentifier}: DESCRIBE`,
    ]);
  });
});
