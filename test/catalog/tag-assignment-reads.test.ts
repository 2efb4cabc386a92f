// LF tag assignments read two ways give the same snapshot: databases' by SearchDatabasesByLFTags
// (one search per tag key and per 50 of its values) or by GetResourceLFTags per database. The
// catalog has inherited database tags, a table tag equal to its database's (assigned, so kept),
// a table override, column tags (one equal to its table's) and a key with more than 50 values.
import { CreateDatabaseCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import {
  AddLFTagsToResourceCommand,
  CreateLFTagCommand,
  type LFTagPair,
  UpdateLFTagCommand,
} from "@aws-sdk/client-lakeformation";
import { beforeAll, describe, expect, it } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import {
  databaseSearchCalls,
  databaseTagReads,
  readCatalogSnapshot,
} from "../../modules/aws/catalog-reader.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { collect } from "../../modules/catalog/diff.ts";
import { lfTagRecord } from "../../modules/catalog/normalise.ts";
import { LocalCallCounts } from "../../modules/local/call-counts.ts";
import { client, endpoint, testLocation } from "../support/local-aws.ts";

const location = testLocation();
const clients = new AwsClients(allClients, { maxAttempts: 1 });
const counts = new LocalCallCounts(endpoint());
const glue = client("glue", location);
const lakeformation = client("lakeformation", location);
const tag = (key: string, value: string): LFTagPair => ({ TagKey: key, TagValues: [value] });
const regions = Array.from({ length: 60 }, (_, i) => `r${String(i).padStart(2, "0")}`);

async function read(tagAssignmentReads: "search" | "per-resource") {
  await counts.reset(location.account);
  const records = await collect(
    readCatalogSnapshot(clients, location, { databases: "all", concurrency: 4, tagAssignmentReads }),
  );
  return { records, calls: await counts.byOperation(location.account) };
}

beforeAll(async () => {
  for (const db of ["sales", "hr", "untagged"]) {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: db } }));
    for (const name of ["orders", "people"]) {
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
  await lakeformation.send(new CreateLFTagCommand({ TagKey: "region", TagValues: regions.slice(0, 50) }));
  await lakeformation.send(new UpdateLFTagCommand({ TagKey: "region", TagValuesToAdd: regions.slice(50) }));
  const add = (Resource: object, ...LFTags: LFTagPair[]) =>
    lakeformation.send(new AddLFTagsToResourceCommand({ Resource, LFTags }));
  await add({ Database: { Name: "sales" } }, tag("domain", "sales"), tag("region", "r55"));
  await add({ Database: { Name: "hr" } }, tag("domain", "hr"));
  await add({ Table: { DatabaseName: "sales", Name: "orders" } }, tag("domain", "sales")); // as inherited
  await add({ Table: { DatabaseName: "sales", Name: "people" } }, tag("domain", "hr")); // override
  await add(
    { TableWithColumns: { DatabaseName: "sales", Name: "people", ColumnNames: ["email"] } },
    tag("pii", "yes"),
  );
  await add(
    { TableWithColumns: { DatabaseName: "hr", Name: "orders", ColumnNames: ["id"] } },
    tag("domain", "hr"),
  );
  await add(
    { TableWithColumns: { DatabaseName: "untagged", Name: "people", ColumnNames: ["id"] } },
    tag("pii", "no"),
  );
});

describe("LF tag assignment reads", () => {
  it("give the same records by search and per resource, assigned tags only", async () => {
    const bySearch = await read("search");
    const perResource = await read("per-resource");
    expect(bySearch.records).toEqual(perResource.records);
    const assignments = bySearch.records.filter((r) => r.kind === "tagAssignment").map((r) => r.key);
    expect(assignments).toHaveLength(7);
    // One search per key and per 50 values: domain, pii, region (60 values: 2) = 4.
    expect(bySearch.calls["lakeformation:SearchDatabasesByLFTags"]).toBe(4);
    expect(bySearch.calls["lakeformation:GetResourceLFTags"]).toBe(6); // tables only
    expect(perResource.calls["lakeformation:SearchDatabasesByLFTags"]).toBeUndefined();
    expect(perResource.calls["lakeformation:GetResourceLFTags"]).toBe(9);
  });

  it("chooses search only when it costs fewer calls than one per database", () => {
    const tags = [
      lfTagRecord({ TagKey: "a", TagValues: ["x", "y"] }),
      lfTagRecord({ TagKey: "b", TagValues: regions }),
    ];
    expect(databaseSearchCalls(tags, 10)).toBe(3);
    expect(databaseSearchCalls(tags, 250)).toBe(9); // 3 pages of 100 databases per search
    expect(databaseTagReads("auto", tags, 3)).toBe("per-resource");
    expect(databaseTagReads("auto", tags, 4)).toBe("search");
    expect(databaseTagReads("per-resource", tags, 400)).toBe("per-resource");
  });
});
