// The Snowflake sync handler in-process: Glue on local AWS, key from Secrets Manager, alerts on SNS,
// statements to the local SQL API server (which verifies each JWT with the public key).
import {
  BatchDeleteTableCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  DeleteTableCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-glue";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { client, testLocation } from "../support/local-aws.ts";
import { type LocalSqlApi, startLocalSqlApi } from "../support/snowflake-sql-api.ts";
import { alertTopic, buildHandler, createKeySecret, sqsEvent } from "./harness.ts";
import { pemBodyLines, testKeyPair } from "./keys.ts";
import { parseSnowflake } from "./sqlglot.ts";

const keys = testKeyPair();
const location = testLocation();
const glue = client("glue", location);
const stages = { "sales.public.lake": "s3://lake-bucket/" };

const tableInput = (columns: Array<{ Name: string; Type: string }>) => ({
  Name: "orders",
  TableType: "EXTERNAL_TABLE",
  Parameters: { classification: "json" },
  PartitionKeys: [{ Name: "dt", Type: "date" }],
  StorageDescriptor: {
    Columns: columns,
    Location: "s3://lake-bucket/orders/",
    SerdeInfo: { SerializationLibrary: "org.openx.data.jsonserde.JsonSerDe" },
  },
});
const baseColumns = [
  { Name: "id", Type: "bigint" },
  { Name: "total", Type: "decimal(10,2)" },
];

/** A scripted answer to the INFORMATION_SCHEMA.COLUMNS query: name, type, precision, scale. */
const informationSchema = (...columns: string[][]) => ({
  kind: "rows" as const,
  columns: [
    "COLUMN_NAME",
    "DATA_TYPE",
    "NUMERIC_PRECISION",
    "NUMERIC_SCALE",
    "CHARACTER_MAXIMUM_LENGTH",
    "COMMENT",
  ],
  data: columns.map(([name, type, precision, scale]) => [
    name!,
    type!,
    precision ?? null,
    scale ?? null,
    null,
    null,
  ]),
});

let api: LocalSqlApi;
let secretArn: string;
let alerts: Awaited<ReturnType<typeof alertTopic>>;

beforeAll(async () => {
  api = await startLocalSqlApi({ account: "XY12345", user: "sync_user", publicKey: keys.publicKey });
  secretArn = await createKeySecret(location, keys.privatePem);
  alerts = await alertTopic(location);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "sales__public" } }));
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "scratch" } }));
});
afterAll(() => api.close());
afterEach(() => {
  api.executed.length = 0;
  vi.restoreAllMocks();
});

