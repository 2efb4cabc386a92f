// `lakesync snowflake ddl` and `lakesync snowflake sync`, run in-process through the CLI entry point.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateDatabaseCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../support/cli.ts";
import { client, freshAccount } from "../support/local-aws.ts";
import { type LocalSqlApi, startLocalSqlApi } from "../support/snowflake-sql-api.ts";
import { parquetTable, stages } from "./fixtures.ts";
import { createKeySecret } from "./harness.ts";
import { testKeyPair } from "./keys.ts";
import { parseSnowflake } from "./sqlglot.ts";

const dir = mkdtempSync(join(tmpdir(), "lakesync-snowflake-"));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};

const run = (...argv: string[]) => cli(argv);

describe("lakesync snowflake ddl", () => {
  const tableFile = file("table.json", {
    Table: parquetTable({ PartitionKeys: [{ Name: "dt", Type: "date" }] }),
  });
  const stagesFile = file("stages.json", stages);

  it("prints the statement for a GetTable output", async () => {
    const result = await run(
      "snowflake",
      "ddl",
      "--table",
      tableFile,
      "--database",
      "sales__public",
      "--stages",
      stagesFile,
    );
    expect(result.code).toBe(0);
    const statements = result.stdout.trim().split("\n");
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/;$/);
    expect(await parseSnowflake(statements.map((s) => s.replace(/;$/, "")))).toMatchObject([
      { type: "Create", name: ["sales", "public", "orders"], properties: { PartitionedByProperty: ["dt"] } },
    ]);
  });

  it("prints {statements} with --json, and the seed's statement with --compat", async () => {
    const json = await run(
      "snowflake",
      "ddl",
      "--table",
      tableFile,
      "--database",
      "sales__public",
      "--stages",
      stagesFile,
      "--json",
      "--compat",
    );
    expect(json.code).toBe(0);
    const { statements } = JSON.parse(json.stdout) as { statements: string[] };
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(
      /^CREATE OR REPLACE EXTERNAL TABLE sales\.public\.orders\(order_id bigint as \(value:order_id::bigint\),/,
    );
    expect(statements[0]).toMatch(
      / LOCATION=@sales\.public\.lake\/raw\/orders\/ AUTO_REFRESH = true FILE_FORMAT = \(TYPE = parquet\);$/,
    );
  });

  it("says on stderr which columns were read as VARIANT, and lists them in --json", async () => {
    const odd = file("odd.json", {
      Table: parquetTable({
        StorageDescriptor: {
          ...parquetTable().StorageDescriptor,
          Columns: [
            { Name: "id", Type: "bigint" },
            { Name: "span", Type: "interval" },
          ],
        },
      }),
    });
    const args = ["snowflake", "ddl", "--table", odd, "--database", "sales__public", "--stages", stagesFile];
    const text = await run(...args);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('note: column span: unsupported Glue type "interval"; read as VARIANT\n');
    const json = await run(...args, "--json");
    expect(JSON.parse(json.stdout).notes).toEqual([
      'column span: unsupported Glue type "interval"; read as VARIANT',
    ]);
  });

  it("exits 1 with the skip reason on stderr", async () => {
    const result = await run(
      "snowflake",
      "ddl",
      "--table",
      tableFile,
      "--database",
      "analytics",
      "--stages",
      stagesFile,
    );
    expect(result).toMatchObject({ code: 1, stdout: "" });
    expect(result.stderr).toContain(
      'skipped: Glue database "analytics" is not named <snowflake_db>__<snowflake_schema>',
    );
    const json = await run(
      "snowflake",
      "ddl",
      "--table",
      tableFile,
      "--database",
      "analytics",
      "--stages",
      stagesFile,
      "--json",
    );
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ statements: [], skipped: true });
  });
});

describe("lakesync snowflake sync", () => {
  const keys = testKeyPair();
  // The CLI acts as the caller's own account (the default credentials), like a user's shell.
  const location = { region: "us-east-1", account: "123456789012" };
  const database = `sync${freshAccount()}__public`;
  let api: LocalSqlApi;

  beforeAll(async () => {
    api = await startLocalSqlApi({ account: "MYORG-XY12345", user: "sync_user", publicKey: keys.publicKey });
  });
  afterAll(() => api.close());

  /** A lakesync.config.json the project's loader accepts, with the given snowflake section. */
  const lakesyncConfig = (name: string, snowflake: object) =>
    file(name, {
      source: { account: "123456789012", region: "us-east-1" },
      targets: [{ name: "dr", account: "123456789012", region: "us-west-2" }],
      batch: { backupBucket: "acme-backups" },
      snowflake,
    });

  it("reports config errors the way the config loader words them", async () => {
    const config = lakesyncConfig("bad.json", { account: "xy12345.us-east-1", user: "u", role: "r" });
    const result = await run("snowflake", "sync", "--config", config, "--region", "us-east-1");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${config}: snowflake.account: expected a Snowflake account identifier`);
    expect(result.stderr).toContain(`${config}: snowflake.warehouse: required`);
  });

  it("backfills every table of the database through the SQL API", async () => {
    const glue = client("glue", { region: "us-east-1" });
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: database } }));
    for (const name of ["orders", "refunds"]) {
      const { DatabaseName: _, ...input } = parquetTable({ Name: name });
      await glue.send(new CreateTableCommand({ DatabaseName: database, TableInput: input }));
    }
    const secretArn = await createKeySecret(location, keys.privatePem);
    // The config file the rest of lakesync reads; the SQL API URL comes from --api-url.
    const config = lakesyncConfig("config.json", {
      account: "myorg-xy12345",
      user: "sync_user",
      role: "SYNC_ROLE",
      warehouse: "SYNC_WH",
      secretArn,
      stages: { [`${database.split("__")[0]}.public.lake`]: "s3://lake-bucket/" },
      storageIntegration: {
        name: "LAKE_INT",
        storageAwsRoleArn: "arn:aws:iam::123456789012:role/snowflake-reader",
        allowedLocations: ["s3://lake-bucket/"],
      },
    });
    const result = await run(
      "snowflake",
      "sync",
      "--database",
      database,
      "--config",
      config,
      "--api-url",
      api.url,
      "--json",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const { results } = JSON.parse(result.stdout) as { results: Array<{ status: string; table: string }> };
    expect(results.map((r) => [r.table, r.status]).sort()).toEqual([
      ["orders", "applied"],
      ["refunds", "applied"],
    ]);
    const parsed = await parseSnowflake(api.executed.map((s) => s.statement));
    expect(parsed.map((p) => p.name?.[2]).sort()).toEqual(["orders", "refunds"]);
    expect(parsed.every((p) => p.type === "Create" && p.properties?.CopyGrantsProperty === true)).toBe(true);
  });
});
