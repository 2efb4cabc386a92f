// Contract: Glue catalog reads on local AWS page and filter as on AWS (fixes in scripts/localaws/fixes/glue.py).
import {
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreateTableCommand,
  DeleteTableVersionCommand,
  GetDatabasesCommand,
  GetPartitionsCommand,
  GetTablesCommand,
  GetTableVersionsCommand,
  paginateGetDatabases,
  paginateGetPartitions,
  paginateGetTables,
  paginateGetTableVersions,
  UpdateTableCommand,
} from "@aws-sdk/client-glue";
import { beforeAll, describe, expect, it } from "vitest";
import { client, testLocation } from "../../support/local-aws.ts";

const location = testLocation();
const glue = client("glue", location);
const days = Array.from({ length: 12 }, (_, i) => `2026-01-${String(i + 1).padStart(2, "0")}`);

beforeAll(async () => {
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "paging" } }));
  await glue.send(
    new CreateTableCommand({
      DatabaseName: "paging",
      TableInput: { Name: "events", PartitionKeys: [{ Name: "dt", Type: "string" }] },
    }),
  );
  for (const name of ["events_v2", "events_archive", "clicks", "prefix_events"]) {
    await glue.send(new CreateTableCommand({ DatabaseName: "paging", TableInput: { Name: name } }));
  }
  for (const dt of days) {
    await glue.send(
      new CreatePartitionCommand({
        DatabaseName: "paging",
        TableName: "events",
        PartitionInput: { Values: [dt] },
      }),
    );
  }
});

async function partitionDays(input: {
  Segment?: { SegmentNumber: number; TotalSegments: number };
}): Promise<string[]> {
  const found: string[] = [];
  const request = { DatabaseName: "paging", TableName: "events", ...input };
  for await (const page of paginateGetPartitions({ client: glue, pageSize: 5 }, request)) {
    found.push(...(page.Partitions ?? []).map((p) => p.Values?.[0] ?? ""));
  }
  return found;
}

async function tableNames(expression?: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateGetTables(
    { client: glue, pageSize: 2 },
    { DatabaseName: "paging", Expression: expression },
  )) {
    names.push(...(page.TableList ?? []).map((t) => t.Name ?? ""));
  }
  return names.sort();
}

