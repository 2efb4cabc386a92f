// Contract: LF-tags on local AWS behave as on AWS (fixes in scripts/localaws/fixes/lakeformation.py).
import { CreateDatabaseCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import {
  AddLFTagsToResourceCommand,
  CreateLFTagCommand,
  DeleteLFTagCommand,
  GetLFTagCommand,
  GetResourceLFTagsCommand,
  type LFTagPair,
  ListLFTagsCommand,
  paginateListLFTags,
  RemoveLFTagsFromResourceCommand,
  type Resource,
  UpdateLFTagCommand,
} from "@aws-sdk/client-lakeformation";
import { beforeAll, describe, expect, it } from "vitest";
import { client, testLocation } from "../../support/local-aws.ts";

const location = testLocation();
const lakeformation = client("lakeformation", location);
const glue = client("glue", location);

const database: Resource = { Database: { Name: "mesh" } };
const orders: Resource = { Table: { DatabaseName: "mesh", Name: "orders" } };
const tag = (key: string, value: string) => ({ TagKey: key, TagValues: [value] });
const pairs = (tags: LFTagPair[] | undefined) =>
  (tags ?? []).map((t) => `${t.TagKey}=${t.TagValues?.join(",")}`).sort();

async function tagsOf(resource: Resource, showAssigned?: boolean) {
  return lakeformation.send(
    new GetResourceLFTagsCommand({ Resource: resource, ShowAssignedLFTags: showAssigned }),
  );
}

beforeAll(async () => {
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "mesh" } }));
  await glue.send(
    new CreateTableCommand({
      DatabaseName: "mesh",
      TableInput: {
        Name: "orders",
        StorageDescriptor: {
          Columns: [
            { Name: "id", Type: "bigint" },
            { Name: "email", Type: "string" },
          ],
        },
      },
    }),
  );
  await lakeformation.send(new CreateLFTagCommand({ TagKey: "domain", TagValues: ["sales", "hr"] }));
  await lakeformation.send(new CreateLFTagCommand({ TagKey: "tier", TagValues: ["gold", "silver"] }));
  await lakeformation.send(new CreateLFTagCommand({ TagKey: "pii", TagValues: ["yes", "no"] }));
});

