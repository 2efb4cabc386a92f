// The config's `mesh` section: the central governance account, the LF-Tag ontology and its
// assignments, the producer and consumer accounts, and the tag-based grants. Terraform (stacks/mesh-*)
// deploys the infrastructure it describes; the mesh reconciler turns the rest into Lake Formation state.
// Cross-field rules (declared tags, declared principals, distinct accounts, prefixes inside declared
// buckets) are checked here so every mistake is one line naming the field.
import * as z from "zod";
import {
  accountId,
  bucketName,
  catalogGlob,
  databaseName,
  int,
  nonEmpty,
  region,
  resourceName,
  roleArn,
  s3Url,
  shown,
  uniqueBy,
} from "./fields.ts";
import { accountIdPattern, iamPrincipalArnPattern, scheduleExpressionPattern } from "./rules.ts";

export const lakeFormationPermissions = [
  "ALL",
  "SELECT",
  "DESCRIBE",
  "ALTER",
  "DROP",
  "INSERT",
  "DELETE",
  "CREATE_TABLE",
] as const;

const lfTagKey = () =>
  z.string().regex(/^[\w.:/=+\-@ ]{1,128}$/, {
    error: (issue) => `expected an LF-Tag key of 1-128 characters, got ${shown(issue.input)}`,
  });

const lfTagValue = () =>
  z.string().regex(/^[\w.:/=+\-@ *]{1,256}$/, {
    error: (issue) => `expected an LF-Tag value of 1-256 characters, got ${shown(issue.input)}`,
  });

const iamPrincipalArn = () =>
  z.string().regex(iamPrincipalArnPattern, {
    error: (issue) =>
      `expected an IAM role or user ARN like "arn:aws:iam::123456789012:role/analysts", got ${shown(issue.input)}`,
  });

const kmsKeyArn = () =>
  z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/, {
    error: (issue) =>
      `expected a KMS key ARN like "arn:aws:kms:us-east-1:123456789012:key/<uuid>", got ${shown(issue.input)}`,
  });

const schedule = () =>
  z.string().regex(scheduleExpressionPattern, {
    error: (issue) =>
      `expected an EventBridge schedule like "cron(0 3 * * ? *)" or "rate(1 day)", got ${shown(issue.input)}`,
  });

const keyPrefix = () =>
  z.string().regex(/^(?:[^/].*\/)?$/, {
    error: (issue) =>
      `expected a key prefix ending in "/" and not starting with "/" ("" for the whole bucket), got ${shown(issue.input)}`,
  });

const permissionList = () =>
  z.array(
    z.enum(lakeFormationPermissions, {
      error: (issue) => `expected one of ${lakeFormationPermissions.join(", ")}, got ${shown(issue.input)}`,
    }),
  );

const accountFields = (what: string) => ({
  account: accountId().describe(`${what} account id.`),
  roleArn: roleArn().describe(
    `Role in the ${what.toLowerCase()} account that Terraform's provider and \`lakesync mesh\` assume (it must be in this account).`,
  ),
});

export const meshCentralSchema = z
  .strictObject({
    ...accountFields("Central governance"),
    region: region().describe(
      "Region of the mesh: the central catalog, the producer locations and the consumers' resource links (Lake Formation shares within a region).",
    ),
    admins: z
      .array(iamPrincipalArn())
      .default([])
      .describe(
        "Data lake administrators of the central account, added to the existing ones (never removed).",
      ),
    dataAccessRoleName: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, {
        error: (issue) =>
          `expected an IAM role name (1-64 letters, digits, +=,.@_-), got ${shown(issue.input)}`,
      })
      .default("lakesync-mesh-data-access")
      .describe(
        "Name of the role the central stack creates for Lake Formation to read the registered producer locations.",
      ),
    crossAccountVersion: int(1, 4)
      .default(4)
      .describe(
        "Lake Formation cross-account version (CROSS_ACCOUNT_VERSION); 3 or later lets grants name IAM principals in other accounts.",
      ),
    hybridAccessMode: z
      .boolean()
      .default(false)
      .describe(
        "Register the producer locations in hybrid access mode (IAM and Lake Formation permissions both apply) instead of Lake Formation mode.",
      ),
    reconcileSchedule: schedule()
      .default("rate(1 hour)")
      .describe("How often the deployed reconciler applies the mesh (tags and links crawler-made tables)."),
  })
  .describe("The governance account holding the shared catalog, the LF-Tags and the crawlers.");

