// `lakesync snowflake ddl|sync`: preview the DDL for one Glue table, or backfill every table of the
// mapped Glue databases through the same core the snowflake-sync Lambda uses.
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { allClients } from "../../aws/all-clients.ts";
import { AwsWiring } from "../../aws/wiring/base.ts";
import { snowflakeSync } from "../../aws/wiring/snowflake.ts";
import { SNOWFLAKE_SYNC_ENV } from "../../snowflake/env.ts";
import { GlueTable } from "../../snowflake/glue-table.ts";
import { planTableChange } from "../../snowflake/plan.ts";
import { renderStatement } from "../../snowflake/render.ts";
import { ddlSettings, SnowflakeSettings } from "../../snowflake/settings.ts";
import { backfill } from "../../snowflake/sync.ts";
import { defaultConfigFile, loadCliConfig } from "../config-file.ts";
import { CliError, ExitCode } from "../exit-codes.ts";
import { writeLines } from "../render.ts";

/** Same variable the Lambda reads. */
const SETTINGS_ENV = SNOWFLAKE_SYNC_ENV.settings;

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${what} ${path} is not valid JSON`);
  }
}

/** `aws glue get-table` output ({"Table": {...}}) or the Table object itself. */
function tableFrom(json: unknown, path: string): GlueTable {
  const candidate =
    typeof json === "object" && json !== null && "Table" in json ? (json as { Table: unknown }).Table : json;
  const parsed = GlueTable.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(
      `${path} is not a Glue Table: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/**
 * The `snowflake` section of the lakesync config, through the project's config loader (the file
 * from --config, else ./lakesync.config.json when present); without a config file, the same JSON
 * the Lambda reads from $LAKESYNC_SNOWFLAKE_SETTINGS.
 */
async function loadSettings(
  configPath: string | undefined,
  apiUrl: string | undefined,
): Promise<SnowflakeSettings> {
  const loaded = await loadCliConfig(configPath);
  let raw: unknown;
  if (loaded) {
    const { file, config } = loaded;
    if (!config.snowflake) throw new CliError(`${file}: snowflake: required for lakesync snowflake sync`);
    // storageIntegration belongs to the deployment, not to the sync.
    const { storageIntegration: _, ...section } = config.snowflake;
    raw = section;
  } else if (process.env[SETTINGS_ENV]) {
    try {
      raw = JSON.parse(process.env[SETTINGS_ENV]);
    } catch {
      throw new CliError(`${SETTINGS_ENV} is not valid JSON`);
    }
  } else {
    throw new CliError(
      `no Snowflake settings: pass --config FILE (with a "snowflake" section), run where ./${defaultConfigFile} is, or set ${SETTINGS_ENV}`,
    );
  }
  const parsed = SnowflakeSettings.safeParse({
    ...(raw as object),
    ...(apiUrl ? { apiUrl } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(
      `invalid Snowflake settings at ${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

export function registerSnowflake(program: Command): void {
  const snowflake = program.command("snowflake").description("sync Glue tables to Snowflake external tables");

  snowflake
    .command("ddl")
    .description(
      "print the Snowflake statement(s) for a Glue table; exit 1 with the reason when it is skipped",
    )
    .requiredOption("--table <file>", "the Table object as returned by Glue GetTable (JSON)")
    .requiredOption("--database <glueDb>", "the Glue database the table is in (<snowflake_db>__<schema>)")
    .requiredOption("--stages <file>", 'JSON {"db.schema.stage": "s3://bucket/prefix/"}')
    .option("--compat", "the seed project's exact statement")
    .option("--separator <sep>", "Glue database name separator", "__")
    .option("--json", 'print {"statements":[...]}')
    .action(
      async (options: {
        table: string;
        database: string;
        stages: string;
        compat?: boolean;
        separator: string;
        json?: boolean;
      }) => {
        const table = tableFrom(await readJson(options.table, "table file"), options.table);
        const stages = SnowflakeSettings.shape.stages.safeParse(
          await readJson(options.stages, "stages file"),
        );
        if (!stages.success) throw new CliError(`${options.stages}: ${stages.error.issues[0]?.message}`);
        const plan = planTableChange(
          { kind: "created", database: options.database, table },
          ddlSettings({
            stages: stages.data,
            compat: options.compat ?? false,
            databaseSchemaSeparator: options.separator,
          }),
        );
        if (plan.kind !== "execute") {
          if (options.json)
            process.stdout.write(
              `${JSON.stringify({ statements: [], skipped: true, reason: plan.reason })}\n`,
            );
          throw new CliError(`skipped: ${plan.reason}`);
        }
        const statements = plan.statements.map(renderStatement);
        const notes = plan.notes ?? [];
        for (const note of notes) process.stderr.write(`note: ${note}\n`);
        if (options.json)
          process.stdout.write(`${JSON.stringify({ statements, ...(notes.length ? { notes } : {}) })}\n`);
        else for (const sql of statements) process.stdout.write(`${sql.endsWith(";") ? sql : `${sql};`}\n`);
      },
    );

  snowflake
    .command("sync")
    .description("create or replace the Snowflake external table of every table in the mapped Glue databases")
    .option("--database <glueDb>", "only this Glue database")
    .option(
      "--config <file>",
      `lakesync config, its "snowflake" section (default ./${defaultConfigFile} when present, else $${SETTINGS_ENV})`,
    )
    .option("--region <region>", "AWS region of the Glue catalog (default: AWS_REGION)")
    .option(
      "--api-url <url>",
      "SQL API base URL (default https://<account>.snowflakecomputing.com; PrivateLink)",
    )
    .option("--json", 'print {"results":[...]}')
    .action(
      async (options: {
        database?: string;
        config?: string;
        region?: string;
        apiUrl?: string;
        json?: boolean;
      }) => {
        const settings = await loadSettings(options.config, options.apiUrl);
        const region = options.region ?? process.env.AWS_REGION;
        if (!region) throw new CliError("no AWS region: pass --region or set AWS_REGION");
        const aws = new AwsWiring(allClients);
        try {
          const results = [];
          const deps = snowflakeSync(aws, settings, region);
          for await (const result of backfill(deps, options.database ? { database: options.database } : {})) {
            results.push(result);
            if (!options.json) {
              const reason = "reason" in result && result.reason ? `: ${result.reason}` : "";
              writeLines(`${result.status} ${result.database}.${result.table}${reason}`);
              for (const note of "notes" in result ? (result.notes ?? []) : []) writeLines(`  note: ${note}`);
            }
          }
          if (options.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
          if (results.some((r) => r.status === "failed")) process.exitCode = ExitCode.error;
        } finally {
          aws.destroy();
        }
      },
    );
}
