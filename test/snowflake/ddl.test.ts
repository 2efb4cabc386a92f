// DDL generation: Glue tables in, statements out; every generated statement is parsed by sqlglot's
// Snowflake dialect and the tests assert on the parsed tree, never on regenerated text.
import { describe, expect, it } from "vitest";
import { parseColumns, type SnowflakeColumn } from "../../modules/snowflake/describe.ts";
import type { GlueTable } from "../../modules/snowflake/glue-table.ts";
import { planTableChange, type SyncPlan, type TableChange } from "../../modules/snowflake/plan.ts";
import { renderStatement } from "../../modules/snowflake/render.ts";
import { type DdlSettings, ddlSettings } from "../../modules/snowflake/settings.ts";
import { parquetTable, stages } from "./fixtures.ts";
import { type ParsedStatement, parseOne, parseSnowflake } from "./sqlglot.ts";

const settings = ddlSettings({ stages });

function sqlOf(plan: SyncPlan): string[] {
  if (plan.kind !== "execute") throw new Error(`expected statements, got ${plan.kind}: ${plan.reason}`);
  return plan.statements.map(renderStatement);
}

async function create(table: GlueTable, options: Partial<DdlSettings> = {}): Promise<ParsedStatement> {
  const [sql] = sqlOf(
    planTableChange({ kind: "created", database: "sales__public", table }, { ...settings, ...options }),
  );
  return parseOne(sql!);
}

function fileFormat(parsed: ParsedStatement): Record<string, string> {
  return (parsed.properties?.FileFormatProperty ?? {}) as Record<string, string>;
}