export const meshTagAssignmentSchema = z
  .strictObject({
    resource: catalogGlob().describe(
      'Databases ("sales_*") or tables ("sales_*.orders_*") of the central catalog, as globs; tables crawlers create later match too.',
    ),
    columns: z
      .array(nonEmpty())
      .min(1, { error: "expected at least one column" })
      .optional()
      .describe("Tag these columns of the matching tables instead of the tables (needs a table glob)."),
    lfTags: z
      .record(lfTagKey(), lfTagValue())
      .refine((tags) => Object.keys(tags).length > 0, { error: "expected at least one LF-Tag" })
      .describe("LF-Tag key → the one value assigned (keys and values must be declared in mesh.lfTags)."),
  })
  .describe("LF-Tags assigned to every database, table or column a glob matches.");

export const meshBucketSchema = z
  .strictObject({
    name: bucketName().describe(
      "The producer's existing data bucket; the producer stack owns its bucket policy.",
    ),
    kmsKeyArn: kmsKeyArn()
      .optional()
      .describe(
        "Customer-managed KMS key encrypting the bucket; the producer stack grants the central roles decrypt on it. Omit for SSE-S3.",
      ),
    prefixes: z
      .array(keyPrefix())
      .min(1, { error: "expected at least one key prefix" })
      .describe(
        'Key prefixes shared with the mesh ("sales/"); each is registered with Lake Formation, and the central roles read nothing else.',
      ),
  })
  .describe("A producer bucket and the prefixes it shares.");

export const meshCrawlerSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[\w-]{1,200}$/, {
        error: (issue) =>
          `expected a crawler name of letters, digits, _ and - (at most 200), got ${shown(issue.input)}`,
      })
      .describe('Crawler name; with several prefixes each crawler is named "<name>-<prefix>".'),
    database: databaseName().describe("Central Glue database the crawler writes tables into."),
    prefixes: z
      .array(s3Url())
      .min(1, { error: "expected at least one S3 URL" })
      .describe(
        "S3 URLs crawled, one crawler each; each must lie under a prefix of this producer's buckets.",
      ),
    schedule: z
      .string()
      .regex(/^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/, {
        error: (issue) => `expected a Glue cron schedule like "cron(0 2 * * ? *)", got ${shown(issue.input)}`,
      })
      .optional()
      .describe("When the crawlers run; omit to run them on demand only."),
    tablePrefix: z
      .string()
      .regex(/^[a-z0-9_]{0,64}$/, {
        error: (issue) =>
          `expected a table name prefix of lower-case letters, digits and _, got ${shown(issue.input)}`,
      })
      .default("")
      .describe("Prefix of the names of the tables the crawlers create."),
  })
  .describe("Central Glue crawlers over a producer's prefixes.");

const columnSchema = z.strictObject({
  name: nonEmpty().describe("Column name."),
  type: nonEmpty().describe('Hive type, e.g. "string", "bigint", "decimal(10,2)".'),
});

export const meshTableSchema = z
  .strictObject({
    database: databaseName().describe("Central Glue database of the table."),
    name: databaseName().describe("Table name."),
    location: s3Url().describe(
      "S3 URL of the table's data; must lie under a prefix of this producer's buckets.",
    ),
    format: z
      .enum(["parquet", "csv", "json"], {
        error: (issue) => `expected one of parquet, csv, json, got ${shown(issue.input)}`,
      })
      .default("parquet")
      .describe("Data format."),
    columns: z.array(columnSchema).min(1, { error: "expected at least one column" }).describe("Columns."),
    partitionKeys: z.array(columnSchema).default([]).describe("Partition columns."),
  })
  .describe("A table declared explicitly instead of crawled; the central stack creates it.");

export const meshProducerSchema = z
  .strictObject({
    name: resourceName().describe('Producer name in stack and resource names, e.g. "sales".'),
    ...accountFields("Producer"),
    buckets: z
      .array(meshBucketSchema)
      .min(1, { error: "expected at least one bucket" })
      .describe("Buckets holding the producer's data."),
    crawlers: z.array(meshCrawlerSchema).default([]).describe("Crawlers that catalog the data centrally."),
    tables: z.array(meshTableSchema).default([]).describe("Tables declared instead of crawled."),
  })
  .describe("An account that owns data and shares it through the central catalog.");

