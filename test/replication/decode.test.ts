// Decoding: the four wire forms of a CloudTrail record, typed errors naming the bad field,
// schema-aware casing (only structure members renamed), timestamps, and the decisions taken
// before planning: failed/read-only calls ignored, other events unsupported, omitted parameters
// re-read from the source.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { supportedEvents } from "../../modules/replication/change.ts";
import { CloudTrailInputError, parseCloudTrailInput } from "../../modules/replication/cloudtrail-record.ts";
import { generate, modelOperations } from "../../modules/replication/model/generate.ts";
import { fromResources, toChange, UnrecoverableEventError } from "../../modules/replication/to-change.ts";
import {
  parseCloudTrailTime,
  TranslateError,
  translateRequest,
} from "../../modules/replication/translate.ts";
import { fixture, plan, rawFixture, SRC } from "./fixtures.ts";

describe("parseCloudTrailInput accepts every form the record arrives in", () => {
  const record = rawFixture("CreateTable");

  it("a bare record, as an object or as JSON text", () => {
    expect(parseCloudTrailInput(record)[0]!.eventID).toBe(record.eventID);
    expect(parseCloudTrailInput(JSON.stringify(record))[0]!.eventName).toBe("CreateTable");
  });

  it("an EventBridge envelope", () => {
    const envelope = {
      version: "0",
      "detail-type": "AWS API Call via CloudTrail",
      source: "aws.glue",
      detail: record,
    };
    expect(parseCloudTrailInput(envelope)[0]!.eventID).toBe(record.eventID);
  });

  it("an EventBridge envelope whose detail lacks recipientAccountId takes the envelope's account", () => {
    const { recipientAccountId: _, ...detail } = record;
    const envelope = { "detail-type": "AWS API Call via CloudTrail", account: "111111111111", detail };
    expect(parseCloudTrailInput(envelope)[0]!.recipientAccountId).toBe("111111111111");
  });

  it("a LookupEvents event, whose CloudTrailEvent is a JSON string", () => {
    const event = {
      EventId: record.eventID,
      EventName: "CreateTable",
      CloudTrailEvent: JSON.stringify(record),
    };
    expect(parseCloudTrailInput(event)[0]!.eventName).toBe("CreateTable");
  });

  it("a CloudTrail log file gives every record, in order", () => {
    const second = rawFixture("DeleteTable");
    const records = parseCloudTrailInput({ Records: [record, second] });
    expect(records.map((r) => r.eventName)).toEqual(["CreateTable", "DeleteTable"]);
  });

  it.each<[string, unknown, string]>([
    ["a record without eventName", { ...record, eventName: undefined }, "eventName"],
    ["a bad account id", { ...record, recipientAccountId: "12" }, "recipientAccountId"],
    [
      "a bad record inside a log file",
      { Records: [record, { ...record, eventTime: "yesterday" }] },
      "Records.1.eventTime",
    ],
    [
      "an envelope of another detail-type",
      { "detail-type": "Object Created", detail: record },
      "detail-type",
    ],
    ["a LookupEvents event with an object", { CloudTrailEvent: record }, "CloudTrailEvent"],
    [
      "an envelope with a bad record",
      { "detail-type": "AWS API Call via CloudTrail", detail: { ...record, eventID: "" } },
      "detail.eventID",
    ],
  ])("rejects %s, naming the field", (_, input, field) => {
    let caught: unknown;
    try {
      parseCloudTrailInput(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CloudTrailInputError);
    expect((caught as CloudTrailInputError).field).toBe(field);
    expect((caught as Error).message).toContain(field);
  });

  it("rejects text that is not JSON", () => {
    expect(() => parseCloudTrailInput("{not json")).toThrow(CloudTrailInputError);
  });
});

describe("translation walks the service model", () => {
  it("renames structure members only: map keys, column names and tag values keep their spelling", () => {
    const input = translateRequest("glue", "CreateTable", {
      databaseName: "sales",
      tableInput: {
        name: "t",
        storageDescriptor: {
          columns: [{ name: "Id", type: "int" }],
          bucketColumns: ["name", "type"],
          serdeInfo: { parameters: { comment: "c", location: "l", "serialization.format": "1" } },
        },
        parameters: { EXTERNAL: "TRUE", Comment: "x" },
      },
    });
    expect(input).toEqual({
      DatabaseName: "sales",
      TableInput: {
        Name: "t",
        StorageDescriptor: {
          Columns: [{ Name: "Id", Type: "int" }],
          BucketColumns: ["name", "type"],
          SerdeInfo: { Parameters: { comment: "c", location: "l", "serialization.format": "1" } },
        },
        Parameters: { EXTERNAL: "TRUE", Comment: "x" },
      },
    });
    expect(
      translateRequest("lakeformation", "CreateLFTag", {
        tagKey: "owner",
        tagValues: ["owner", "Name", "type"],
      }),
    ).toEqual({ TagKey: "owner", TagValues: ["owner", "Name", "type"] });
  });

  it("handles members whose model name starts with two capitals (lFTags -> LFTags)", () => {
    const input = translateRequest("lakeformation", "RemoveLFTagsFromResource", {
      resource: { lFTag: { tagKey: "k", tagValues: ["v"] } },
      lFTags: [{ tagKey: "k", tagValues: ["v"] }],
    });
    expect(input).toEqual({
      Resource: { LFTag: { TagKey: "k", TagValues: ["v"] } },
      LFTags: [{ TagKey: "k", TagValues: ["v"] }],
    });
  });

  it("members the seed's alias map missed are translated (viewOriginalText, roleArn, readOnlyAdmins, hybridAccessEnabled)", () => {
    expect(
      translateRequest("glue", "UpdateTable", {
        databaseName: "d",
        tableInput: { name: "v", viewOriginalText: "/* Presto View */", tableType: "VIRTUAL_VIEW" },
      }),
    ).toEqual({
      DatabaseName: "d",
      TableInput: { Name: "v", ViewOriginalText: "/* Presto View */", TableType: "VIRTUAL_VIEW" },
    });
    expect(
      translateRequest("lakeformation", "RegisterResource", {
        resourceArn: "arn:aws:s3:::b",
        roleArn: "arn:aws:iam::111111111111:role/r",
        hybridAccessEnabled: true,
      }),
    ).toEqual({
      ResourceArn: "arn:aws:s3:::b",
      RoleArn: "arn:aws:iam::111111111111:role/r",
      HybridAccessEnabled: true,
    });
  });

  it("an unknown member is an error naming its path", () => {
    const call = () =>
      translateRequest("glue", "CreateTable", {
        databaseName: "sales",
        tableInput: { name: "t", storageDescriptor: { locaton: "s3://x/" } },
      });
    expect(call).toThrow(TranslateError);
    expect(call).toThrow(
      "requestParameters.tableInput.storageDescriptor.locaton: unknown member of StorageDescriptor",
    );
  });

  it("a missing required member and a wrongly typed value are errors naming the path", () => {
    expect(() => translateRequest("glue", "DeleteTable", { databaseName: "d" })).toThrow(
      "requestParameters.name",
    );
    expect(() => translateRequest("glue", "DeleteTable", { databaseName: "d", name: 7 })).toThrow(
      "requestParameters.name: expected a string",
    );
  });

  it.each([
    ["Nov 22, 2026 10:00:00 AM", "2026-11-22T10:00:00.000Z"],
    ["Nov 22, 2026 12:05:09 AM", "2026-11-22T00:05:09.000Z"],
    ["Jan 3, 2026 1:02:03 PM", "2026-01-03T13:02:03.000Z"],
    ["Nov 22, 2026, 10:00:00\u202fPM", "2026-11-22T22:00:00.000Z"],
    ["2026-11-22T10:00:00Z", "2026-11-22T10:00:00.000Z"],
    [1795341600, "2026-11-22T10:00:00.000Z"],
  ])("the CloudTrail timestamp %s becomes the Date %s", (value, iso) => {
    expect(parseCloudTrailTime(value, "t").toISOString()).toBe(iso);
  });

  it("an unreadable timestamp is an error", () => {
    expect(() => parseCloudTrailTime("last tuesday", "requestParameters.tableInput.lastAccessTime")).toThrow(
      "requestParameters.tableInput.lastAccessTime",
    );
  });
});

describe("what is replicated", () => {
  it("exactly these 28 events (the seed's 16 + 12 more)", () => {
    expect([...supportedEvents].sort()).toEqual(
      [
        "AddLFTagsToResource",
        "BatchCreatePartition",
        "BatchDeletePartition",
        "BatchDeleteTable",
        "BatchGrantPermissions",
        "BatchRevokePermissions",
        "BatchUpdatePartition",
        "CreateDataCellsFilter",
        "CreateDatabase",
        "CreateLFTag",
        "CreatePartition",
        "CreateTable",
        "DeleteDataCellsFilter",
        "DeleteDatabase",
        "DeleteLFTag",
        "DeletePartition",
        "DeleteTable",
        "DeregisterResource",
        "GrantPermissions",
        "PutDataLakeSettings",
        "RegisterResource",
        "RemoveLFTagsFromResource",
        "RevokePermissions",
        "UpdateDataCellsFilter",
        "UpdateDatabase",
        "UpdateLFTag",
        "UpdatePartition",
        "UpdateTable",
      ].sort(),
    );
  });

  it("a failed source call is ignored with its error code", () => {
    const record = fixture("CreateTable", (raw) => {
      raw.errorCode = "AlreadyExistsException";
      raw.errorMessage = "Table already exists.";
    });
    expect(plan(record)).toEqual({
      outcome: "ignore",
      reason: "the source call failed (AlreadyExistsException); nothing changed",
      operations: [],
    });
  });

  it("a read-only event is ignored; another write is unsupported with its name", () => {
    expect(plan(fixture("CreateTable", (raw) => (raw.readOnly = true))).outcome).toBe("ignore");
    const other = fixture("CreateTable", (raw) => (raw.eventName = "CreateConnection"));
    expect(plan(other)).toEqual({
      outcome: "unsupported",
      reason: "glue.amazonaws.com CreateConnection is not replicated",
      operations: [],
    });
    const lfOnGlue = fixture("CreateTable", (raw) => (raw.eventName = "GrantPermissions"));
    expect(plan(lfOnGlue).outcome).toBe("unsupported");
  });

  it("a read API is ignored like a failed call, with or without readOnly, whatever its service", () => {
    const read = (eventName: string, patch: (raw: Record<string, unknown>) => void = () => {}) =>
      plan(
        fixture("CreateTable", (raw) => {
          raw.eventName = eventName;
          raw.requestParameters = { databaseName: "sales", name: "orders" };
          delete raw.readOnly;
          patch(raw);
        }),
      );
    expect(read("GetTable", (raw) => (raw.readOnly = true))).toEqual({
      outcome: "ignore",
      reason: "GetTable is a read-only event",
      operations: [],
    });
    for (const name of ["GetTable", "GetPartitions", "ListLFTags", "DescribeResource", "SearchTables"]) {
      expect([name, read(name).outcome]).toEqual([name, "ignore"]);
    }
    const lfRead = read("GetDataLakeSettings", (raw) => (raw.eventSource = "lakeformation.amazonaws.com"));
    expect(lfRead.outcome).toBe("ignore");
    const failedUnsupported = read("CreateConnection", (raw) => (raw.errorCode = "AccessDenied"));
    expect(failedUnsupported.outcome).toBe("ignore");
  });

  it("an unknown member fails the event instead of dropping the member", () => {
    const record = fixture("CreateDatabase", (raw) => {
      (raw.requestParameters as { databaseInput: Record<string, unknown> }).databaseInput.federatedDb = {};
    });
    expect(() => toChange(record)).toThrow("requestParameters.databaseInput.federatedDb");
  });
});

describe("omitted request parameters become source reads (refetch)", () => {
  const source = { name: "source", account: SRC, region: "us-east-1" };

  it("CreateTable with an omitted tableInput re-reads the table from the source", () => {
    const record = fixture("CreateTable", (raw) => {
      raw.requestParameters = {
        databaseName: "sales",
        tableInput: { omitted: true, originalSize: 131072 },
      };
      raw.resources = [{ ARN: `arn:aws:glue:us-east-1:${SRC}:table/sales/orders`, type: "AWS::Glue::Table" }];
    });
    const result = plan(record);
    expect(result.outcome).toBe("refetch");
    expect(result.operations).toEqual([
      {
        target: source,
        service: "glue",
        operation: "GetTable",
        input: { DatabaseName: "sales", Name: "orders" },
        resourceKey: `table:${SRC}/sales/orders`,
        idempotency: "read",
        phase: 3,
        sourceTime: record.eventTime.replace("Z", ".000Z"),
        description: "read table sales.orders",
      },
    ]);
  });

  it("null requestParameters use the resources[] ARNs; partitions without values re-read the table's partitions", () => {
    const record = fixture("BatchCreatePartition", (raw) => {
      raw.requestParameters = null;
      raw.resources = [{ ARN: `arn:aws:glue:us-east-1:${SRC}:table/sales/orders` }];
    });
    expect(plan(record).operations.map((op) => [op.operation, op.input])).toEqual([
      ["GetPartitions", { DatabaseName: "sales", TableName: "orders" }],
    ]);
  });

  it("data lake settings, LF tags, data cells filters and databases each have their read", () => {
    const omit = (eventName: string, requestParameters: unknown) =>
      plan(fixture(eventName, (raw) => (raw.requestParameters = requestParameters))).operations.map((op) => [
        op.service,
        op.operation,
        op.input,
      ]);
    expect(omit("PutDataLakeSettings", { dataLakeSettings: { omitted: true } })).toEqual([
      ["lakeformation", "GetDataLakeSettings", {}],
    ]);
    expect(omit("CreateLFTag", { tagKey: "Domain", tagValues: { omitted: "true" } })).toEqual([
      ["lakeformation", "GetLFTag", { TagKey: "Domain" }],
    ]);
    expect(
      omit("CreateDataCellsFilter", {
        tableData: {
          databaseName: "sales",
          tableName: "orders",
          name: "EuOnly",
          rowFilter: { omitted: true },
        },
      }),
    ).toEqual([
      [
        "lakeformation",
        "GetDataCellsFilter",
        { TableCatalogId: SRC, DatabaseName: "sales", TableName: "orders", Name: "EuOnly" },
      ],
    ]);
    expect(
      omit("UpdateDatabase", { catalogId: SRC, name: "sales", databaseInput: { omitted: true } }),
    ).toEqual([["glue", "GetDatabase", { CatalogId: SRC, Name: "sales" }]]);
  });

  const glueArn = (resource: string) => `arn:aws:glue:us-east-1:${SRC}:${resource}`;
  const catalogDatabaseTable = [
    { ARN: glueArn("catalog"), type: "AWS::Glue::Catalog" },
    { ARN: glueArn("database/sales"), type: "AWS::Glue::Database" },
    { ARN: glueArn("table/sales/orders"), type: "AWS::Glue::Table" },
  ];

  it("an omitted CreateTable or UpdateTable re-reads the table named by the table ARN, after the catalog and database ARNs", () => {
    for (const eventName of ["CreateTable", "UpdateTable"]) {
      const record = fixture(eventName, (raw) => {
        raw.requestParameters = { omitted: true, originalSize: 204800 };
        raw.resources = catalogDatabaseTable;
      });
      const result = plan(record);
      expect(result.outcome).toBe("refetch");
      expect(result.operations.map((op) => [op.operation, op.input, op.resourceKey])).toEqual([
        ["GetTable", { DatabaseName: "sales", Name: "orders" }, `table:${SRC}/sales/orders`],
      ]);
    }
  });

  it("the most specific Glue ARN names the object, in any order of resources[]", () => {
    const others = [
      { ARN: `arn:aws:s3:::lake-east/sales/`, type: "AWS::S3::Object" },
      { ARN: `arn:aws:lakeformation:us-east-1:${SRC}:catalog:${SRC}` },
      { type: "AWS::Glue::Table" },
    ];
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...catalogDatabaseTable, ...others], { minLength: 6 }),
        (resources) => {
          expect(fromResources({ resources })).toEqual({ database: "sales", table: "orders" });
        },
      ),
    );
    const withoutTable = catalogDatabaseTable.slice(0, 2);
    expect(fromResources({ resources: [...withoutTable].reverse() })).toEqual({ database: "sales" });
    expect(fromResources({ resources: [catalogDatabaseTable[0]!] })).toEqual({});
    expect(fromResources({})).toEqual({});
  });

  it("requestParameters carrying only the truncation markers are omitted, whichever markers", () => {
    for (const requestParameters of [
      { omitted: true, originalSize: 204800 },
      { omitted: "true", reason: "requestParameters too large" },
      { reason: "requestParameters too large", originalSize: 204800 },
      { originalSize: 204800 },
    ]) {
      const record = fixture("UpdateDatabase", (raw) => {
        raw.requestParameters = requestParameters;
        raw.resources = catalogDatabaseTable.slice(0, 2);
      });
      expect([requestParameters, plan(record).operations.map((op) => [op.operation, op.input])]).toEqual([
        requestParameters,
        [["GetDatabase", { Name: "sales" }]],
      ]);
    }
  });

  it("a map entry that merely looks like a marker is data, not an omission", () => {
    const record = fixture("CreateTable", (raw) => {
      const rp = raw.requestParameters as { tableInput: { parameters: Record<string, string> } };
      rp.tableInput.parameters = { omitted: "true", classification: "csv" };
    });
    expect(plan(record).outcome).toBe("apply");
  });

  it("an omitted delete or grant cannot be re-read: the event fails with a clear error", () => {
    const record = fixture("BatchGrantPermissions", (raw) => (raw.requestParameters = null));
    expect(() => toChange(record)).toThrow(UnrecoverableEventError);
    expect(() => toChange(record)).toThrow("no source read that recovers it");
  });
});

describe("the committed shape models", () => {
  const botocore = fileURLToPath(
    new URL("../../.venv/lib/python3.11/site-packages/botocore/data", import.meta.url),
  );

  it.each(["glue", "lakeformation"] as const)(
    "%s matches botocore's service model (regenerate with model/generate.ts)",
    (service) => {
      const committed = JSON.parse(
        readFileSync(
          fileURLToPath(new URL(`../../modules/replication/model/${service}.json`, import.meta.url)),
          "utf8",
        ),
      );
      expect(generate(service, botocore)).toEqual(committed);
    },
  );

  it("covers exactly the replicated events", () => {
    expect([...modelOperations.glue, ...modelOperations.lakeformation].sort()).toEqual(
      [...supportedEvents].sort(),
    );
  });
});
