// Contract: concurrent Glue and Lake Formation requests on local AWS each see a consistent catalog,
// as on AWS (fix in scripts/localaws/fixes/consistency.py). Restore and the replicator send
// batches side by side; without the fix moto's threaded server answered some with HTTP 500.
import { CreateDatabaseCommand, CreateTableCommand, GetTablesCommand } from "@aws-sdk/client-glue";
import { BatchGrantPermissionsCommand, paginateListPermissions } from "@aws-sdk/client-lakeformation";
import { beforeAll, describe, expect, it } from "vitest";
import { client, testLocation } from "../../support/local-aws.ts";

const location = testLocation("ap-southeast-2");
const glue = client("glue", location);
const lakeformation = client("lakeformation", location);
const DatabaseName = "concurrent";
const tables = Array.from({ length: 20 }, (_, i) => `t${i}`);
const tableInput = (Name: string) => ({
  Name,
  StorageDescriptor: { Columns: [{ Name: "id", Type: "int" }] },
});

beforeAll(async () => {
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: DatabaseName } }));
  for (const name of tables)
    await glue.send(new CreateTableCommand({ DatabaseName, TableInput: tableInput(name) }));
});

describe("concurrent catalog requests", () => {
  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_BatchGrantPermissions.html
  it("BatchGrantPermissions sent side by side all succeed and every grant is listed", async () => {
    const batches = 40;
    const results = await Promise.allSettled(
      Array.from({ length: batches }, (_, b) =>
        lakeformation.send(
          new BatchGrantPermissionsCommand({
            Entries: tables.map((Name, i) => ({
              Id: String(i),
              Principal: { DataLakePrincipalIdentifier: `arn:aws:iam::${location.account}:role/reader-${b}` },
              Resource: { Table: { DatabaseName, Name } },
              Permissions: ["SELECT"],
            })),
          }),
        ),
      ),
    );
    const rejected = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
    expect(rejected).toEqual([]);
    for (const r of results) if (r.status === "fulfilled") expect(r.value.Failures ?? []).toEqual([]);
    let readerGrants = 0;
    for await (const page of paginateListPermissions({ client: lakeformation }, { MaxResults: 1000 }))
      for (const grant of page.PrincipalResourcePermissions ?? [])
        if (grant.Principal?.DataLakePrincipalIdentifier?.includes(":role/reader-")) readerGrants++;
    expect(readerGrants).toBe(batches * tables.length);
  });

  // https://docs.aws.amazon.com/glue/latest/webapi/glue-api-catalog-tables.html#aws-glue-api-catalog-tables-GetTables
  it("GetTables while tables are created lists each table whole or not at all, and never fails", async () => {
    const created = Array.from({ length: 60 }, (_, i) => `new${i}`);
    const results = await Promise.allSettled([
      ...created.map((name) =>
        glue.send(new CreateTableCommand({ DatabaseName, TableInput: tableInput(name) })),
      ),
      ...created.map(() => glue.send(new GetTablesCommand({ DatabaseName }))),
    ]);
    expect(results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []))).toEqual([]);
    for (const r of results.slice(created.length))
      if (r.status === "fulfilled" && "TableList" in r.value)
        for (const table of r.value.TableList ?? []) expect(table.StorageDescriptor?.Columns).toHaveLength(1);
  });
});