export const meshConsumerSchema = z
  .strictObject({
    name: resourceName().describe('Consumer name in stack and resource names, e.g. "analytics".'),
    ...accountFields("Consumer"),
    admins: z
      .array(iamPrincipalArn())
      .default([])
      .describe("Data lake administrators of the consumer account, added to the existing ones."),
    principals: z
      .array(iamPrincipalArn())
      .default([])
      .describe(
        "IAM roles or users of this account that read the shared data (granted on links and targets).",
      ),
    resourceLinks: z
      .strictObject({
        database: databaseName().describe("Consumer database holding the resource links."),
        tables: z
          .union([z.literal("all"), z.array(catalogGlob()).min(1, { error: 'expected a glob, or "all"' })], {
            error: (issue) => `expected "all" or a list of "database.table" globs, got ${shown(issue.input)}`,
          })
          .default("all")
          .describe('Shared central tables linked: "all", or "database.table" globs.'),
      })
      .optional()
      .describe("Resource links to the central tables shared with this account."),
    athena: z
      .strictObject({
        workgroup: z
          .string()
          .regex(/^[a-zA-Z0-9._-]{1,128}$/, {
            error: (issue) =>
              `expected an Athena workgroup name (letters, digits, . _ -), got ${shown(issue.input)}`,
          })
          .describe("Athena workgroup the consumer stack creates, with an enforced result location."),
        resultBucket: bucketName().describe("Bucket the consumer stack creates for the query results."),
        kmsKeyArn: kmsKeyArn()
          .optional()
          .describe("Existing KMS key encrypting the results; omit to use the consumer stack's own key."),
      })
      .optional()
      .describe("Where the consumer's principals query the shared tables."),
  })
  .describe("An account that queries shared data.");

export const meshGrantSchema = z
  .strictObject({
    lfTags: z
      .record(lfTagKey(), z.array(lfTagValue()).min(1, { error: "expected at least one tag value" }))
      .refine((tags) => Object.keys(tags).length > 0, { error: "expected at least one LF-Tag" })
      .describe("LF-Tag expression: key → allowed values (keys and values must be declared in mesh.lfTags)."),
    resourceType: z
      .enum(["DATABASE", "TABLE"], {
        error: (issue) => `expected DATABASE or TABLE, got ${shown(issue.input)}`,
      })
      .default("TABLE")
      .describe("What the tag expression selects."),
    principals: z
      .array(
        z.union([accountId(), iamPrincipalArn()], {
          error: (issue) =>
            `expected a 12-digit account id or an IAM role or user ARN, got ${shown(issue.input)}`,
        }),
      )
      .min(1, { error: "expected at least one principal" })
      .describe(
        "Producer or consumer account ids, or principals declared in mesh.consumers[].principals, that receive the grant.",
      ),
    permissions: permissionList()
      .min(1, { error: "expected at least one permission" })
      .describe("Lake Formation permissions granted."),
    permissionsWithGrantOption: permissionList()
      .default([])
      .describe(
        "Of those permissions, the ones the principals may grant on (needed to re-grant to consumer roles).",
      ),
  })
  .describe("A tag-based grant from the central account.");

const meshFields = z.strictObject({
  central: meshCentralSchema,
  sameOrganization: z
    .boolean()
    .default(false)
    .describe(
      "The mesh accounts are in one AWS Organization with RAM sharing enabled, so shares need no acceptance; otherwise the consumers accept the central account's RAM invitations.",
    ),
  lfTags: z
    .record(lfTagKey(), z.array(lfTagValue()).min(1, { error: "expected at least one tag value" }))
    .default({})
    .describe("The LF-Tag ontology created in the central account: key → allowed values."),
  tagAssignments: z
    .array(meshTagAssignmentSchema)
    .default([])
    .describe("LF-Tags assigned by glob rules, applied by the reconciler."),
  producers: z.array(meshProducerSchema).default([]).describe("Accounts that own data."),
  consumers: z.array(meshConsumerSchema).default([]).describe("Accounts that query shared data."),
  grants: z.array(meshGrantSchema).default([]).describe("Tag-based grants, applied by the reconciler."),
});

type Mesh = z.output<typeof meshFields>;
type Ctx = z.core.$RefinementCtx<Mesh>;

export const meshSchema = meshFields
  .superRefine((mesh, ctx) => checkMesh(mesh, ctx))
  .describe(
    "Lake Formation data mesh: central governance account, LF-Tags, producers, consumers and tag-based grants.",
  );

