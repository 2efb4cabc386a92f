// Contract: SearchDatabasesByLFTags and SearchTablesByLFTags on local AWS behave as on AWS (moto
// does not route them; fix_search_by_lf_tags in scripts/localaws/fixes/lakeformation.py).
// https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_SearchDatabasesByLFTags.html
// https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_SearchTablesByLFTags.html
import { CreateDatabaseCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import {
  AddLFTagsToResourceCommand,
  CreateLFTagCommand,
  type LFTagPair,
  paginateSearchTablesByLFTags,
  SearchDatabasesByLFTagsCommand,
  SearchTablesByLFTagsCommand,
} from "@aws-sdk/client-lakeformation";
import { beforeAll, describe, expect, it } from "vitest";
import { client, testLocation } from "../../support/local-aws.ts";

const location = testLocation();
const lakeformation = client("lakeformation", location);
const glue = client("glue", location);

const tag = (key: string, value: string) => ({ TagKey: key, TagValues: [value] });
const pairs = (tags: LFTagPair[] | undefined) =>
  (tags ?? []).map((t) => `${t.TagKey}=${t.TagValues?.join(",")}`).sort();

beforeAll(async () => {
  for (const db of ["sales", "hr"]) {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: db } }));
    for (const name of ["orders", "people", "plain"]) {
      await glue.send(
        new CreateTableCommand({
          DatabaseName: db,
          TableInput: {
            Name: name,
            StorageDescriptor: {
              Columns: [
                { Name: "id", Type: "bigint" },
                { Name: "email", Type: "string" },
              ],
            },
          },
        }),
      );
    }
  }
  await lakeformation.send(new CreateLFTagCommand({ TagKey: "domain", TagValues: ["sales", "hr"] }));
  await lakeformation.send(new CreateLFTagCommand({ TagKey: "pii", TagValues: ["yes", "no"] }));
  const add = (Resource: object, LFTags: LFTagPair[]) =>
    lakeformation.send(new AddLFTagsToResourceCommand({ Resource, LFTags }));
  await add({ Database: { Name: "sales" } }, [tag("domain", "sales")]);
  await add({ Table: { DatabaseName: "sales", Name: "people" } }, [tag("domain", "hr")]);
  await add({ TableWithColumns: { DatabaseName: "hr", Name: "people", ColumnNames: ["email"] } }, [
    tag("pii", "yes"),
  ]);
});

describe("SearchDatabasesByLFTags", () => {
  it("returns the databases carrying one of the condition's values, with their tags", async () => {
    const answer = await lakeformation.send(
      new SearchDatabasesByLFTagsCommand({ Expression: [{ TagKey: "domain", TagValues: ["sales", "hr"] }] }),
    );
    expect(answer.DatabaseList?.map((d) => [d.Database?.Name, pairs(d.LFTags)])).toEqual([
      ["sales", ["domain=sales"]],
    ]);
  });

  it("refuses a page over 100 (SearchPageSize 1..100) and an unknown key", async () => {
    await expect(
      lakeformation.send(
        new SearchDatabasesByLFTagsCommand({ Expression: [tag("domain", "sales")], MaxResults: 101 }),
      ),
    ).rejects.toMatchObject({ name: "InvalidInputException" });
    await expect(
      lakeformation.send(new SearchDatabasesByLFTagsCommand({ Expression: [tag("nope", "x")] })),
    ).rejects.toMatchObject({ name: "EntityNotFoundException" });
  });
});

describe("SearchTablesByLFTags", () => {
  it("shows the tags a table carries, inherited ones included (as the AWS CLI reference example)", async () => {
    const answer = await lakeformation.send(
      new SearchTablesByLFTagsCommand({ Expression: [tag("domain", "sales")] }),
    );
    const orders = answer.TableList?.find((t) => t.Table?.Name === "orders");
    // sales.orders has no tag of its own: the database's tag shows on the table and its columns.
    expect(pairs(orders?.LFTagOnDatabase)).toEqual(["domain=sales"]);
    expect(pairs(orders?.LFTagsOnTable)).toEqual(["domain=sales"]);
    expect(orders?.LFTagsOnColumns?.map((c) => [c.Name, pairs(c.LFTags)])).toEqual([
      ["id", ["domain=sales"]],
      ["email", ["domain=sales"]],
    ]);
    // sales.people overrides the key, so it does not match domain=sales.
    expect(answer.TableList?.map((t) => `${t.Table?.DatabaseName}.${t.Table?.Name}`)).toEqual([
      "sales.orders",
      "sales.plain",
    ]);
  });

  it("matches a table by a column's tag, and ORs a condition's values", async () => {
    const pii = await lakeformation.send(
      new SearchTablesByLFTagsCommand({ Expression: [tag("pii", "yes")] }),
    );
    expect(pii.TableList?.map((t) => [t.Table?.DatabaseName, t.Table?.Name])).toEqual([["hr", "people"]]);
    expect(pii.TableList?.[0]?.LFTagsOnTable).toBeUndefined();
    expect(pii.TableList?.[0]?.LFTagsOnColumns?.map((c) => [c.Name, pairs(c.LFTags)])).toEqual([
      ["email", ["pii=yes"]],
    ]);
    const both = await lakeformation.send(
      new SearchTablesByLFTagsCommand({ Expression: [{ TagKey: "domain", TagValues: ["sales", "hr"] }] }),
    );
    expect(both.TableList?.map((t) => `${t.Table?.DatabaseName}.${t.Table?.Name}`)).toEqual([
      "sales.orders",
      "sales.people",
      "sales.plain",
    ]);
  });

  it("ANDs the conditions and pages with MaxResults/NextToken", async () => {
    const none = await lakeformation.send(
      new SearchTablesByLFTagsCommand({ Expression: [tag("domain", "sales"), tag("pii", "yes")] }),
    );
    expect(none.TableList).toEqual([]);
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateSearchTablesByLFTags(
      { client: lakeformation, pageSize: 1 },
      { Expression: [{ TagKey: "domain", TagValues: ["sales", "hr"] }] },
    )) {
      pages += 1;
      for (const t of page.TableList ?? []) names.push(String(t.Table?.Name));
    }
    expect(pages).toBe(3);
    expect(names).toEqual(["orders", "people", "plain"]);
  });
});
