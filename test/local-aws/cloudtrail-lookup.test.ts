// LookupEvents as documented in
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html:
// one lookup attribute, a time window, 50 events per page, NextToken paging, newest first,
// and 2 requests per second per account and region.

import { setTimeout as sleep } from "node:timers/promises";
import {
  InvalidLookupAttributesException,
  InvalidNextTokenException,
  LookupEventsCommand,
  ThrottlingException,
} from "@aws-sdk/client-cloudtrail";
import { CreateDatabaseCommand, CreateTableCommand, GetDatabaseCommand } from "@aws-sdk/client-glue";
import { GetDataLakeSettingsCommand, PutDataLakeSettingsCommand } from "@aws-sdk/client-lakeformation";
import { describe, expect, it } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { client, testLocation } from "../support/local-aws.ts";
import { accessKeyOf, cloudtrail, lookupAll, recordOf } from "./cloudtrail-support.ts";

describe("local CloudTrail LookupEvents", () => {
  it("pages more than 50 events newest first with no duplicates or gaps", async () => {
    const location = testLocation("us-east-1");
    const glue = client("glue", location);
    const names = Array.from({ length: 57 }, (_, i) => `db_${String(i).padStart(2, "0")}`);
    for (const name of names) await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: name } }));

    const first = await cloudtrail(location).send(new LookupEventsCommand({}));
    expect(first.Events).toHaveLength(50);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await cloudtrail(location).send(new LookupEventsCommand({ NextToken: first.NextToken }));
    expect(second.Events).toHaveLength(7);
    expect(second.NextToken).toBeUndefined();

    const created = [...(first.Events ?? []), ...(second.Events ?? [])]
      .map(recordOf)
      .map((r) => (r.requestParameters as { databaseInput: { name: string } }).databaseInput.name);
    expect(created).toEqual([...names].reverse());

    // Smaller pages through the SDK paginator see the same sequence.
    const paged = await lookupAll(location, { MaxResults: 20 });
    expect(paged.map((e) => e.EventId)).toEqual(
      [...(first.Events ?? []), ...(second.Events ?? [])].map((e) => e.EventId),
    );
  });

  it("rejects bad tokens, several lookup attributes and out-of-range MaxResults", async () => {
    const location = testLocation("eu-central-1");
    const glue = client("glue", location);
    for (const name of ["a", "b", "c"])
      await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: name } }));
    const trail = cloudtrail(location);

    await expect(trail.send(new LookupEventsCommand({ NextToken: "not-a-token" }))).rejects.toBeInstanceOf(
      InvalidNextTokenException,
    );
    // A token only continues the query that produced it.
    const page = await trail.send(new LookupEventsCommand({ MaxResults: 1 }));
    expect(page.NextToken).toEqual(expect.any(String));
    await expect(
      trail.send(
        new LookupEventsCommand({
          MaxResults: 1,
          NextToken: page.NextToken,
          LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateDatabase" }],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidNextTokenException);
    await expect(
      trail.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: "EventName", AttributeValue: "CreateDatabase" },
            { AttributeKey: "ReadOnly", AttributeValue: "false" },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidLookupAttributesException);
    await expect(trail.send(new LookupEventsCommand({ MaxResults: 51 }))).rejects.toMatchObject({
      name: "InvalidMaxResultsException",
    });
  });

  it("filters by each lookup attribute", async () => {
    const location = testLocation("ap-southeast-2");
    const glue = client("glue", location);
    const lakeformation = client("lakeformation", location);
    const { account } = location;
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "sales" } }));
    await glue.send(new GetDatabaseCommand({ Name: "sales" }));
    await glue.send(new CreateTableCommand({ DatabaseName: "sales", TableInput: { Name: "orders" } }));
    await lakeformation.send(new PutDataLakeSettingsCommand({ DataLakeSettings: { DataLakeAdmins: [] } }));
    await lakeformation.send(new GetDataLakeSettingsCommand({}));
    const all = await lookupAll(location);
    expect(all.map((e) => e.EventName)).toEqual([
      "GetDataLakeSettings",
      "PutDataLakeSettings",
      "CreateTable",
      "GetDatabase",
      "CreateDatabase",
    ]);

    const namesFor = async (AttributeKey: string, AttributeValue: string) =>
      (await lookupAll(location, { LookupAttributes: [{ AttributeKey, AttributeValue }] as never })).map(
        (e) => e.EventName,
      );
    const target = all[3];
    expect(await namesFor("EventId", target?.EventId ?? "")).toEqual(["GetDatabase"]);
    expect(await namesFor("EventName", "CreateTable")).toEqual(["CreateTable"]);
    expect(await namesFor("ReadOnly", "true")).toEqual(["GetDataLakeSettings", "GetDatabase"]);
    expect(await namesFor("ReadOnly", "false")).toEqual([
      "PutDataLakeSettings",
      "CreateTable",
      "CreateDatabase",
    ]);
    expect(await namesFor("Username", "lakesync")).toHaveLength(5);
    expect(await namesFor("Username", "someone-else")).toEqual([]);
    expect(await namesFor("ResourceType", "AWS::Glue::Table")).toEqual(["CreateTable"]);
    expect(await namesFor("ResourceName", `arn:aws:glue:ap-southeast-2:${account}:database/sales`)).toEqual([
      "CreateDatabase",
    ]);
    expect(await namesFor("EventSource", "lakeformation.amazonaws.com")).toEqual([
      "GetDataLakeSettings",
      "PutDataLakeSettings",
    ]);
    // A location's clients share one assumed role (AwsClients), so its key made every call.
    expect(await namesFor("AccessKeyId", await accessKeyOf(location))).toEqual([
      "GetDataLakeSettings",
      "PutDataLakeSettings",
      "CreateTable",
      "GetDatabase",
      "CreateDatabase",
    ]);
    expect(await namesFor("AccessKeyId", "ASIAOTHERKEY00000000")).toEqual([]);
  });

  it("limits results to the StartTime/EndTime window", async () => {
    const location = testLocation("us-west-1");
    const glue = client("glue", location);
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "early" } }));
    await sleep(2100); // eventTime has one-second resolution
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "late" } }));

    const [late, early] = await lookupAll(location);
    const earlyTime = early?.EventTime;
    const lateTime = late?.EventTime;
    if (!earlyTime || !lateTime) throw new Error("expected two events with EventTime");
    expect(lateTime.getTime()).toBeGreaterThan(earlyTime.getTime());

    const ids = async (input: { StartTime?: Date; EndTime?: Date }) =>
      (await lookupAll(location, input)).map((e) => e.EventId);
    expect(await ids({ StartTime: lateTime })).toEqual([late?.EventId]);
    expect(await ids({ EndTime: earlyTime })).toEqual([early?.EventId]);
    expect(await ids({ StartTime: earlyTime, EndTime: lateTime })).toEqual([late?.EventId, early?.EventId]);
    expect(await ids({ StartTime: new Date(lateTime.getTime() + 60_000) })).toEqual([]);
    await expect(
      cloudtrail(location).send(new LookupEventsCommand({ StartTime: lateTime, EndTime: earlyTime })),
    ).rejects.toMatchObject({ name: "InvalidTimeRangeException" });
  });

  it("throttles beyond 2 requests per second per account and region", async () => {
    const location = testLocation("ca-central-1");
    const impatient = new AwsClients(allClients, { maxAttempts: 1 });
    try {
      const trail = impatient.get("cloudtrail", location);
      await sleep(1100); // a full bucket
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () => trail.send(new LookupEventsCommand({}))),
      );
      const throttled = results.filter((r) => r.status === "rejected");
      expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
      expect(results.filter((r) => r.status === "fulfilled").length).toBeLessThanOrEqual(3);
      expect(throttled.length).toBeGreaterThanOrEqual(3);
      for (const r of throttled) {
        expect(r.status === "rejected" && r.reason).toBeInstanceOf(ThrottlingException);
        expect(r.status === "rejected" && r.reason.message).toBe("Rate exceeded");
        expect(r.status === "rejected" && r.reason.$metadata.httpStatusCode).toBe(400);
      }

      // Other accounts keep their own budget; this one recovers after a second.
      const other = impatient.get("cloudtrail", testLocation("ca-central-1"));
      await expect(other.send(new LookupEventsCommand({}))).resolves.toMatchObject({ Events: [] });
      await sleep(1100);
      await expect(trail.send(new LookupEventsCommand({}))).resolves.toMatchObject({ Events: [] });
    } finally {
      impatient.destroy();
    }
  });
});
