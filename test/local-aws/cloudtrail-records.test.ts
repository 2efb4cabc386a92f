// Local CloudTrail records Glue and Lake Formation calls in CloudTrail's record format
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html)
// and serves them through the real LookupEvents API.
import {
  CreateClassifierCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  GetDatabasesCommand,
  GetTableCommand,
  type TableInput,
} from "@aws-sdk/client-glue";
import {
  DeregisterResourceCommand,
  GetDataLakeSettingsCommand,
  PutDataLakeSettingsCommand,
} from "@aws-sdk/client-lakeformation";
import { describe, expect, it } from "vitest";
import { client, testLocation } from "../support/local-aws.ts";
import {
  accessKeyOf,
  assumedRoleIdentity,
  EVENT_TIME,
  lookupAll,
  recordOf,
  UUID,
} from "./cloudtrail-support.ts";

const ordersTable: TableInput = {
  Name: "orders",
  TableType: "EXTERNAL_TABLE",
  // Map keys and string values are data: CloudTrail leaves them exactly as sent.
  Parameters: { EXTERNAL: "TRUE", classification: "csv", "skip.header.line.count": "1" },
  PartitionKeys: [{ Name: "Dt", Type: "string" }],
  StorageDescriptor: {
    Columns: [{ Name: "OrderId", Type: "bigint", Comment: "Primary Key" }],
    Location: "s3://Bucket/Sales/Orders/",
    InputFormat: "org.apache.hadoop.mapred.TextInputFormat",
    SerdeInfo: {
      SerializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
      Parameters: { "field.delim": ",", "serialization.format": "," },
    },
  },
};

// The same table in CloudTrail's casing: structure members' first letter lowercased, data untouched.
const ordersTableInCloudTrail = {
  name: "orders",
  tableType: "EXTERNAL_TABLE",
  parameters: { EXTERNAL: "TRUE", classification: "csv", "skip.header.line.count": "1" },
  partitionKeys: [{ name: "Dt", type: "string" }],
  storageDescriptor: {
    columns: [{ name: "OrderId", type: "bigint", comment: "Primary Key" }],
    location: "s3://Bucket/Sales/Orders/",
    inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
    serdeInfo: {
      serializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
      parameters: { "field.delim": ",", "serialization.format": "," },
    },
  },
};

