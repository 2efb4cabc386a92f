// Rewrites source identities into target identities: region, account/catalog id, S3 buckets
// (host only), principals, and decides what is replicated (include/exclude globs). Realtime
// changes and batch snapshots go through these same functions, so both paths agree.

/** The `iceberg` setting of a target (modules/mapping/iceberg-tables.ts). */
export const icebergModes = ["rewrite", "pointer-only", "skip"] as const;
export type IcebergMode = (typeof icebergModes)[number];

export interface MappingRules {
  sourceAccount: string;
  sourceRegion: string;
  targetAccount: string;
  targetRegion: string;
  /** Source bucket -> target bucket. Only the bucket (URI host) changes, never the key. */
  buckets: Readonly<Record<string, string>>;
  /** Source account -> target account, beyond the implicit sourceAccount -> targetAccount. */
  accounts: Readonly<Record<string, string>>;
  /** Source principal (ARN, account id, SAML/group ARN) -> target principal; exact match first. */
  principals: Readonly<Record<string, string>>;
  filters: { include: readonly string[]; exclude: readonly string[] };
  /**
   * Data lake admins (principal ARNs in target terms) no path ever removes: lakesync's own roles
   * (replicator, batch worker, target writer) and the configured `targets[].protectedAdmins`.
   */
  protectedAdmins: readonly string[];
  /**
   * What a write of an Iceberg table whose metadata the bucket mapping moves does (the target's
   * `iceberg` setting; default rewrite): see modules/mapping/iceberg-tables.ts.
   */
  iceberg?: IcebergMode;
}

export function identityRules(account: string, region: string): MappingRules {
  return {
    sourceAccount: account,
    sourceRegion: region,
    targetAccount: account,
    targetRegion: region,
    buckets: {},
    accounts: {},
    principals: {},
    filters: { include: [], exclude: [] },
    protectedAdmins: [],
  };
}

const s3Uri = /^(s3[an]?):\/\/([^/]+)(.*)$/s;
const s3Arn = /^arn:(aws[a-z-]*):s3:::([^/]+)(.*)$/s;

/** s3://bucket/key -> s3://mapped-bucket/key (also s3a://, s3n://); anything else is returned as is. */
export function mapS3Uri(uri: string, rules: Pick<MappingRules, "buckets">): string {
  const match = s3Uri.exec(uri);
  if (!match) return uri;
  const [, scheme, bucket, rest] = match;
  const mapped = rules.buckets[bucket!];
  return mapped ? `${scheme}://${mapped}${rest}` : uri;
}

/** arn:aws:s3:::bucket/prefix (RegisterResource, DataLocation) -> the mapped bucket. */
export function mapS3Arn(arn: string, rules: Pick<MappingRules, "buckets">): string {
  const match = s3Arn.exec(arn);
  if (!match) return arn;
  const [, partition, bucket, rest] = match;
  const mapped = rules.buckets[bucket!];
  return mapped ? `arn:${partition}:s3:::${mapped}${rest}` : arn;
}

export function mapAccount(account: string, rules: MappingRules): string {
  return rules.accounts[account] ?? (account === rules.sourceAccount ? rules.targetAccount : account);
}

const nestedCatalogId = /^(\d{12})(:.+)$/s;

/**
 * A Glue/Lake Formation catalog id (CatalogId, TableCatalogId, Catalog.Id): an account id, or
 * `<account>:<catalog>` for a nested catalog (S3 Tables, federated catalogs); the account maps.
 */
export function mapCatalogId(catalogId: string, rules: MappingRules): string {
  const nested = nestedCatalogId.exec(catalogId);
  return nested ? `${mapAccount(nested[1]!, rules)}${nested[2]}` : mapAccount(catalogId, rules);
}

const accountArn = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}):(.*)$/s;

/**
 * Maps an ARN's account, and its region when it is the source region. IAM ARNs have no region;
 * Glue/LF resource ARNs do.
 */
export function mapArn(arn: string, rules: MappingRules): string {
  const match = accountArn.exec(arn);
  if (!match) return mapS3Arn(arn, rules);
  const [, partition, service, region, account, resource] = match;
  const mappedRegion = region === rules.sourceRegion ? rules.targetRegion : region;
  return `arn:${partition}:${service}:${mappedRegion}:${mapAccount(account!, rules)}:${resource}`;
}

/** Lake Formation DataLakePrincipalIdentifier: role/user ARNs, account ids, SAML/IdC ARNs, IAM_ALLOWED_PRINCIPALS. */
export function mapPrincipal(principal: string, rules: MappingRules): string {
  const exact = rules.principals[principal];
  if (exact) return exact;
  if (/^\d{12}$/.test(principal)) return mapAccount(principal, rules);
  if (principal.startsWith("arn:")) return mapArn(principal, rules);
  return principal; // IAM_ALLOWED_PRINCIPALS, organizations ids, …
}

/** A `*`/`?` glob as an anchored regular expression (filters, mesh tag rules). */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

function matches(patterns: readonly string[], database: string, table: string | undefined): boolean {
  return patterns.some((pattern) => {
    const dot = pattern.indexOf(".");
    if (dot < 0) return globToRegExp(pattern).test(database);
    const dbPattern = pattern.slice(0, dot);
    const tablePattern = pattern.slice(dot + 1);
    if (!globToRegExp(dbPattern).test(database)) return false;
    // A database-level question is answered "yes" by a table pattern in it: the database must
    // exist in the target for its included tables.
    return table === undefined ? true : globToRegExp(tablePattern).test(table);
  });
}

/**
 * Whether a database (table undefined) or a table is replicated. Patterns are `db` or `db.table`
 * globs (`*`, `?`); no include patterns means everything; exclude wins over include.
 */
export function isIncluded(rules: MappingRules, database: string, table?: string): boolean {
  const { include, exclude } = rules.filters;
  if (include.length > 0 && !matches(include, database, table)) return false;
  if (exclude.length === 0) return true;
  if (table === undefined) {
    // Only a whole-database exclude removes the database itself.
    return !exclude.some((pattern) => !pattern.includes(".") && globToRegExp(pattern).test(database));
  }
  return !matches(exclude, database, table);
}