describe("Glue catalog paging", () => {
  // https://docs.aws.amazon.com/glue/latest/webapi/API_GetPartitions.html
  it("GetPartitions honours MaxResults and NextToken and returns every partition once", async () => {
    const first = await glue.send(
      new GetPartitionsCommand({ DatabaseName: "paging", TableName: "events", MaxResults: 5 }),
    );
    expect(first.Partitions).toHaveLength(5);
    expect(first.NextToken).toBeTruthy();
    const all = await partitionDays({});
    expect(all).toHaveLength(days.length);
    expect(all.slice().sort()).toEqual(days);
  });

  // https://docs.aws.amazon.com/glue/latest/webapi/API_GetPartitions.html (Segment)
  it("GetPartitions segments are disjoint and together cover every partition", async () => {
    const totalSegments = 4;
    const segments: string[][] = [];
    for (let segmentNumber = 0; segmentNumber < totalSegments; segmentNumber++) {
      segments.push(
        await partitionDays({ Segment: { SegmentNumber: segmentNumber, TotalSegments: totalSegments } }),
      );
    }
    const combined = segments.flat();
    expect(combined).toHaveLength(days.length);
    expect(combined.sort()).toEqual(days);
    expect(segments.filter((s) => s.length > 0).length).toBeGreaterThan(1);

    await expect(
      glue.send(
        new GetPartitionsCommand({
          DatabaseName: "paging",
          TableName: "events",
          Segment: { SegmentNumber: 4, TotalSegments: 4 },
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidInputException" });
  });

  // https://docs.aws.amazon.com/glue/latest/webapi/API_GetPartitions.html
  it("GetPartitions still applies Expression before paging", async () => {
    const found: string[] = [];
    const request = { DatabaseName: "paging", TableName: "events", Expression: "dt >= '2026-01-10'" };
    for await (const page of paginateGetPartitions({ client: glue, pageSize: 2 }, request)) {
      found.push(...(page.Partitions ?? []).map((p) => p.Values?.[0] ?? ""));
    }
    expect(found.sort()).toEqual(["2026-01-10", "2026-01-11", "2026-01-12"]);
  });

  // https://docs.aws.amazon.com/glue/latest/webapi/API_GetTables.html
  it("GetTables Expression must match the whole table name; * is a wildcard", async () => {
    expect(await tableNames("events")).toEqual(["events"]);
    expect(await tableNames("events*")).toEqual(["events", "events_archive", "events_v2"]);
    expect(await tableNames("events_v2|clicks")).toEqual(["clicks", "events_v2"]);
    expect(await tableNames(".*events")).toEqual(["events", "prefix_events"]);
  });

  // https://docs.aws.amazon.com/glue/latest/webapi/API_GetTables.html
  it("GetTables honours MaxResults and NextToken", async () => {
    const first = await glue.send(new GetTablesCommand({ DatabaseName: "paging", MaxResults: 2 }));
    expect(first.TableList).toHaveLength(2);
    expect(first.NextToken).toBeTruthy();
    expect(await tableNames()).toEqual(["clicks", "events", "events_archive", "events_v2", "prefix_events"]);
  });

  // https://docs.aws.amazon.com/glue/latest/webapi/API_GetDatabases.html
  it("GetDatabases honours MaxResults and NextToken", async () => {
    const where = testLocation();
    const other = client("glue", where);
    for (const name of ["a", "b", "c"]) {
      await other.send(new CreateDatabaseCommand({ DatabaseInput: { Name: name } }));
    }
    const first = await other.send(new GetDatabasesCommand({ MaxResults: 2 }));
    expect(first.DatabaseList).toHaveLength(2);
    expect(first.NextToken).toBeTruthy();
    const names: string[] = [];
    for await (const page of paginateGetDatabases({ client: other, pageSize: 2 }, {})) {
      names.push(...(page.DatabaseList ?? []).map((d) => d.Name ?? ""));
    }
    expect(names.sort()).toEqual(["a", "b", "c"]);
  });

  // https://docs.aws.amazon.com/glue/latest/webapi/API_GetTableVersions.html
  it("GetTableVersions honours MaxResults and NextToken", async () => {
    await glue.send(new CreateTableCommand({ DatabaseName: "paging", TableInput: { Name: "versioned" } }));
    for (const description of ["v2", "v3", "v4"]) {
      await glue.send(
        new UpdateTableCommand({
          DatabaseName: "paging",
          TableInput: { Name: "versioned", Description: description },
        }),
      );
    }
    const request = { DatabaseName: "paging", TableName: "versioned" };
    const first = await glue.send(new GetTableVersionsCommand({ ...request, MaxResults: 3 }));
    expect(first.TableVersions).toHaveLength(3);
    expect(first.NextToken).toBeTruthy();
    const ids: string[] = [];
    for await (const page of paginateGetTableVersions({ client: glue, pageSize: 3 }, request)) {
      ids.push(...(page.TableVersions ?? []).map((v) => v.VersionId ?? ""));
    }
    expect(ids.sort()).toEqual(["1", "2", "3", "4"]);
  });

  // https://docs.aws.amazon.com/glue/latest/webapi/API_DeleteTableVersion.html
  it("DeleteTableVersion of a version the table does not have fails with EntityNotFoundException", async () => {
    await glue.send(
      new UpdateTableCommand({
        DatabaseName: "paging",
        TableInput: { Name: "clicks", Description: "second version" },
      }),
    );
    await expect(
      glue.send(
        new DeleteTableVersionCommand({ DatabaseName: "paging", TableName: "clicks", VersionId: "99" }),
      ),
    ).rejects.toMatchObject({ name: "EntityNotFoundException" });

    await glue.send(
      new DeleteTableVersionCommand({ DatabaseName: "paging", TableName: "clicks", VersionId: "1" }),
    );
    const versions = await glue.send(
      new GetTableVersionsCommand({ DatabaseName: "paging", TableName: "clicks" }),
    );
    expect(versions.TableVersions?.map((v) => v.VersionId)).toEqual(["2"]);
  });
});
