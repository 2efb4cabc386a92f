// An event from an account or region that is not the configured source ends `skipped` with the
// reason, as plan-event --config decides for it (modules/replication/source-check.ts).
import { randomUUID } from "node:crypto";
import { CreateDatabaseCommand, GetDatabasesCommand } from "@aws-sdk/client-glue";
import { expect, it } from "vitest";
import { JournalStore } from "../../modules/aws/journal-store.ts";
import { newJournalEvent } from "../../modules/journal/event-item.ts";
import type { CloudTrailRecord } from "../../modules/replication/cloudtrail-record.ts";
import { client } from "../support/local-aws.ts";
import { cli, glue, newLake } from "./support.ts";

it("the replicator skips events from an unconfigured account or region, naming both", async () => {
  const lake = await newLake();
  await glue(lake.source).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "home_db" } }));
  expect((await cli(["replicate", "--once", "--config", lake.configFile])).code).toBe(0);

  const journal = new JournalStore(client("dynamodb", lake.source), { tableName: lake.journalTable });
  const [home] = await journal.listEvents({ limit: 10 });
  const record = JSON.parse((await journal.getEvent(home!.eventId))?.record ?? "{}") as CloudTrailRecord;
  const foreign: CloudTrailRecord[] = [
    { ...record, eventID: randomUUID(), recipientAccountId: "999999999999" },
    { ...record, eventID: randomUUID(), awsRegion: "eu-central-1" },
  ].map((r) => ({ ...r, requestParameters: { databaseInput: { name: "foreign_db" } } }));
  for (const r of foreign)
    await journal.putEvent(
      newJournalEvent(r, { capturedBy: "eventbridge", capturedAt: new Date(), tracked: true }),
    );

  const run = await cli(["replicate", "--once", "--config", lake.configFile]);
  expect(run.code).toBe(0);
  expect(run.lines).toHaveLength(4);
  for (const line of run.lines)
    expect(line).toMatch(
      / -> \w+: skipped \(event from (999999999999\/us-east-1|\d{12}\/eu-central-1), not the configured source \d{12}\/us-east-1: not replicated\)$/,
    );
  for (const target of [lake.west, lake.backup]) {
    const names = (await glue(target).send(new GetDatabasesCommand({}))).DatabaseList?.map((d) => d.Name);
    expect(names).not.toContain("foreign_db");
  }
});