describe("local CloudTrail records", () => {
  it("records Glue writes, failed writes and reads with CloudTrail's fields", async () => {
    const location = testLocation("eu-west-1");
    const glue = client("glue", location);
    const accessKeyId = await accessKeyOf(location);
    const { account } = location;

    const createdDb = await glue.send(
      new CreateDatabaseCommand({ DatabaseInput: { Name: "sales", Parameters: { Owner: "Team-A" } } }),
    );
    const createdTable = await glue.send(
      new CreateTableCommand({ DatabaseName: "sales", TableInput: ordersTable }),
    );
    const failure = await glue
      .send(new CreateTableCommand({ DatabaseName: "missing", TableInput: { Name: "orders" } }))
      .then(
        () => undefined,
        (error: Error) => error,
      );
    expect(failure?.name).toBe("EntityNotFoundException");
    const read = await glue.send(new GetTableCommand({ DatabaseName: "sales", Name: "orders" }));
    await glue.send(new GetDatabasesCommand({}));

    const events = await lookupAll(location);
    expect(events.map((e) => e.EventName)).toEqual([
      "GetDatabases",
      "GetTable",
      "CreateTable",
      "CreateTable",
      "CreateDatabase",
    ]);
    const [listed, gotTable, failedCreate, created, createdDatabase] = events.map(recordOf);

    const identity = assumedRoleIdentity(account, accessKeyId);
    const common = {
      eventVersion: "1.08",
      userIdentity: identity,
      eventTime: expect.stringMatching(EVENT_TIME),
      eventSource: "glue.amazonaws.com",
      awsRegion: "eu-west-1",
      sourceIPAddress: "127.0.0.1",
      userAgent: expect.stringContaining("aws-sdk-js"),
      eventID: expect.stringMatching(UUID),
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: "Management",
    };

    expect(created).toEqual({
      ...common,
      eventName: "CreateTable",
      requestParameters: { databaseName: "sales", tableInput: ordersTableInCloudTrail },
      responseElements: null,
      requestID: createdTable.$metadata.requestId,
      readOnly: false,
      resources: [
        {
          ARN: `arn:aws:glue:eu-west-1:${account}:table/sales/orders`,
          accountId: account,
          type: "AWS::Glue::Table",
        },
      ],
    });

    expect(createdDatabase).toEqual({
      ...common,
      eventName: "CreateDatabase",
      requestParameters: { databaseInput: { name: "sales", parameters: { Owner: "Team-A" } } },
      responseElements: null,
      requestID: createdDb.$metadata.requestId,
      readOnly: false,
      resources: [
        {
          ARN: `arn:aws:glue:eu-west-1:${account}:database/sales`,
          accountId: account,
          type: "AWS::Glue::Database",
        },
      ],
    });

    expect(failedCreate).toEqual({
      ...common,
      eventName: "CreateTable",
      errorCode: "EntityNotFoundException",
      errorMessage: failure?.message,
      requestParameters: { databaseName: "missing", tableInput: { name: "orders" } },
      responseElements: null,
      requestID: expect.any(String),
      readOnly: false,
      resources: [
        {
          ARN: `arn:aws:glue:eu-west-1:${account}:table/missing/orders`,
          accountId: account,
          type: "AWS::Glue::Table",
        },
      ],
    });

    // Reads: readOnly, responseElements in CloudTrail's casing, no resources.
    expect(gotTable).toMatchObject({ ...common, eventName: "GetTable", readOnly: true });
    expect(gotTable).not.toHaveProperty("resources");
    expect(gotTable?.requestParameters).toEqual({ databaseName: "sales", name: "orders" });
    expect(gotTable?.requestID).toBe(read.$metadata.requestId);
    expect(gotTable?.responseElements).toMatchObject({
      table: {
        name: "orders",
        databaseName: "sales",
        parameters: ordersTableInCloudTrail.parameters,
        partitionKeys: ordersTableInCloudTrail.partitionKeys,
        storageDescriptor: ordersTableInCloudTrail.storageDescriptor,
      },
    });
    // A call without parameters has null requestParameters, as on CloudTrail.
    expect(listed).toMatchObject({ eventName: "GetDatabases", readOnly: true, requestParameters: null });

    // The LookupEvents envelope agrees with the record it carries.
    for (const event of events) {
      const record = recordOf(event);
      expect(event).toMatchObject({
        EventId: record.eventID,
        EventName: record.eventName,
        ReadOnly: String(record.readOnly),
        AccessKeyId: accessKeyId,
        EventSource: "glue.amazonaws.com",
        Username: "lakesync",
      });
      expect(event.EventTime?.toISOString().replace(".000Z", "Z")).toBe(record.eventTime);
    }
    expect(events[2]?.Resources).toEqual([
      {
        ResourceType: "AWS::Glue::Table",
        ResourceName: `arn:aws:glue:eu-west-1:${account}:table/missing/orders`,
      },
    ]);
    expect(new Set(events.map((e) => e.EventId)).size).toBe(events.length);
  });

  it("records Lake Formation calls (restJson1) with map keys untouched", async () => {
    const location = testLocation("us-east-2");
    const lakeformation = client("lakeformation", location);
    const { account } = location;
    const admin = `arn:aws:iam::${account}:role/DataLakeAdmin`;

    await lakeformation.send(
      new PutDataLakeSettingsCommand({
        DataLakeSettings: {
          DataLakeAdmins: [{ DataLakePrincipalIdentifier: admin }],
          Parameters: { CROSS_ACCOUNT_VERSION: "4", SET_CONTEXT: "TRUE" },
        },
      }),
    );
    const settings = await lakeformation.send(new GetDataLakeSettingsCommand({}));
    const failure = await lakeformation
      .send(new DeregisterResourceCommand({ ResourceArn: "arn:aws:s3:::never-registered" }))
      .then(
        () => undefined,
        (error: Error) => error,
      );
    expect(failure?.name).toBe("EntityNotFoundException");

    const [deregister, get, put] = (await lookupAll(location)).map(recordOf);
    expect(put).toMatchObject({
      eventSource: "lakeformation.amazonaws.com",
      eventName: "PutDataLakeSettings",
      awsRegion: "us-east-2",
      recipientAccountId: account,
      readOnly: false,
      requestParameters: {
        dataLakeSettings: {
          dataLakeAdmins: [{ dataLakePrincipalIdentifier: admin }],
          parameters: { CROSS_ACCOUNT_VERSION: "4", SET_CONTEXT: "TRUE" },
        },
      },
      responseElements: null,
    });
    expect(put).not.toHaveProperty("errorCode");
    expect(get).toMatchObject({
      eventName: "GetDataLakeSettings",
      readOnly: true,
      requestParameters: null,
      responseElements: {
        dataLakeSettings: {
          dataLakeAdmins: settings.DataLakeSettings?.DataLakeAdmins?.map((a) => ({
            dataLakePrincipalIdentifier: a.DataLakePrincipalIdentifier,
          })),
        },
      },
    });
    expect(deregister).toMatchObject({
      eventSource: "lakeformation.amazonaws.com",
      eventName: "DeregisterResource",
      readOnly: false,
      errorCode: "EntityNotFoundException",
      errorMessage: failure?.message,
      requestParameters: { resourceArn: "arn:aws:s3:::never-registered" },
      responseElements: null,
    });
  });

  it("records calls that moto fails with a server error", async () => {
    const location = testLocation("us-east-1");
    // moto does not implement CreateClassifier: the caller sees a 500, CloudTrail still logs the call.
    const failure = await client("glue", location)
      .send(new CreateClassifierCommand({ CsvClassifier: { Name: "Csv", Delimiter: "," } }))
      .then(
        () => undefined,
        (error: { $metadata?: { httpStatusCode?: number } }) => error,
      );
    expect(failure?.$metadata?.httpStatusCode).toBe(500);

    const [record] = (await lookupAll(location)).map(recordOf);
    expect(record).toMatchObject({
      eventName: "CreateClassifier",
      errorCode: "InternalFailure",
      requestParameters: { csvClassifier: { name: "Csv", delimiter: "," } },
      responseElements: null,
      readOnly: false,
    });
  });

  it("omits requestParameters and responseElements larger than 100 KB, marking them omitted", async () => {
    const location = testLocation("us-east-1");
    const glue = client("glue", location);
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "big" } }));
    const table = (name: string, bytes: number): TableInput => ({
      Name: name,
      Parameters: { comment: "x".repeat(bytes) },
    });
    await glue.send(new CreateTableCommand({ DatabaseName: "big", TableInput: table("huge", 110 * 1024) }));
    await glue.send(new GetTableCommand({ DatabaseName: "big", Name: "huge" }));
    await glue.send(new CreateTableCommand({ DatabaseName: "big", TableInput: table("fits", 90 * 1024) }));

    const [createFits, getHuge, createHuge] = (await lookupAll(location)).map(recordOf);
    // Documented: a truncated field carries `omitted: true`; the reason text is what AWS writes.
    expect(createHuge?.requestParameters).toEqual({ omitted: true, reason: "requestParameters too large" });
    expect(getHuge?.requestParameters).toEqual({ databaseName: "big", name: "huge" });
    expect(getHuge?.responseElements).toEqual({ omitted: true, reason: "responseElements too large" });
    expect(createFits?.requestParameters).toEqual({
      databaseName: "big",
      tableInput: { name: "fits", parameters: { comment: "x".repeat(90 * 1024) } },
    });
  });

  it("keeps each account's and region's history apart", async () => {
    const a = testLocation("us-east-1");
    const b = testLocation("us-east-1");
    const aWest = { ...a, region: "us-west-2" };
    await client("glue", a).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "in_a" } }));
    await client("glue", b).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "in_b" } }));
    await client("glue", aWest).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "in_a_west" } }));

    const seen = async (location: typeof a) =>
      (await lookupAll(location)).map(recordOf).map((r) => ({
        db: (r.requestParameters as { databaseInput: { name: string } }).databaseInput.name,
        account: r.recipientAccountId,
        region: r.awsRegion,
      }));
    expect(await seen(a)).toEqual([{ db: "in_a", account: a.account, region: "us-east-1" }]);
    expect(await seen(b)).toEqual([{ db: "in_b", account: b.account, region: "us-east-1" }]);
    expect(await seen(aWest)).toEqual([{ db: "in_a_west", account: a.account, region: "us-west-2" }]);
  });
});
