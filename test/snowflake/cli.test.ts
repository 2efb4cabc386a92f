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
    api = await startLocalSqlApi({ account: "XY12345", user: "sync_user", publicKey: keys.publicKey });
  });
  afterAll(() => api.close());

  it("backfills every table of the database through the SQL API", async () => {
    const glue = client("glue", { region: "us-east-1" });
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: database } }));
    for (const name of ["orders", "refunds"]) {
      const { DatabaseName: _, ...input } = parquetTable({ Name: name });
      await glue.send(new CreateTableCommand({ DatabaseName: database, TableInput: input }));
    }
    const secretArn = await createKeySecret(location, keys.privatePem);
    const config = file("config.json", {
      snowflake: {
        account: "xy12345.us-east-1",
        user: "sync_user",
        role: "SYNC_ROLE",
        warehouse: "SYNC_WH",
        secretArn,
        stages: { [`${database.split("__")[0]}.public.lake`]: "s3://lake-bucket/" },
        apiUrl: api.url,
      },
    });
    const result = await run("snowflake", "sync", "--database", database, "--config", config, "--json");
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