describe("LF-tag definitions", () => {
  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_CreateLFTag.html
  it("CreateLFTag on an existing key fails with AlreadyExistsException and keeps the values", async () => {
    await expect(
      lakeformation.send(new CreateLFTagCommand({ TagKey: "domain", TagValues: ["other"] })),
    ).rejects.toMatchObject({ name: "AlreadyExistsException" });
    expect((await lakeformation.send(new GetLFTagCommand({ TagKey: "domain" }))).TagValues).toEqual([
      "sales",
      "hr",
    ]);
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GetLFTag.html
  it("GetLFTag, UpdateLFTag and DeleteLFTag of a missing key fail with EntityNotFoundException", async () => {
    await expect(lakeformation.send(new GetLFTagCommand({ TagKey: "missing" }))).rejects.toMatchObject({
      name: "EntityNotFoundException",
    });
    await expect(
      lakeformation.send(new UpdateLFTagCommand({ TagKey: "missing", TagValuesToAdd: ["x"] })),
    ).rejects.toMatchObject({ name: "EntityNotFoundException" });
    await expect(lakeformation.send(new DeleteLFTagCommand({ TagKey: "missing" }))).rejects.toMatchObject({
      name: "EntityNotFoundException",
    });
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_UpdateLFTag.html
  it("UpdateLFTag adds and removes values, and a removed value's assignments go with it", async () => {
    await lakeformation.send(new CreateLFTagCommand({ TagKey: "stage", TagValues: ["dev", "prod"] }));
    await lakeformation.send(
      new AddLFTagsToResourceCommand({
        Resource: { Database: { Name: "staged" } },
        LFTags: [tag("stage", "dev")],
      }),
    );
    await lakeformation.send(
      new UpdateLFTagCommand({
        TagKey: "stage",
        TagValuesToAdd: ["test", "prod"],
        TagValuesToDelete: ["dev"],
      }),
    );
    expect(
      (await lakeformation.send(new GetLFTagCommand({ TagKey: "stage" }))).TagValues?.slice().sort(),
    ).toEqual(["prod", "test"]);
    expect((await tagsOf({ Database: { Name: "staged" } })).LFTagOnDatabase).toEqual([]);
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_DeleteLFTag.html
  it("DeleteLFTag removes the key and its assignments on resources", async () => {
    await lakeformation.send(new CreateLFTagCommand({ TagKey: "retired", TagValues: ["a"] }));
    await lakeformation.send(
      new AddLFTagsToResourceCommand({
        Resource: { Database: { Name: "retiring" } },
        LFTags: [tag("retired", "a")],
      }),
    );
    await lakeformation.send(new DeleteLFTagCommand({ TagKey: "retired" }));
    await expect(lakeformation.send(new GetLFTagCommand({ TagKey: "retired" }))).rejects.toMatchObject({
      name: "EntityNotFoundException",
    });
    expect((await tagsOf({ Database: { Name: "retiring" } })).LFTagOnDatabase).toEqual([]);
  });
});

describe("LF-tag listing", () => {
  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListLFTags.html
  it("ListLFTags pages with MaxResults and NextToken", async () => {
    const where = testLocation();
    const lf = client("lakeformation", where);
    for (const key of ["k1", "k2", "k3"])
      await lf.send(new CreateLFTagCommand({ TagKey: key, TagValues: ["v"] }));
    const first = await lf.send(new ListLFTagsCommand({ MaxResults: 2 }));
    expect(first.LFTags).toHaveLength(2);
    expect(first.NextToken).toBeTruthy();
    const keys: string[] = [];
    for await (const page of paginateListLFTags({ client: lf, pageSize: 2 }, {})) {
      keys.push(...(page.LFTags ?? []).map((t) => t.TagKey ?? ""));
    }
    expect(keys.sort()).toEqual(["k1", "k2", "k3"]);
  });
});

describe("LF-tags on resources", () => {
  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GetResourceLFTags.html
  it("GetResourceLFTags on an untagged database or table answers with empty lists", async () => {
    expect((await tagsOf({ Database: { Name: "untagged" } })).LFTagOnDatabase).toEqual([]);
    const onTable = await tagsOf({ Table: { DatabaseName: "untagged", Name: "t" } });
    expect([onTable.LFTagOnDatabase, onTable.LFTagsOnTable, onTable.LFTagsOnColumns]).toEqual([[], [], []]);
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_AddLFTagsToResource.html
  it("AddLFTagsToResource merges with the resource's tags, replacing only the same key", async () => {
    const merging: Resource = { Database: { Name: "merging" } };
    await lakeformation.send(
      new AddLFTagsToResourceCommand({ Resource: merging, LFTags: [tag("domain", "sales")] }),
    );
    await lakeformation.send(
      new AddLFTagsToResourceCommand({ Resource: merging, LFTags: [tag("tier", "silver")] }),
    );
    await lakeformation.send(
      new AddLFTagsToResourceCommand({ Resource: merging, LFTags: [tag("tier", "gold")] }),
    );
    expect(pairs((await tagsOf(merging)).LFTagOnDatabase)).toEqual(["domain=sales", "tier=gold"]);
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_AddLFTagsToResource.html
  it("AddLFTagsToResource reports an unknown key and a disallowed value in Failures and applies the rest", async () => {
    const resource: Resource = { Database: { Name: "failing" } };
    const added = await lakeformation.send(
      new AddLFTagsToResourceCommand({
        Resource: resource,
        LFTags: [tag("unknown", "x"), tag("domain", "finance"), tag("pii", "no")],
      }),
    );
    expect(added.Failures?.map((f) => [f.LFTag?.TagKey, f.Error?.ErrorCode])).toEqual([
      ["unknown", "EntityNotFoundException"],
      ["domain", "InvalidInputException"],
    ]);
    expect(pairs((await tagsOf(resource)).LFTagOnDatabase)).toEqual(["pii=no"]);
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_RemoveLFTagsFromResource.html
  it("RemoveLFTagsFromResource of a tag the resource does not carry succeeds and changes nothing", async () => {
    const resource: Resource = { Database: { Name: "removing" } };
    await lakeformation.send(
      new AddLFTagsToResourceCommand({ Resource: resource, LFTags: [tag("domain", "hr")] }),
    );
    await lakeformation.send(
      new RemoveLFTagsFromResourceCommand({ Resource: resource, LFTags: [tag("tier", "gold")] }),
    );
    await lakeformation.send(
      new RemoveLFTagsFromResourceCommand({
        Resource: { Database: { Name: "never-tagged" } },
        LFTags: [tag("tier", "gold")],
      }),
    );
    expect(pairs((await tagsOf(resource)).LFTagOnDatabase)).toEqual(["domain=hr"]);

    await lakeformation.send(
      new RemoveLFTagsFromResourceCommand({ Resource: resource, LFTags: [tag("domain", "hr")] }),
    );
    expect((await tagsOf(resource)).LFTagOnDatabase).toEqual([]);
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GetResourceLFTags.html
  it("GetResourceLFTags on a table shows database tags, inherited table tags and column tags; ShowAssignedLFTags shows only direct ones", async () => {
    await lakeformation.send(
      new AddLFTagsToResourceCommand({
        Resource: database,
        LFTags: [tag("domain", "sales"), tag("tier", "gold")],
      }),
    );
    await lakeformation.send(
      new AddLFTagsToResourceCommand({ Resource: orders, LFTags: [tag("tier", "silver")] }),
    );
    await lakeformation.send(
      new AddLFTagsToResourceCommand({
        Resource: { TableWithColumns: { DatabaseName: "mesh", Name: "orders", ColumnNames: ["email"] } },
        LFTags: [tag("pii", "yes")],
      }),
    );

    const effective = await tagsOf(orders);
    expect(pairs(effective.LFTagOnDatabase)).toEqual(["domain=sales", "tier=gold"]);
    expect(pairs(effective.LFTagsOnTable)).toEqual(["domain=sales", "tier=silver"]);
    const columns = Object.fromEntries(
      (effective.LFTagsOnColumns ?? []).map((c) => [c.Name, pairs(c.LFTags)]),
    );
    expect(columns).toEqual({
      id: ["domain=sales", "tier=silver"],
      email: ["domain=sales", "pii=yes", "tier=silver"],
    });

    const assigned = await tagsOf(orders, true);
    expect(pairs(assigned.LFTagsOnTable)).toEqual(["tier=silver"]);
    expect(assigned.LFTagsOnColumns?.map((c) => [c.Name, pairs(c.LFTags)])).toEqual([["email", ["pii=yes"]]]);

    const oneColumn = await tagsOf(
      { TableWithColumns: { DatabaseName: "mesh", Name: "orders", ColumnNames: ["email"] } },
      true,
    );
    expect(oneColumn.LFTagsOnColumns?.map((c) => c.Name)).toEqual(["email"]);
  });
});