function column(parsed: ParsedStatement, name: string) {
  const found = parsed.columns?.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name} in ${JSON.stringify(parsed.columns?.map((c) => c.name))}`);
  return found;
}

function withStorage(
  table: GlueTable,
  storage: Partial<NonNullable<GlueTable["StorageDescriptor"]>>,
): GlueTable {
  return { ...table, StorageDescriptor: { ...table.StorageDescriptor, ...storage } };
}

describe("CREATE EXTERNAL TABLE", () => {
  it("maps <db>__<schema> to the Snowflake schema and types the virtual columns", async () => {
    const parsed = await create(parquetTable());
    expect(parsed).toMatchObject({
      type: "Create",
      kind: "TABLE",
      replace: true,
      name: ["sales", "public", "orders"],
    });
    expect(parsed.properties).toMatchObject({
      ExternalProperty: true,
      LocationProperty: "@sales.public.lake/raw/orders/",
      AUTO_REFRESH: "TRUE",
      FileFormatProperty: { TYPE: "PARQUET" },
      CopyGrantsProperty: true,
    });
    expect(column(parsed, "order_id")).toMatchObject({
      type: "DECIMAL(19, 0)",
      fields: ["order_id"],
      computed: true,
    });
    expect(column(parsed, "amount").casts).toEqual(["DECIMAL(12, 2)"]);
    expect(column(parsed, "placed_at").casts).toEqual(["TIMESTAMPNTZ"]);
  });

  it.each([
    ["parquet", "PARQUET"],
    ["JSON", "JSON"],
    ["orc", "ORC"],
    ["avro", "AVRO"],
    ["csv", "CSV"],
  ])("takes the format from classification %s", async (classification, type) => {
    const parsed = await create(parquetTable({ Parameters: { classification } }));
    expect(fileFormat(parsed).TYPE).toBe(type);
  });

  it.each([
    ["org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", "", "PARQUET"],
    ["org.openx.data.jsonserde.JsonSerDe", "org.apache.hadoop.mapred.TextInputFormat", "JSON"],
    ["org.apache.hive.hcatalog.data.JsonSerDe", "org.apache.hadoop.mapred.TextInputFormat", "JSON"],
    ["org.apache.hadoop.hive.ql.io.orc.OrcSerde", "", "ORC"],
    ["org.apache.hadoop.hive.serde2.avro.AvroSerDe", "", "AVRO"],
    ["org.apache.hadoop.hive.serde2.OpenCSVSerde", "org.apache.hadoop.mapred.TextInputFormat", "CSV"],
    ["org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", "org.apache.hadoop.mapred.TextInputFormat", "CSV"],
    ["", "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat", "ORC"],
  ])(
    "detects the format without classification from SerDe %s / InputFormat %s",
    async (serde, inputFormat, type) => {
      const table = withStorage(parquetTable({ Parameters: {} }), {
        InputFormat: inputFormat,
        SerdeInfo: { SerializationLibrary: serde },
      });
      const parsed = await create(table);
      expect(fileFormat(parsed).TYPE).toBe(type);
    },
  );

  it("skips formats Snowflake external tables cannot read, saying why", async () => {
    const xml = planTableChange(
      {
        kind: "created",
        database: "sales__public",
        table: parquetTable({ Parameters: { classification: "xml" } }),
      },
      settings,
    );
    expect(xml).toEqual({ kind: "skipped", reason: 'unsupported file format (classification "xml")' });
    const unknown = withStorage(parquetTable({ Parameters: {} }), {
      InputFormat: "com.example.WeirdInputFormat",
      SerdeInfo: { SerializationLibrary: "com.example.WeirdSerDe" },
    });
    const plan = planTableChange({ kind: "created", database: "sales__public", table: unknown }, settings);
    expect(plan.kind).toBe("skipped");
    expect(plan.kind === "skipped" && plan.reason).toContain("com.example.WeirdSerDe");
  });

  it("reads CSV fields by position with delimiter, header and quoting from the SerDe", async () => {
    const table = withStorage(
      parquetTable({ Parameters: { classification: "csv", "skip.header.line.count": "1" } }),
      {
        SerdeInfo: {
          SerializationLibrary: "org.apache.hadoop.hive.serde2.OpenCSVSerde",
          Parameters: { separatorChar: ";", quoteChar: "'", escapeChar: "\\" },
        },
      },
    );
    const parsed = await create(table);
    expect(parsed.columns?.map((c) => c.fields)).toEqual([["c1"], ["c2"], ["c3"]]);
    expect(parsed.properties?.FileFormatProperty).toEqual({
      TYPE: "CSV",
      FIELD_DELIMITER: ";",
      SKIP_HEADER: "1",
      FIELD_OPTIONALLY_ENCLOSED_BY: "'",
      ESCAPE: "\\",
    });
  });

  it("reads Hive's numeric delimiters as bytes (LazySimpleSerDe: '9' is TAB, default ^A)", async () => {
    const tabs = withStorage(parquetTable({ Parameters: {} }), {
      SerdeInfo: {
        SerializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
        Parameters: { "serialization.format": "9", "serialization.null.format": "\\N" },
      },
    });
    expect((await create(tabs)).properties?.FileFormatProperty).toMatchObject({ FIELD_DELIMITER: "\t" });
    const defaults = withStorage(parquetTable({ Parameters: {} }), {
      SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe" },
    });
    expect((await create(defaults)).properties?.FileFormatProperty).toMatchObject({
      FIELD_DELIMITER: "\u0001",
    });
  });

  it("maps complex, char and date types; complex ones become VARIANT without a cast", async () => {
    const table = withStorage(parquetTable(), {
      Columns: [
        { Name: "tags", Type: "array<string>" },
        { Name: "attrs", Type: "map<string,int>" },
        { Name: "address", Type: "struct<street:string,zip:int>" },
        { Name: "code", Type: "char(3)" },
        { Name: "label", Type: "varchar(40)" },
        { Name: "day", Type: "date" },
        { Name: "ok", Type: "boolean" },
        { Name: "ratio", Type: "double" },
      ],
    });
    const parsed = await create(table);
    for (const name of ["tags", "attrs", "address"]) {
      expect(column(parsed, name)).toMatchObject({ type: "VARIANT", casts: [], fields: [name] });
    }
    expect(column(parsed, "code").type).toBe("CHAR(3)");
    expect(column(parsed, "label").type).toBe("VARCHAR(40)");
    expect(column(parsed, "day").type).toBe("DATE");
    expect(column(parsed, "ok").type).toBe("BOOLEAN");
    expect(column(parsed, "ratio").type).toBe("DOUBLE");
  });

  it("quotes reserved words, the VALUE pseudo-column and names with odd characters", async () => {
    const table = withStorage(parquetTable({ Name: "order" }), {
      Columns: [
        { Name: "value", Type: "string" },
        { Name: "group", Type: "string" },
        { Name: "unit price", Type: "double" },
        { Name: 'say "hi"', Type: "string" },
        { Name: "plain", Type: "string" },
      ],
    });
    const parsed = await create(table);
    expect(parsed.name).toEqual(["sales", "public", "order"]);
    expect(parsed.columns?.map((c) => [c.name, c.quoted])).toEqual([
      ["value", true],
      ["group", true],
      ["unit price", true],
      ['say "hi"', true],
      ["plain", false],
    ]);
    expect(column(parsed, "unit price").fields).toEqual(["unit price"]);
  });

  it("derives hive-style and plain partition columns from metadata$filename, cast to the key type", async () => {
    const table = parquetTable({
      PartitionKeys: [
        { Name: "country", Type: "string" },
        { Name: "year", Type: "int" },
        { Name: "day", Type: "date" },
      ],
    });
    const plan = planTableChange({ kind: "created", database: "sales__public", table }, settings);
    // The table folder raw/orders/ is two folders below the stage: keys are folders 3, 4, 5.
    const statement = plan.kind === "execute" ? plan.statements[0] : undefined;
    const segments =
      statement?.kind === "createExternalTable"
        ? statement.table.columns.map((c) => (c.source.kind === "pathSegment" ? c.source.segment : null))
        : [];
    expect(segments).toEqual([null, null, null, 3, 4, 5]);

    const parsed = await parseOne(sqlOf(plan)[0]!);
    expect(parsed.properties?.PartitionedByProperty).toEqual(["country", "year", "day"]);
    expect(column(parsed, "country")).toMatchObject({ type: "VARCHAR", readsFilename: true, casts: [] });
    expect(column(parsed, "year")).toMatchObject({
      type: "DECIMAL(10, 0)",
      readsFilename: true,
      casts: ["DECIMAL(10, 0)"],
    });
    expect(column(parsed, "day")).toMatchObject({ type: "DATE", casts: ["DATE"] });
    // Only functions Snowflake allows in partition expressions (CREATE EXTERNAL TABLE: no REPLACE).
    expect(column(parsed, "country").functions).toEqual([
      "CASE",
      "IF",
      "NULLIF",
      "SPLIT_PART",
      "STARTS_WITH",
      "SUBSTRING",
    ]);
    expect(column(parsed, "year").functions).not.toContain("CASE");
    // key=value folders lose their key=, plain folders are taken whole, Hive's null marker is NULL,
    // and values are cast to the key's type (metadata$filename is relative to the stage).
    const [evaluated] = await parseSnowflake(sqlOf(plan), [
      "raw/orders/country=US/year=2024/day=2024-05-01/part-0.parquet",
      "raw/orders/DE/2023/2023-12-31/part-1.parquet",
      "raw/orders/country=__HIVE_DEFAULT_PARTITION__/year=2022/day=2022-01-02/part-2.parquet",
    ]);
    expect(evaluated?.partitionValues).toEqual({
      country: ["US", "DE", null],
      year: [2024, 2023, 2022],
      day: ["2024-05-01", "2023-12-31", "2022-01-02"],
    });
  });

  it("counts partition folders from the stage that covers the table (longest prefix wins)", async () => {
    const table = withStorage(parquetTable({ PartitionKeys: [{ Name: "dt", Type: "string" }] }), {
      Location: "s3a://lake-bucket/curated/orders",
    });
    const plan = planTableChange({ kind: "created", database: "sales__public", table }, settings);
    const parsed = await parseOne(sqlOf(plan)[0]!);
    expect(parsed.properties?.LocationProperty).toBe("@sales.public.curated/orders/");
    const statement = plan.kind === "execute" ? plan.statements[0] : undefined;
    const source =
      statement?.kind === "createExternalTable" ? statement.table.columns.at(-1)?.source : undefined;
    // metadata$filename includes the stage URL's folder (curated/), so dt is folder 3.
    expect(source).toEqual({ kind: "pathSegment", segment: 3, hiveKey: "dt", unescape: true });
    const [evaluated] = await parseSnowflake(sqlOf(plan), [
      "curated/orders/dt=2024-01-01/a.parquet",
      "curated/orders/2024-01-02/b.parquet",
    ]);
    expect(evaluated?.partitionValues).toEqual({ dt: ["2024-01-01", "2024-01-02"] });

    // "curated-old/" is not under "curated/": the match is on folder boundaries.
    const sibling = withStorage(parquetTable(), { Location: "s3://lake-bucket/curated-old/orders/" });
    const siblingPlan = planTableChange(
      { kind: "created", database: "sales__public", table: sibling },
      settings,
    );
    expect((await parseOne(sqlOf(siblingPlan)[0]!)).properties?.LocationProperty).toBe(
      "@sales.public.lake/curated-old/orders/",
    );
  });

  it("skips tables outside <db>__<schema>, without a stage, or of unsupported types, saying why", async () => {
    const plan = (change: TableChange, options: Partial<DdlSettings> = {}) =>
      planTableChange(change, { ...settings, ...options });
    expect(plan({ kind: "created", database: "analytics", table: parquetTable() })).toEqual({
      kind: "skipped",
      reason: 'Glue database "analytics" is not named <snowflake_db>__<snowflake_schema>',
    });
    expect(
      plan(
        { kind: "created", database: "sales--public", table: parquetTable() },
        { databaseSchemaSeparator: "--" },
      ).kind,
    ).toBe("execute");
    expect(
      plan({
        kind: "created",
        database: "sales__public",
        table: withStorage(parquetTable(), { Location: "s3://other/x/" }),
      }),
    ).toEqual({ kind: "skipped", reason: "no configured stage covers s3://other/x/" });
    expect(
      plan({
        kind: "created",
        database: "sales__public",
        table: { ...parquetTable(), Parameters: { classification: "xml" } },
      }).kind,
    ).toBe("skipped");
  });

  it("reads columns of unknown Glue types as VARIANT, with a note saying so", async () => {
    const table = parquetTable({ PartitionKeys: [{ Name: "span", Type: "interval day" }] });
    const plan = planTableChange(
      {
        kind: "created",
        database: "sales__public",
        table: withStorage(table, {
          Columns: [
            { Name: "id", Type: "bigint" },
            { Name: "x", Type: "interval" },
            { Name: "big", Type: "decimal(40,2)" },
          ],
        }),
      },
      settings,
    );
    expect(plan.kind === "execute" && plan.notes).toEqual([
      'column x: unsupported Glue type "interval"; read as VARIANT',
      "column big: decimal(40,2) is outside Snowflake's NUMBER(1..38, s<=p); read as VARIANT",
      'partition key span: unsupported Glue type "interval day"; read as VARCHAR',
    ]);
    const parsed = await parseOne(sqlOf(plan)[0]!);
    expect(column(parsed, "x")).toMatchObject({ type: "VARIANT", casts: [], fields: ["x"] });
    expect(column(parsed, "big")).toMatchObject({ type: "VARIANT", casts: [] });
    expect(column(parsed, "span")).toMatchObject({ type: "VARCHAR", readsFilename: true });
  });

  it("decodes Hive's %XX escapes in partition values, as Hive's FileUtils.escapePathName writes them", async () => {
    const table = parquetTable({
      PartitionKeys: [
        { Name: "ts", Type: "timestamp" },
        { Name: "label", Type: "string" },
      ],
    });
    const plan = planTableChange({ kind: "created", database: "sales__public", table }, settings);
    const [evaluated] = await parseSnowflake(sqlOf(plan), [
      "raw/orders/ts=2024-05-01 10%3A15%3A00/label=a%2Fb%3Dc%25d%20e%27f/part-0.parquet",
      "raw/orders/ts=2024-05-02 00%3A00%3A00/label=plain/part-1.parquet",
      "raw/orders/ts=__HIVE_DEFAULT_PARTITION__/label=%5C%3C%3E%7C%5E%7B%2A%22/x.parquet",
      // An unknown code stays as written; more than eight escapes leave the whole value escaped.
      "raw/orders/ts=2024-05-03 01%3A02%3A03/label=%01x%3A%3A%3A%3A%3A%3A%3A%3A%3A/x.parquet",
    ]);
    expect(evaluated?.partitionValues).toEqual({
      ts: ["2024-05-01 10:15:00", "2024-05-02 00:00:00", null, "2024-05-03 01:02:03"],
      label: ["a/b=c%d e'f", "plain", '\\<>|^{*"', "%01x%3A%3A%3A%3A%3A%3A%3A%3A%3A"],
    });
  });

  it("copies the table description as the table COMMENT, quoted safely; columns get none (not in the grammar)", async () => {
    const table = withStorage(
      parquetTable({
        Description: "Orders; it's \\ 'quoted'",
        PartitionKeys: [{ Name: "dt", Type: "date", Comment: "load day" }],
      }),
      {
        Columns: [
          { Name: "order_id", Type: "bigint", Comment: "the id -- not a comment'); DROP TABLE x; --" },
          { Name: "amount", Type: "decimal(12,2)" },
        ],
      },
    );
    const [sql] = sqlOf(planTableChange({ kind: "created", database: "sales__public", table }, settings));
    const parsed = await parseOne(sql!);
    expect(parsed.type).toBe("Create");
    expect(parsed.columns?.map((c) => [c.name, c.comment])).toEqual([
      ["order_id", null],
      ["amount", null],
      ["dt", null],
    ]);
    expect(parsed.properties?.SchemaCommentProperty).toBe("Orders; it's \\ 'quoted'");
    // The table's `comment` parameter is used when there is no Description.
    const fromParameter = await create(
      parquetTable({ Parameters: { classification: "parquet", comment: "c" } }),
    );
    expect(fromParameter.properties?.SchemaCommentProperty).toBe("c");
  });

  it("writes AUTO_REFRESH=FALSE when auto refresh is off", async () => {
    expect((await create(parquetTable(), { autoRefresh: false })).properties?.AUTO_REFRESH).toBe("FALSE");
  });
});

describe("UpdateTable", () => {
  const update = (previous: GlueTable, table: GlueTable) =>
    planTableChange({ kind: "updated", database: "sales__public", table, previous }, settings);

  it("adds an appended column in place (ALTER TABLE … ADD COLUMN … AS)", async () => {
    const before = parquetTable();
    const after = withStorage(before, {
      Columns: [...(before.StorageDescriptor?.Columns ?? []), { Name: "channel", Type: "string" }],
    });
    const plan = update(before, after);
    const parsed = await parseSnowflake(sqlOf(plan));
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatchObject({ type: "Alter", kind: "TABLE", name: ["sales", "public", "orders"] });
    expect(parsed[0]?.actions).toMatchObject([
      { action: "ADD_COLUMN", exists: true, name: "channel", computed: true, fields: ["channel"] },
    ]);
    // If Snowflake never got the table, the plan says how to create it instead.
    expect(plan.kind === "execute" && plan.ifTableMissing?.[0]?.kind).toBe("createExternalTable");
  });

  it("drops a removed column in place", async () => {
    const before = parquetTable();
    const after = withStorage(before, { Columns: before.StorageDescriptor?.Columns?.slice(0, 2) });
    const parsed = await parseSnowflake(sqlOf(update(before, after)));
    expect(parsed.map((p) => p.actions)).toEqual([
      [{ action: "DROP_COLUMN", exists: true, columns: ["placed_at"] }],
    ]);
  });

  it("replaces the table when a change cannot be made in place", async () => {
    const before = parquetTable();
    const retyped = withStorage(before, {
      Columns: [{ Name: "order_id", Type: "string" }, ...(before.StorageDescriptor?.Columns?.slice(1) ?? [])],
    });
    const moved = withStorage(before, { Location: "s3://lake-bucket/raw/orders_v2/" });
    const csv = parquetTable({ Parameters: { classification: "csv" } });
    // Removing a middle CSV column shifts the positions of the ones after it.
    const csvMiddleDropped = withStorage(csv, {
      Columns: [csv.StorageDescriptor!.Columns![0]!, csv.StorageDescriptor!.Columns![2]!],
    });
    for (const [from, to] of [
      [before, retyped],
      [before, moved],
      [csv, csvMiddleDropped],
    ] as const) {
      const parsed = await parseSnowflake(sqlOf(update(from, to)));
      expect(parsed).toMatchObject([
        { type: "Create", replace: true, properties: { CopyGrantsProperty: true } },
      ]);
    }
  });

  it("does nothing when Snowflake would not see the change, and replaces when no previous version is known", async () => {
    const before = parquetTable();
    expect(update(before, { ...before, Parameters: { ...before.Parameters, owner: "x" } })).toEqual({
      kind: "noop",
      reason: "no change visible to Snowflake",
    });
    const plan = planTableChange({ kind: "updated", database: "sales__public", table: before }, settings);
    expect(await parseSnowflake(sqlOf(plan))).toMatchObject([{ type: "Create", replace: true }]);
  });
});

describe("UpdateTable against the columns Snowflake has", () => {
  const settingsCsv = settings;
  const orders = parquetTable();
  const withChannel = withStorage(orders, {
    Columns: [...(orders.StorageDescriptor?.Columns ?? []), { Name: "channel", Type: "string" }],
  });
  // As INFORMATION_SCHEMA.COLUMNS reports them (after parseColumns).
  const snowflakeHas = (...names: string[]): SnowflakeColumn[] => {
    const types: Record<string, string> = {
      VALUE: "VARIANT",
      ORDER_ID: "NUMBER(19,0)",
      AMOUNT: "NUMBER(12,2)",
      PLACED_AT: "TIMESTAMP_NTZ",
      CHANNEL: "TEXT",
    };
    return names.map((name) => ({ name, type: types[name] ?? "TEXT", comment: null }));
  };
  const update = (
    previous: GlueTable,
    table: GlueTable,
    snowflakeColumns: SnowflakeColumn[] | "unreadable",
  ) =>
    planTableChange(
      { kind: "updated", database: "sales__public", table, previous, snowflakeColumns },
      settingsCsv,
    );

  it("adds only what Snowflake lacks, whatever Glue's previous version says", async () => {
    // Out of order: Glue's previous version already has channel, Snowflake does not.
    const plan = update(withChannel, withChannel, snowflakeHas("VALUE", "ORDER_ID", "AMOUNT", "PLACED_AT"));
    expect((await parseSnowflake(sqlOf(plan))).map((p) => p.actions)).toMatchObject([
      [{ action: "ADD_COLUMN", name: "channel", type: "VARCHAR" }],
    ]);
    // And the reverse: Snowflake already has it, so nothing is sent.
    expect(
      update(orders, withChannel, snowflakeHas("VALUE", "ORDER_ID", "AMOUNT", "PLACED_AT", "CHANNEL")).kind,
    ).toBe("noop");
  });

  it("drops the columns Snowflake has and Glue no longer describes, by their stored name", async () => {
    const plan = update(
      withChannel,
      orders,
      snowflakeHas("VALUE", "ORDER_ID", "AMOUNT", "PLACED_AT", "CHANNEL", "legacy"),
    );
    const sql = sqlOf(plan);
    expect((await parseSnowflake(sql)).map((p) => p.actions)).toEqual([
      [{ action: "DROP_COLUMN", exists: true, columns: ["CHANNEL"] }],
      [{ action: "DROP_COLUMN", exists: true, columns: ["legacy"] }],
    ]);
    expect(sql[1]).toContain('DROP COLUMN IF EXISTS "legacy"');
  });

  it("replaces when Snowflake's types or order differ, the table is missing, or the read failed", async () => {
    const cases: Array<SnowflakeColumn[] | "unreadable"> = [
      [...snowflakeHas("VALUE", "AMOUNT", "ORDER_ID", "PLACED_AT")],
      snowflakeHas("VALUE", "ORDER_ID", "AMOUNT", "PLACED_AT").map((c) =>
        c.name === "AMOUNT" ? { ...c, type: "NUMBER(10,0)" } : c,
      ),
      [],
      "unreadable",
    ];
    for (const actual of cases) {
      expect(await parseSnowflake(sqlOf(update(orders, withChannel, actual)))).toMatchObject([
        { type: "Create", replace: true, properties: { CopyGrantsProperty: true } },
      ]);
    }
  });

  it("reads INFORMATION_SCHEMA rows into comparable types", () => {
    expect(
      parseColumns([
        ["ORDER_ID", "NUMBER", "19", "0", null, null],
        ["NOTE", "TEXT", null, null, "16777216", "a note"],
        ["CODE", "TEXT", null, null, "3", null],
      ]),
    ).toEqual([
      { name: "ORDER_ID", type: "NUMBER(19,0)", comment: null },
      { name: "NOTE", type: "TEXT", comment: "a note" },
      { name: "CODE", type: "TEXT(3)", comment: null },
    ]);
    expect(() => parseColumns([["Statement executed successfully."]])).toThrow(/unexpected/);
  });
});

describe("DeleteTable", () => {
  const deleted = (options: Partial<DdlSettings>, stillExists = false) =>
    planTableChange(
      { kind: "deleted", database: "sales__public", name: "order", stillExists },
      { ...settings, ...options },
    );

  it("drops the external table only when dropOnDelete is on", async () => {
    expect(deleted({})).toEqual({ kind: "skipped", reason: "dropOnDelete is off" });
    expect(await parseSnowflake(sqlOf(deleted({ dropOnDelete: true })))).toEqual([
      { type: "Drop", kind: "EXTERNAL TABLE", exists: true, name: ["sales", "public", "order"] },
    ]);
    expect(deleted({ dropOnDelete: true }, true)).toEqual({
      kind: "noop",
      reason: "the table exists again in Glue",
    });
  });
});

describe("compat mode", () => {
  it("reproduces the seed project's statement byte for byte", async () => {
    const table = parquetTable({
      Name: "customer",
      Parameters: { classification: "json" },
      PartitionKeys: [
        { Name: "country", Type: "string" },
        { Name: "source", Type: "string" },
      ],
    });
    const located = withStorage(table, {
      Columns: [
        { Name: "id", Type: "int" },
        { Name: "name", Type: "string" },
      ],
      Location: "s3://sample-customers-bucket123/customer/",
    });
    const plan = planTableChange(
      { kind: "updated", database: "dev_db__public", table: located },
      ddlSettings({
        stages: { "dev_db.public.customerstage": "s3://sample-customers-bucket123/" },
        compat: true,
      }),
    );
    const part = (i: number) =>
      `DECODE(SPLIT_PART(SPLIT_PART(metadata$filename, '/', ${i}),'=',2),'',SPLIT_PART(metadata$filename, '/', ${i}),SPLIT_PART(SPLIT_PART(metadata$filename, '/', ${i}),'=',2))`;
    expect(sqlOf(plan)).toEqual([
      "CREATE OR REPLACE EXTERNAL TABLE dev_db.public.customer(" +
        "id int as (value:id::int),name string as (value:name::string)," +
        `country string as ${part(2)},source string as ${part(3)}) ` +
        "PARTITION BY (country,source) " +
        "LOCATION=@dev_db.public.customerstage/customer/ AUTO_REFRESH = true FILE_FORMAT = (TYPE = json);",
    ]);
  });

  it("keeps the seed's double space when the table has no partitions", async () => {
    const plan = planTableChange(
      { kind: "created", database: "sales__public", table: parquetTable() },
      { ...settings, compat: true },
    );
    expect(sqlOf(plan)).toEqual([
      "CREATE OR REPLACE EXTERNAL TABLE sales.public.orders(order_id bigint as (value:order_id::bigint)," +
        "amount decimal(12,2) as (value:amount::decimal(12,2)),placed_at timestamp as (value:placed_at::timestamp))  " +
        "LOCATION=@sales.public.lake/raw/orders/ AUTO_REFRESH = true FILE_FORMAT = (TYPE = parquet);",
    ]);
  });
});

describe("the sqlglot check itself", () => {
  it("rejects statements sqlglot only keeps as an unparsed Command", async () => {
    await expect(
      parseOne(
        "CREATE EXTERNAL TABLE a.b.c (x VARCHAR AS (value:x)) PARTITON BY (x) LOCATION=@a.b.s/ FILE_FORMAT=(TYPE=JSON)",
      ),
    ).rejects.toThrow(/sqlglot rejected the SQL/);
    await expect(parseOne("ALTER EXTERNAL TABLE a.b.c REFRESH")).rejects.toThrow(/Command/);
  });
});