function issue(ctx: Ctx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: "custom", path, message });
}

function checkMesh(mesh: Mesh, ctx: Ctx): void {
  checkAccounts(mesh, ctx);
  uniqueBy(mesh.producers, (p) => p.name, ctx, {
    array: "mesh.producers",
    path: ["producers"],
    field: "name",
    what: "producer name",
  });
  uniqueBy(mesh.consumers, (c) => c.name, ctx, {
    array: "mesh.consumers",
    path: ["consumers"],
    field: "name",
    what: "consumer name",
  });
  mesh.tagAssignments.forEach((assignment, i) => {
    if (assignment.columns && !assignment.resource.includes(".")) {
      issue(
        ctx,
        ["tagAssignments", i, "columns"],
        `expected a "database.table" resource glob for column tags, got ${shown(assignment.resource)}`,
      );
    }
    for (const [key, value] of Object.entries(assignment.lfTags)) {
      checkDeclaredTag(mesh, ctx, ["tagAssignments", i, "lfTags", key], key, [value]);
    }
  });
  for (const [p, producer] of mesh.producers.entries()) checkProducer(producer, p, ctx);
  checkCrawlerNames(mesh, ctx);
  mesh.consumers.forEach((consumer, c) => {
    consumer.principals.forEach((arn, i) => {
      if (arnAccount(arn) !== consumer.account) {
        issue(
          ctx,
          ["consumers", c, "principals", i],
          `expected a principal in the consumer's account ${consumer.account}, got ${shown(arn)}`,
        );
      }
    });
  });
  for (const [g, grant] of mesh.grants.entries()) checkGrant(mesh, grant, ["grants", g], ctx);
}

function arnAccount(arn: string): string {
  return arn.split(":")[4] ?? "";
}

/** Each mesh account plays one role, and each entry's role is assumed in its own account. */
function checkAccounts(mesh: Mesh, ctx: Ctx): void {
  const entries: { path: (string | number)[]; account: string; roleArn: string }[] = [
    { path: ["central"], ...mesh.central },
    ...mesh.producers.map((p, i) => ({ path: ["producers", i], ...p })),
    ...mesh.consumers.map((c, i) => ({ path: ["consumers", i], ...c })),
  ];
  const firstUse = new Map<string, string>();
  for (const entry of entries) {
    const where = `mesh.${entry.path.join(".").replace(/\.(\d+)/g, "[$1]")}`;
    const first = firstUse.get(entry.account);
    if (first) {
      issue(
        ctx,
        [...entry.path, "account"],
        `expected an account distinct from every other mesh account, ${shown(entry.account)} is also ${first}`,
      );
    } else {
      firstUse.set(entry.account, where);
    }
    if (arnAccount(entry.roleArn) !== entry.account) {
      issue(
        ctx,
        [...entry.path, "roleArn"],
        `expected a role in account ${entry.account}, got ${shown(entry.roleArn)}`,
      );
    }
  }
}

function checkDeclaredTag(
  mesh: Mesh,
  ctx: Ctx,
  path: (string | number)[],
  key: string,
  values: readonly string[],
): void {
  const declared = mesh.lfTags[key];
  if (!declared) {
    issue(ctx, path, `expected an LF-Tag key declared in mesh.lfTags, got ${shown(key)}`);
    return;
  }
  for (const value of values.filter((v) => !declared.includes(v))) {
    issue(
      ctx,
      path,
      `expected values declared in mesh.lfTags.${key} (${declared.join(", ")}), got ${shown(value)}`,
    );
  }
}

/** Whether an S3 URL lies under one of the producer's declared bucket prefixes. */
export function isSharedLocation(producer: Pick<MeshProducer, "buckets">, url: string): boolean {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) return false;
  const [, bucket, key = ""] = match;
  const directory = key.endsWith("/") ? key : `${key}/`;
  return producer.buckets.some(
    (b) => b.name === bucket && b.prefixes.some((prefix) => directory.startsWith(prefix)),
  );
}

