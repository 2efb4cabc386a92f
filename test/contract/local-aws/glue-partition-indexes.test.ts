// Contract: Glue partition indexes on local AWS are kept as on AWS (fixes in scripts/localaws/fixes/glue.py;
// moto 5.2.5 had no CreatePartitionIndex/DeletePartitionIndex and always listed none).
import {
  CreateDatabaseCommand,
  CreatePartitionIndexCommand,
  CreateTableCommand,
  DeletePartitionIndexCommand,
  DeleteTableCommand,
  GetPartitionIndexesCommand,
  type TableInput,
} from "@aws-sdk/client-glue";
import { beforeAll, describe, expect, it } from "vitest";
import { client, testLocation } from "../../support/local-aws.ts";

const location = testLocation();
const glue = client("glue", location);
const partitioned = (name: string): TableInput => ({
  Name: name,
  PartitionKeys: [
    { Name: "year", Type: "int" },
    { Name: "month", Type: "int" },
    { Name: "region", Type: "string" },
  ],
});
const indexesOf = async (table: string) =>
  (await glue.send(new GetPartitionIndexesCommand({ DatabaseName: "indexed", TableName: table })))
    .PartitionIndexDescriptorList ?? [];

beforeAll(async () => {
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "indexed" } }));
});

describe("Glue partition indexes", () => {
  // https://docs.aws.amazon.com/glue/latest/webapi/API_CreateTable.html
  // https://docs.aws.amazon.com/glue/latest/webapi/API_GetPartitionIndexes.html
  it("CreateTable with PartitionIndexes keeps them and GetPartitionIndexes lists them with key types", async () => {
    await glue.send(
      new CreateTableCommand({
        DatabaseName: "indexed",
        TableInput: partitioned("with_index"),
        PartitionIndexes: [{ IndexName: "by_year", Keys: ["year", "month"] }],
      }),
    );
    expect(await indexesOf("with_index")).toEqual([
      {
        IndexName: "by_year",
        Keys: [
          { Name: "year", Type: "int" },
          { Name: "month", Type: "int" },
        ],
        IndexStatus: "ACTIVE",
      },
    ]);
  });

  // https://docs.aws.amazon.com/glue/latest/webapi/API_CreatePartitionIndex.html
  // https://docs.aws.amazon.com/glue/latest/webapi/API_DeletePartitionIndex.html
  it("CreatePartitionIndex adds an index, refuses a duplicate name or a non-partition key; DeletePartitionIndex removes it", async () => {
    await glue.send(new CreateTableCommand({ DatabaseName: "indexed", TableInput: partitioned("managed") }));
    const create = (IndexName: string, Keys: string[]) =>
      glue.send(
        new CreatePartitionIndexCommand({
          DatabaseName: "indexed",
          TableName: "managed",
          PartitionIndex: { IndexName, Keys },
        }),
      );
    await create("by_region", ["region"]);
    await expect(create("by_region", ["year"])).rejects.toMatchObject({ name: "AlreadyExistsException" });
    await expect(create("by_column", ["not_a_partition_key"])).rejects.toMatchObject({
      name: "InvalidInputException",
    });
    expect((await indexesOf("managed")).map((i) => i.IndexName)).toEqual(["by_region"]);

    await glue.send(
      new DeletePartitionIndexCommand({
        DatabaseName: "indexed",
        TableName: "managed",
        IndexName: "by_region",
      }),
    );
    expect(await indexesOf("managed")).toEqual([]);
    await expect(
      glue.send(
        new DeletePartitionIndexCommand({
          DatabaseName: "indexed",
          TableName: "managed",
          IndexName: "by_region",
        }),
      ),
    ).rejects.toMatchObject({ name: "EntityNotFoundException" });
  });

  // https://docs.aws.amazon.com/glue/latest/webapi/API_CreatePartitionIndex.html
  it("a table holds at most 3 partition indexes (ResourceNumberLimitExceededException)", async () => {
    await glue.send(new CreateTableCommand({ DatabaseName: "indexed", TableInput: partitioned("limited") }));
    const keys = [["year"], ["month"], ["region"], ["year", "region"]];
    for (const [i, k] of keys.slice(0, 3).entries()) {
      await glue.send(
        new CreatePartitionIndexCommand({
          DatabaseName: "indexed",
          TableName: "limited",
          PartitionIndex: { IndexName: `i${i}`, Keys: k },
        }),
      );
    }
    await expect(
      glue.send(
        new CreatePartitionIndexCommand({
          DatabaseName: "indexed",
          TableName: "limited",
          PartitionIndex: { IndexName: "i3", Keys: keys[3] },
        }),
      ),
    ).rejects.toMatchObject({ name: "ResourceNumberLimitExceededException" });
    expect(await indexesOf("limited")).toHaveLength(3);
  });

  // https://docs.aws.amazon.com/glue/latest/webapi/API_GetPartitionIndexes.html
  it("a re-created table starts without the indexes of the table it replaces", async () => {
    await glue.send(
      new CreateTableCommand({
        DatabaseName: "indexed",
        TableInput: partitioned("recreated"),
        PartitionIndexes: [{ IndexName: "old", Keys: ["year"] }],
      }),
    );
    await glue.send(new DeleteTableCommand({ DatabaseName: "indexed", Name: "recreated" }));
    await glue.send(
      new CreateTableCommand({ DatabaseName: "indexed", TableInput: partitioned("recreated") }),
    );
    expect(await indexesOf("recreated")).toEqual([]);
  });
});
