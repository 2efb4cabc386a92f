// Names: Glue database -> Snowflake database.schema, S3 location -> stage + relative path, and the
// one identifier-quoting rule every rendered name goes through.

/** Snowflake's reserved keywords (docs: "Reserved & limited keywords"); unquoted they break DDL. */
const RESERVED = new Set(
  (
    "ACCOUNT ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT CREATE " +
    "CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DATABASE DELETE DISTINCT DROP " +
    "ELSE EXISTS FALSE FOLLOWING FOR FROM FULL GRANT GROUP GSCLUSTER HAVING ILIKE IN INCREMENT INNER INSERT " +
    "INTERSECT INTO IS ISSUE JOIN LATERAL LEFT LIKE LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR " +
    "ORDER ORGANIZATION QUALIFY REGEXP REVOKE RIGHT RLIKE ROW ROWS SAMPLE SCHEMA SELECT SET SOME START TABLE " +
    "TABLESAMPLE THEN TO TRIGGER TRUE TRY_CAST UNION UNIQUE UPDATE USING VALUES VIEW WHEN WHENEVER WHERE WITH"
  ).split(" "),
);

/**
 * External tables already have VALUE (the row variant) and METADATA$FILENAME pseudo-columns, so a
 * Glue column called `value` must be quoted to stay a distinct (lower-case) identifier.
 */
const EXTERNAL_TABLE_PSEUDO_COLUMNS = new Set(["VALUE", "METADATA$FILENAME", "METADATA$FILE_ROW_NUMBER"]);

const SIMPLE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** How Snowflake stores a name written through quoteIdentifier: unquoted names are upper-cased. */
export function storedIdentifier(name: string): string {
  return quoteIdentifier(name).startsWith('"') ? name : name.toUpperCase();
}

/** Quote an identifier only when Snowflake needs it, so ordinary names stay case-insensitive. */
export function quoteIdentifier(name: string): string {
  const upper = name.toUpperCase();
  if (SIMPLE_IDENTIFIER.test(name) && !RESERVED.has(upper) && !EXTERNAL_TABLE_PSEUDO_COLUMNS.has(upper)) {
    return name;
  }
  return `"${name.replaceAll('"', '""')}"`;
}

export function qualifiedName(parts: readonly string[]): string {
  return parts.map(quoteIdentifier).join(".");
}

export interface SnowflakeSchemaRef {
  database: string;
  schema: string;
}

/** `sales__public` -> {database: "sales", schema: "public"}; anything else is not mapped. */
export function snowflakeSchemaFor(glueDatabase: string, separator: string): SnowflakeSchemaRef | undefined {
  const parts = glueDatabase.split(separator);
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { database: parts[0], schema: parts[1] };
}

export function notMappedReason(glueDatabase: string, separator: string): string {
  return `Glue database "${glueDatabase}" is not named <snowflake_db>${separator}<snowflake_schema>`;
}

export interface StageMatch {
  /** The stage's name split into database, schema and stage. */
  stage: [string, string, string];
  stageUrl: string;
  /** The location below the stage URL, without a leading slash, ending with "/" unless empty. */
  path: string;
  /** Folders in the stage URL after the bucket (`s3://b/raw/eu/` -> 2). */
  stagePrefixDepth: number;
}

/** Hadoop's s3a:// and s3n:// name the same objects as s3://. */
function normaliseS3Url(url: string): string {
  return url.replace(/^s3[an]?:\/\//i, "s3://");
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/** The stage whose S3 URL is the longest prefix of the location, on a "/" boundary. */
export function resolveStage(
  location: string,
  stages: Readonly<Record<string, string>>,
): StageMatch | undefined {
  const target = withTrailingSlash(normaliseS3Url(location));
  let best: StageMatch | undefined;
  for (const [name, url] of Object.entries(stages)) {
    const prefix = withTrailingSlash(normaliseS3Url(url));
    if (!target.startsWith(prefix)) continue;
    if (best && withTrailingSlash(best.stageUrl).length >= prefix.length) continue;
    const [database = "", schema = "", stage = ""] = name.split(".");
    const stagePrefixDepth = prefix
      .replace(/^s3:\/\/[^/]+\/?/, "")
      .split("/")
      .filter(Boolean).length;
    best = {
      stage: [database, schema, stage],
      stageUrl: url,
      path: target.slice(prefix.length),
      stagePrefixDepth,
    };
  }
  return best;
}