function checkProducer(producer: MeshProducer, index: number, ctx: Ctx): void {
  const path = ["producers", index];
  uniqueBy(producer.buckets, (b) => b.name, ctx, {
    array: `mesh.producers[${index}].buckets`,
    path: [...path, "buckets"],
    field: "name",
    what: "bucket name",
  });
  producer.crawlers.forEach((crawler, c) => {
    crawler.prefixes.forEach((url, i) => {
      if (!isSharedLocation(producer, url)) {
        issue(
          ctx,
          [...path, "crawlers", c, "prefixes", i],
          `expected an S3 URL under a prefix of this producer's buckets, got ${shown(url)}`,
        );
      }
    });
  });
  producer.tables.forEach((table, t) => {
    if (!isSharedLocation(producer, table.location)) {
      issue(
        ctx,
        [...path, "tables", t, "location"],
        `expected an S3 URL under a prefix of this producer's buckets, got ${shown(table.location)}`,
      );
    }
  });
}

/**
 * The Glue crawlers a crawler entry stands for: one per prefix, named after the entry alone when
 * it has one prefix, else "<name>-<key prefix with / as ->" ("<name>-bucket" for a whole bucket).
 */
export function crawlersOf(crawler: MeshCrawler): { name: string; prefix: string }[] {
  if (crawler.prefixes.length === 1) return [{ name: crawler.name, prefix: crawler.prefixes[0]! }];
  return crawler.prefixes.map((prefix) => {
    const [, bucket, key] = /^s3:\/\/([^/]+)\/?(.*)$/.exec(prefix) ?? [];
    const slug =
      (key ?? "").replace(/[^\w-]+/g, "-").replace(/^-+|-+$/g, "") || (bucket ?? "").replace(/\./g, "-");
    return { name: `${crawler.name}-${slug}`, prefix };
  });
}

function checkCrawlerNames(mesh: Mesh, ctx: Ctx): void {
  const firstUse = new Map<string, string>();
  mesh.producers.forEach((producer, p) => {
    producer.crawlers.forEach((crawler, c) => {
      const where = `mesh.producers[${p}].crawlers[${c}]`;
      for (const { name } of crawlersOf(crawler)) {
        const first = firstUse.get(name);
        if (first && first !== where) {
          issue(
            ctx,
            ["producers", p, "crawlers", c, "name"],
            `expected unique crawler names, ${shown(name)} is also made by ${first}`,
          );
        } else {
          firstUse.set(name, where);
        }
      }
    });
  });
}

function checkGrant(mesh: Mesh, grant: MeshGrant, path: (string | number)[], ctx: Ctx): void {
  const accounts = new Set([...mesh.producers, ...mesh.consumers].map((a) => a.account));
  const principals = new Set(mesh.consumers.flatMap((c) => c.principals));
  grant.principals.forEach((principal, i) => {
    const isAccount = accountIdPattern.test(principal);
    if (isAccount ? !accounts.has(principal) : !principals.has(principal)) {
      issue(
        ctx,
        [...path, "principals", i],
        `expected a producer or consumer account, or a principal declared in mesh.consumers, got ${shown(principal)}`,
      );
    } else if (!isAccount && mesh.central.crossAccountVersion < 3) {
      issue(
        ctx,
        [...path, "principals", i],
        `expected an account id: cross-account version ${mesh.central.crossAccountVersion} cannot grant to IAM principals in other accounts (set mesh.central.crossAccountVersion to 3 or 4), got ${shown(principal)}`,
      );
    }
  });
  for (const [key, values] of Object.entries(grant.lfTags)) {
    checkDeclaredTag(mesh, ctx, [...path, "lfTags", key], key, values);
  }
  const granted = new Set(grant.permissions);
  for (const permission of grant.permissionsWithGrantOption.filter(
    (p) => !granted.has(p) && !granted.has("ALL"),
  )) {
    issue(
      ctx,
      [...path, "permissionsWithGrantOption"],
      `expected permissions also listed in permissions, got ${shown(permission)}`,
    );
  }
}

export type MeshConfig = z.output<typeof meshSchema>;
export type MeshCentral = MeshConfig["central"];
export type MeshTagAssignment = MeshConfig["tagAssignments"][number];
export type MeshProducer = MeshConfig["producers"][number];
export type MeshBucket = MeshProducer["buckets"][number];
export type MeshCrawler = MeshProducer["crawlers"][number];
export type MeshTable = MeshProducer["tables"][number];
export type MeshConsumer = MeshConfig["consumers"][number];
export type MeshGrant = MeshConfig["grants"][number];
export type LakeFormationPermission = (typeof lakeFormationPermissions)[number];
