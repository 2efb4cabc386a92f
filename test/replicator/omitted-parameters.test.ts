// An omitted CreateTable as CloudTrail records it on AWS: `requestParameters` is only
// `{"omitted": true, "originalSize": …}` and `resources` lists the catalog and database ARNs before
// the table ARN. The replicator re-reads the table the table ARN names from the source and creates
// it in every target (it used to take the database ARN, find no table name and fail the event).
import { randomUUID } from "node:crypto";
import {
  CreateDatabaseCommand,
  CreateTableCommand,
  EntityNotFoundException,
  GetTableCommand,
} from "@aws-sdk/client-glue";
import { beforeAll, describe, expect, it } from "vitest";
import { newJournalEvent } from "../../modules/journal/event-item.ts";
import type { CloudTrailRecord } from "../../modules/replication/cloudtrail-record.ts";
import { glue, type Harness, harness, journaled, type Lake, newLake } from "./support.ts";

describe("replicator: CloudTrail omitted the request parameters", () => {
  let lake: Lake;
  let h: Harness;

  beforeAll(async () => {
    lake = await newLake();
    h = await harness(lake, 3);
  });

  it("an omitted CreateTable whose resources list catalog, database and table ARNs re-reads the table and creates it", async () => {
    const g = glue(lake.source);
    const columns = [
      { Name: "id", Type: "bigint" },
      { Name: "payload", Type: "string", Comment: "kept verbatim" },
    ];
    await g.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "omitted" } }));
    await g.send(
      new CreateTableCommand({
        DatabaseName: "omitted",
        TableInput: {
          Name: "wide",
          TableType: "EXTERNAL_TABLE",
          Parameters: { classification: "json" },
          StorageDescriptor: { Columns: columns, Location: "s3://lake-src/omitted/wide/" },
        },
      }),
    );
    await h.poll();
    const [database] = await journaled(h.journal, "CreateDatabase");
    const [create] = await journaled(h.journal, "CreateTable");
    await h.drain([database!]);

    const recorded = JSON.parse(create!.record ?? "{}") as CloudTrailRecord;
    const arn = (resource: string) => `arn:aws:glue:${lake.source.region}:${lake.source.account}:${resource}`;
    const omitted: CloudTrailRecord = {
      ...recorded,
      eventID: randomUUID(),
      requestParameters: { omitted: true, originalSize: 204_800 },
      resources: [
        { ARN: arn("catalog"), accountId: lake.source.account, type: "AWS::Glue::Catalog" },
        { ARN: arn("database/omitted"), accountId: lake.source.account, type: "AWS::Glue::Database" },
        { ARN: arn("table/omitted/wide"), accountId: lake.source.account, type: "AWS::Glue::Table" },
      ],
    };
    await h.journal.putEvent(
      newJournalEvent(omitted, { capturedBy: "poller", capturedAt: new Date(), tracked: true }),
    );
    for (const target of [lake.west, lake.backup]) {
      await expect(
        glue(target).send(new GetTableCommand({ DatabaseName: "omitted", Name: "wide" })),
      ).rejects.toBeInstanceOf(EntityNotFoundException);
    }

    const outcomes = await h.drain([{ eventId: omitted.eventID, eventTime: create!.eventTime }]);
    expect(outcomes.map((o) => [o.target, o.state, o.reason])).toEqual([
      ["west", "applied", undefined],
      ["backup", "applied", undefined],
    ]);
    for (const [target, bucket] of [
      [lake.west, "lake-west"],
      [lake.backup, "lake-backup"],
    ] as const) {
      const { Table } = await glue(target).send(
        new GetTableCommand({ DatabaseName: "omitted", Name: "wide" }),
      );
      expect(Table?.StorageDescriptor?.Columns).toEqual(columns);
      expect(Table?.StorageDescriptor?.Location).toBe(`s3://${bucket}/omitted/wide/`);
      expect(Table?.Parameters).toEqual({ classification: "json" });
    }
  });
});
