// The declared mesh as the reconciler reads it: one account per role, the LF-Tag ontology, the
// tag rules, the tag-policy grants and the consumers' links. Built from the config's `mesh`
// section (spec-of-config.ts); the planner and the explainer take only this shape.

/** An account the reconciler acts in: reached through `roleArn` when given (production). */
export interface MeshAccount {
  account: string;
  region: string;
  roleArn?: string;
}

/** LF tags put on the databases a glob matches, on their tables matching a glob, or on columns. */
export interface TagRule {
  /** A glob over the central catalog's live databases (`sales_*`). */
  databases: string;
  /** A glob over those databases' live tables; absent, the rule tags the databases. */
  tables?: string;
  /** Tag these columns of each matching table instead of the table. */
  columns?: string[];
  /** Key -> the one value assigned. */
  tags: Record<string, string>;
}

/** A tag-policy grant in the central catalog. */
export interface MeshGrant {
  /** An account id or an IAM principal ARN (any account). */
  principal: string;
  resourceType: "DATABASE" | "TABLE";
  /** LF-Tag expression: key -> allowed values. */
  expression: Record<string, string[]>;
  permissions: string[];
  permissionsWithGrantOption: string[];
}

export interface MeshConsumer extends MeshAccount {
  /** IAM principals of the consumer account that query the shared tables. */
  principals: string[];
  /** Data lake admins added to the consumer's (never removed). */
  admins: string[];
  /** The resource links wanted, if any: a consumer database holding one link per shared table. */
  links?: {
    /** The consumer database holding the links (created by the reconciler). */
    database: string;
    /** "all" shared tables, or `database.table` globs over the central catalog. */
    tables: "all" | string[];
  };
}

export interface MeshSpec {
  central: MeshAccount & {
    /** Data lake admins added to the current ones (which are never removed). */
    admins: string[];
    crossAccountVersion: number;
    /** Central databases the producers' crawlers and tables write (the tag rules' globs add more). */
    databases: string[];
    /**
     * The central crawlers' role (when the mesh has crawlers): Lake Formation lets a crawl write
     * tables only with CREATE_TABLE/ALTER/DESCRIBE on its databases and DATA_LOCATION_ACCESS on the
     * registered locations.
     */
    crawler?: { roleArn: string; databases: string[]; locations: string[] };
  };
  /** Producer accounts: they receive grants, so they accept the central account's RAM invitations. */
  producers: MeshAccount[];
  /** One AWS Organization with RAM sharing: shares need no acceptance. */
  sameOrganization: boolean;
  lfTags: Record<string, string[]>;
  assignments: TagRule[];
  grants: MeshGrant[];
  consumers: MeshConsumer[];
  /**
   * How an account the config no longer declares is reached for `--prune` (a removed consumer):
   * its region is the central region, its role this template with `{account}` replaced.
   */
  accountRoleTemplate?: string;
}

/** Where an account is reached: declared, or (removed from the config) by the role template. */
export function locateAccount(spec: MeshSpec, account: string): MeshAccount {
  if (account === spec.central.account) return spec.central;
  const producer = spec.producers.find((p) => p.account === account);
  if (producer) return producer;
  const consumer = spec.consumers.find((c) => c.account === account);
  if (consumer) return consumer;
  const roleArn = spec.accountRoleTemplate?.replaceAll("{account}", account);
  return { account, region: spec.central.region, ...(roleArn ? { roleArn } : {}) };
}

/** The account a principal (account id or IAM ARN) belongs to. */
export function accountOfPrincipal(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:aws[\w-]*:iam::(\d{12}):/.exec(principal)?.[1];
}
