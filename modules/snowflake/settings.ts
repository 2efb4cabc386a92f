// The `snowflake` section of lakesync's config: which Snowflake account receives the Glue tables,
// how Glue database names map to Snowflake schemas, and which stages cover which S3 prefixes.
import * as z from "zod";

/** `"db.schema.stage"`: a fully qualified stage name, three dot-separated parts. */
const stageName = z.string().regex(/^[^.]+\.[^.]+\.[^.]+$/, 'stage names are "database.schema.stage"');
const s3Prefix = z.string().regex(/^s3:\/\/[^/]+(\/.*)?$/, "stage locations are s3://bucket/prefix/ URLs");

export const SnowflakeSettings = z.object({
  /** Account identifier as in the account URL (`xy12345.us-east-1`, `myorg-myaccount`). */
  account: z.string().min(1),
  user: z.string().min(1),
  role: z.string().min(1),
  warehouse: z.string().min(1),
  /** Secret holding the PEM private key (plain PEM, or JSON with `private_key`). */
  secretArn: z.string().min(1),
  /** Glue database `<snowflake_db><separator><snowflake_schema>` maps to that Snowflake schema. */
  databaseSchemaSeparator: z.string().min(1).default("__"),
  stages: z.record(stageName, s3Prefix).default({}),
  /** DeleteTable in Glue drops the external table in Snowflake only when this is on. */
  dropOnDelete: z.boolean().default(false),
  /** Emit the seed project's exact statement (for users diffing outputs while migrating). */
  compat: z.boolean().default(false),
  autoRefresh: z.boolean().default(true),
  /** Sent as the SQL API `timeout`; 0 means Snowflake's maximum (7 days). */
  statementTimeoutSeconds: z.number().int().min(0).max(604_800).default(300),
  /** SQL API base URL; defaults to https://<account>.snowflakecomputing.com (override for tests/PrivateLink). */
  apiUrl: z.url().optional(),
});
export type SnowflakeSettings = z.infer<typeof SnowflakeSettings>;
export type SnowflakeSettingsInput = z.input<typeof SnowflakeSettings>;

/** The settings that shape DDL (no credentials): what the pure planner needs. */
export type DdlSettings = Pick<
  SnowflakeSettings,
  "databaseSchemaSeparator" | "stages" | "dropOnDelete" | "compat" | "autoRefresh"
>;

export function ddlSettings(input: Partial<DdlSettings> & Pick<DdlSettings, "stages">): DdlSettings {
  return {
    databaseSchemaSeparator: input.databaseSchemaSeparator ?? "__",
    stages: input.stages,
    dropOnDelete: input.dropOnDelete ?? false,
    compat: input.compat ?? false,
    autoRefresh: input.autoRefresh ?? true,
  };
}
