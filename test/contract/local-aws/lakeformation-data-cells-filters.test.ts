// Contract: Lake Formation data cells filters on local AWS behave as on AWS
// (fixes in scripts/localaws/fixes/lakeformation.py; moto 5.2.5 had no create/get/update/delete).
import { CreateDatabaseCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import {
  CreateDataCellsFilterCommand,
  type DataCellsFilter,
  DeleteDataCellsFilterCommand,
  GetDataCellsFilterCommand,
  ListDataCellsFilterCommand,
  paginateListDataCellsFilter,
  UpdateDataCellsFilterCommand,
} from "@aws-sdk/client-lakeformation";
import { beforeAll, describe, expect, it } from "vitest";
import { client, testLocation } from "../../support/local-aws.ts";

const location = testLocation();
const lakeformation = client("lakeformation", location);
const glue = client("glue", location);

const filter = (table: string, name: string, extra: Partial<DataCellsFilter> = {}): DataCellsFilter => ({
  TableCatalogId: location.account,
  DatabaseName: "cells",
  TableName: table,
  Name: name,
  RowFilter: { FilterExpression: "country = 'DE'" },
  ColumnNames: ["id"],
  ...extra,
});
const key = (table: string, name: string) => ({
  TableCatalogId: location.account,
  DatabaseName: "cells",
  TableName: table,
  Name: name,
});

async function listedNames(table: string): Promise<string[]> {
  const names: string[] = [];
  const input = { Table: { CatalogId: location.account, DatabaseName: "cells", Name: table } };
  for await (const page of paginateListDataCellsFilter({ client: lakeformation, pageSize: 2 }, input)) {
    names.push(...(page.DataCellsFilters ?? []).map((f) => f.Name ?? ""));
  }
  return names.sort();
}

beforeAll(async () => {
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "cells" } }));
  for (const name of ["customers", "orders"]) {
    await glue.send(
      new CreateTableCommand({
        DatabaseName: "cells",
        TableInput: { Name: name, StorageDescriptor: { Columns: [{ Name: "id", Type: "bigint" }] } },
      }),
    );
  }
});

describe("Lake Formation data cells filters", () => {
  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_CreateDataCellsFilter.html
  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GetDataCellsFilter.html
  it("CreateDataCellsFilter stores the filter and GetDataCellsFilter returns it; a second create is AlreadyExistsException", async () => {
    await lakeformation.send(new CreateDataCellsFilterCommand({ TableData: filter("customers", "germany") }));
    const got = await lakeformation.send(new GetDataCellsFilterCommand(key("customers", "germany")));
    expect(got.DataCellsFilter).toMatchObject(filter("customers", "germany"));

    await expect(
      lakeformation.send(new CreateDataCellsFilterCommand({ TableData: filter("customers", "germany") })),
    ).rejects.toMatchObject({ name: "AlreadyExistsException" });
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_CreateDataCellsFilter.html
  it("CreateDataCellsFilter on a table the catalog does not have fails with EntityNotFoundException", async () => {
    await expect(
      lakeformation.send(new CreateDataCellsFilterCommand({ TableData: filter("missing_table", "f") })),
    ).rejects.toMatchObject({ name: "EntityNotFoundException" });
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_UpdateDataCellsFilter.html
  it("UpdateDataCellsFilter replaces the filter; updating a missing filter is EntityNotFoundException", async () => {
    await lakeformation.send(new CreateDataCellsFilterCommand({ TableData: filter("customers", "updated") }));
    await lakeformation.send(
      new UpdateDataCellsFilterCommand({
        TableData: filter("customers", "updated", {
          RowFilter: { AllRowsWildcard: {} },
          ColumnNames: undefined,
          ColumnWildcard: { ExcludedColumnNames: ["email"] },
        }),
      }),
    );
    const got = await lakeformation.send(new GetDataCellsFilterCommand(key("customers", "updated")));
    expect(got.DataCellsFilter?.RowFilter).toEqual({ AllRowsWildcard: {} });
    expect(got.DataCellsFilter?.ColumnWildcard).toEqual({ ExcludedColumnNames: ["email"] });
    expect(got.DataCellsFilter?.ColumnNames).toBeUndefined();

    await expect(
      lakeformation.send(
        new UpdateDataCellsFilterCommand({ TableData: filter("customers", "never_created") }),
      ),
    ).rejects.toMatchObject({ name: "EntityNotFoundException" });
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_DeleteDataCellsFilter.html
  it("DeleteDataCellsFilter removes the filter; deleting or getting it again is EntityNotFoundException", async () => {
    await lakeformation.send(new CreateDataCellsFilterCommand({ TableData: filter("customers", "deleted") }));
    await lakeformation.send(new DeleteDataCellsFilterCommand(key("customers", "deleted")));
    await expect(
      lakeformation.send(new GetDataCellsFilterCommand(key("customers", "deleted"))),
    ).rejects.toMatchObject({
      name: "EntityNotFoundException",
    });
    await expect(
      lakeformation.send(new DeleteDataCellsFilterCommand(key("customers", "deleted"))),
    ).rejects.toMatchObject({ name: "EntityNotFoundException" });
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListDataCellsFilter.html
  it("ListDataCellsFilter filters by table and pages with MaxResults and NextToken", async () => {
    for (const name of ["o1", "o2", "o3", "o4", "o5"]) {
      await lakeformation.send(new CreateDataCellsFilterCommand({ TableData: filter("orders", name) }));
    }
    const first = await lakeformation.send(
      new ListDataCellsFilterCommand({
        Table: { CatalogId: location.account, DatabaseName: "cells", Name: "orders" },
        MaxResults: 2,
      }),
    );
    expect(first.DataCellsFilters).toHaveLength(2);
    expect(first.NextToken).toBeTruthy();
    expect(await listedNames("orders")).toEqual(["o1", "o2", "o3", "o4", "o5"]);
    expect(await listedNames("customers")).not.toContain("o1");
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListDataCellsFilter.html
  it("keeps data cells filters per account and region", async () => {
    await lakeformation.send(
      new CreateDataCellsFilterCommand({ TableData: filter("customers", "regional") }),
    );
    const elsewhere = client("lakeformation", { ...location, region: "eu-west-1" });
    const otherAccount = client("lakeformation", testLocation());
    expect((await elsewhere.send(new ListDataCellsFilterCommand({}))).DataCellsFilters).toEqual([]);
    expect((await otherAccount.send(new ListDataCellsFilterCommand({}))).DataCellsFilters).toEqual([]);
  });
});