describe("snowflake-sync handler", () => {
  it("creates, alters and drops the external table as Glue changes", async () => {
    const handler = buildHandler({
      location,
      api,
      secretArn,
      topicArn: alerts.topicArn,
      settings: { stages, dropOnDelete: true },
    });

    await glue.send(
      new CreateTableCommand({ DatabaseName: "sales__public", TableInput: tableInput(baseColumns) }),
    );
    const created = await handler(
      sqsEvent(location, [
        {
          eventName: "CreateTable",
          requestParameters: { databaseName: "sales__public", tableInput: { name: "orders" } },
        },
      ]),
    );
    expect(created.batchItemFailures).toEqual([]);
    const [create] = await parseSnowflake(api.executed.map((s) => s.statement));
    expect(create).toMatchObject({
      type: "Create",
      name: ["sales", "public", "orders"],
      properties: {
        LocationProperty: "@sales.public.lake/orders/",
        PartitionedByProperty: ["dt"],
        FileFormatProperty: { TYPE: "JSON" },
      },
    });
    expect(api.executed[0]).toMatchObject({
      database: "sales",
      schema: "public",
      warehouse: "SYNC_WH",
      role: "SYNC_ROLE",
    });

    api.executed.length = 0;
    await glue.send(
      new UpdateTableCommand({
        DatabaseName: "sales__public",
        TableInput: tableInput([...baseColumns, { Name: "channel", Type: "string" }]),
      }),
    );
    // The handler asks Snowflake which columns the table has, then adds the missing one.
    api.script(
      informationSchema(
        ["VALUE", "VARIANT"],
        ["ID", "NUMBER", "19", "0"],
        ["TOTAL", "NUMBER", "10", "2"],
        ["DT", "DATE"],
      ),
    );
    await handler(
      sqsEvent(location, [
        {
          eventName: "UpdateTable",
          requestParameters: { databaseName: "sales__public", tableInput: { name: "orders" } },
        },
      ]),
    );
    expect(api.executed[0]?.statement).toBe(
      "SELECT column_name, data_type, numeric_precision, numeric_scale, character_maximum_length, comment " +
        "FROM sales.INFORMATION_SCHEMA.COLUMNS WHERE table_schema = 'PUBLIC' AND table_name = 'ORDERS' " +
        "ORDER BY ordinal_position",
    );
    expect(await parseSnowflake(api.executed.slice(1).map((s) => s.statement))).toMatchObject([
      {
        type: "Alter",
        name: ["sales", "public", "orders"],
        actions: [{ action: "ADD_COLUMN", name: "channel", type: "VARCHAR" }],
      },
    ]);

    api.executed.length = 0;
    await glue.send(new DeleteTableCommand({ DatabaseName: "sales__public", Name: "orders" }));
    await handler(
      sqsEvent(location, [
        { eventName: "DeleteTable", requestParameters: { databaseName: "sales__public", name: "orders" } },
      ]),
    );
    expect(await parseSnowflake(api.executed.map((s) => s.statement))).toEqual([
      { type: "Drop", kind: "EXTERNAL TABLE", exists: true, name: ["sales", "public", "orders"] },
    ]);
  });

  it("creates the table instead when Snowflake says the altered table does not exist", async () => {
    const handler = buildHandler({
      location,
      api,
      secretArn,
      topicArn: alerts.topicArn,
      settings: { stages },
    });
    const input = { ...tableInput(baseColumns), Name: "returns" };
    await glue.send(new CreateTableCommand({ DatabaseName: "sales__public", TableInput: input }));
    await glue.send(
      new UpdateTableCommand({
        DatabaseName: "sales__public",
        TableInput: {
          ...input,
          StorageDescriptor: {
            ...input.StorageDescriptor,
            Columns: [...baseColumns, { Name: "reason", Type: "string" }],
          },
        },
      }),
    );
    // INFORMATION_SCHEMA still listed the table, but it is gone by the time the ALTER runs.
    api.script(
      informationSchema(
        ["VALUE", "VARIANT"],
        ["ID", "NUMBER", "19", "0"],
        ["TOTAL", "NUMBER", "10", "2"],
        ["DT", "DATE"],
      ),
      {
        kind: "error",
        code: "002003",
        sqlState: "42S02",
        message: "SQL compilation error: Table 'SALES.PUBLIC.RETURNS' does not exist or not authorized.",
      },
    );
    const result = await handler(
      sqsEvent(location, [
        {
          eventName: "UpdateTable",
          requestParameters: { databaseName: "sales__public", tableInput: { name: "returns" } },
        },
      ]),
    );
    expect(result.batchItemFailures).toEqual([]);
    // executed: the INFORMATION_SCHEMA query, then the CREATE (the failed ALTER never ran).
    const parsed = await parseSnowflake(api.executed.slice(1).map((s) => s.statement));
    expect(parsed).toMatchObject([{ type: "Create", replace: true, name: ["sales", "public", "returns"] }]);
    expect(parsed[0]?.columns?.map((c) => c.name)).toEqual(["id", "total", "reason", "dt"]);
  });

  it("diffs an UpdateTable against Snowflake's columns, and replaces when it cannot read them", async () => {
    const handler = buildHandler({
      location,
      api,
      secretArn,
      topicArn: alerts.topicArn,
      settings: { stages },
    });
    const input = { ...tableInput(baseColumns), Name: "shipments" };
    await glue.send(new CreateTableCommand({ DatabaseName: "sales__public", TableInput: input }));
    const withColumns = (columns: typeof baseColumns) =>
      new UpdateTableCommand({
        DatabaseName: "sales__public",
        TableInput: { ...input, StorageDescriptor: { ...input.StorageDescriptor, Columns: columns } },
      });
    // Two updates in Glue (add carrier, then add eta), but only the second event arrives so far:
    // Glue's previous version already has carrier; Snowflake does not.
    await glue.send(withColumns([...baseColumns, { Name: "carrier", Type: "string" }]));
    await glue.send(
      withColumns([...baseColumns, { Name: "carrier", Type: "string" }, { Name: "eta", Type: "date" }]),
    );
    const update = sqsEvent(location, [
      {
        eventName: "UpdateTable",
        requestParameters: { databaseName: "sales__public", tableInput: { name: "shipments" } },
      },
    ]);
    api.script(
      informationSchema(
        ["VALUE", "VARIANT"],
        ["ID", "NUMBER", "19", "0"],
        ["TOTAL", "NUMBER", "10", "2"],
        ["DT", "DATE"],
      ),
    );
    expect((await handler(update)).batchItemFailures).toEqual([]);
    expect(await parseSnowflake(api.executed.slice(1).map((s) => s.statement))).toMatchObject([
      { type: "Alter", actions: [{ action: "ADD_COLUMN", name: "carrier" }] },
      { type: "Alter", actions: [{ action: "ADD_COLUMN", name: "eta", type: "DATE" }] },
    ]);

    // The read fails (no privilege on INFORMATION_SCHEMA): CREATE OR REPLACE … COPY GRANTS instead.
    api.executed.length = 0;
    api.script({ kind: "error", code: "003001", sqlState: "42501", message: "Insufficient privileges" });
    expect((await handler(update)).batchItemFailures).toEqual([]);
    const parsed = await parseSnowflake(api.executed.map((s) => s.statement));
    expect(parsed).toMatchObject([
      { type: "Create", replace: true, properties: { CopyGrantsProperty: true } },
    ]);
    expect(parsed[0]?.columns?.map((c) => c.name)).toEqual(["id", "total", "carrier", "eta", "dt"]);
  });

  it("drops every table a BatchDeleteTable deleted, one statement each, and only with dropOnDelete", async () => {
    for (const name of ["b1", "b2", "b3"]) {
      await glue.send(
        new CreateTableCommand({
          DatabaseName: "sales__public",
          TableInput: { ...tableInput(baseColumns), Name: name },
        }),
      );
    }
    await glue.send(
      new BatchDeleteTableCommand({ DatabaseName: "sales__public", TablesToDelete: ["b1", "b2"] }),
    );
    const batchDelete = sqsEvent(location, [
      {
        eventName: "BatchDeleteTable",
        requestParameters: { databaseName: "sales__public", tablesToDelete: ["b1", "b2", "b3"] },
        // CloudTrail records the entries Glue could not delete; b3 is still there.
        responseElements: {
          errors: [
            { tableName: "b3", errorDetail: { errorCode: "AccessDeniedException", errorMessage: "no" } },
          ],
        },
      },
    ]);
    const off = buildHandler({ location, api, secretArn, topicArn: alerts.topicArn, settings: { stages } });
    expect((await off(batchDelete)).batchItemFailures).toEqual([]);
    expect(api.executed).toEqual([]);

    const on = buildHandler({
      location,
      api,
      secretArn,
      topicArn: alerts.topicArn,
      settings: { stages, dropOnDelete: true },
    });
    expect((await on(batchDelete)).batchItemFailures).toEqual([]);
    expect(await parseSnowflake(api.executed.map((s) => s.statement))).toEqual([
      { type: "Drop", kind: "EXTERNAL TABLE", exists: true, name: ["sales", "public", "b1"] },
      { type: "Drop", kind: "EXTERNAL TABLE", exists: true, name: ["sales", "public", "b2"] },
    ]);
  });

  it("ignores failed Glue calls, other events and unmapped databases", async () => {
    const handler = buildHandler({
      location,
      api,
      secretArn,
      topicArn: alerts.topicArn,
      settings: { stages },
    });
    await glue.send(new CreateTableCommand({ DatabaseName: "scratch", TableInput: tableInput(baseColumns) }));
    const result = await handler(
      sqsEvent(location, [
        {
          eventName: "CreateTable",
          errorCode: "AlreadyExistsException",
          requestParameters: { databaseName: "sales__public", tableInput: { name: "orders" } },
        },
        { eventName: "GetTable", requestParameters: { databaseName: "sales__public", name: "orders" } },
        {
          eventName: "CreateTable",
          requestParameters: { databaseName: "scratch", tableInput: { name: "orders" } },
        },
      ]),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(api.executed).toEqual([]);
  });

  it("fails the record for SQS to retry, alerts on the last attempt, and never logs the private key", async () => {
    const written: string[] = [];
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, "write").mockImplementation(capture);
    vi.spyOn(process.stderr, "write").mockImplementation(capture);

    const handler = buildHandler({
      location,
      api,
      secretArn,
      topicArn: alerts.topicArn,
      settings: { stages },
      maxReceiveCount: 2,
      logLevel: "DEBUG",
    });
    await glue.send(
      new CreateTableCommand({
        DatabaseName: "sales__public",
        TableInput: { ...tableInput(baseColumns), Name: "refunds" },
      }),
    );
    const failure = {
      kind: "error" as const,
      code: "003001",
      sqlState: "42501",
      message: "SQL access control error: Insufficient privileges",
    };
    api.script(failure, failure);
    const call = {
      eventName: "CreateTable",
      requestParameters: { databaseName: "sales__public", tableInput: { name: "refunds" } },
    };

    const first = sqsEvent(location, [{ ...call, receiveCount: 1 }]);
    expect((await handler(first)).batchItemFailures).toEqual([
      { itemIdentifier: first.Records[0]!.messageId },
    ]);
    expect(await alerts.received()).toEqual([]);

    const last = sqsEvent(location, [{ ...call, receiveCount: 2 }]);
    expect((await handler(last)).batchItemFailures).toEqual([{ itemIdentifier: last.Records[0]!.messageId }]);
    const [alert] = (await alerts.received()) as Array<{ eventId: string; table: string; error: string }>;
    expect(alert).toMatchObject({
      eventId: `event-${last.Records[0]!.messageId}`,
      table: "sales__public.refunds",
    });
    expect(alert?.error).toContain("Insufficient privileges (code 003001, sqlState 42501)");
    vi.restoreAllMocks();

    const logs = written.join("");
    expect(logs).toContain("table sync failed");
    expect(logs).toContain("003001");
    for (const line of pemBodyLines(keys.privatePem)) expect(logs).not.toContain(line);
    expect(logs).not.toContain("PRIVATE KEY");
  });
});
