// Converts the data-mesh seed's src/accounts/variables.json (read by its three CDK stacks and by
// post_setup.py) into a lakesync `mesh` section: the names it holds, plus the tags, assignments
// and grants post_setup.py made by hand. Every key is mapped or reported with the reason, and so is
// every required field the seed cannot provide (it learnt its account ids from named profiles at
// synth time). Pure: text in, draft + report out.

import { formatPath } from "../load.ts";
import { meshSchema } from "../mesh-schema.ts";
import { type SeedImport, SeedImportError, type UnmappedOption } from "./seed-import.ts";

const KEYS = [
  "producer_bucket_name",
  "central_database_name",
  "consumer_database_name",
  "consumer_athena_wg_name",
  "central_table_prefix",
  "central_crawler_name",
  "central_tag_key",
  "central_tag_values",
  "consumer_sso_arn",
] as const;
type Key = (typeof KEYS)[number];

/** post_setup.py's only region (every boto3 session is created in it). */
const SEED_REGION = "us-east-1";
/** The one folder of the seed's eight sample folders its crawler targets. */
const SEED_CRAWLED_FOLDER = "customers/";

/** Whether a file is the mesh seed's variables.json rather than an INI seed config. */
export function looksLikeSeedVariables(text: string): boolean {
  return text.trimStart().startsWith("{");
}

export function importSeedVariables(text: string): SeedImport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SeedImportError(`not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new SeedImportError("not a seed variables.json: expected a JSON object");
  }
  const vars = parsed as Record<string, unknown>;
  if (!KEYS.some((k) => Object.hasOwn(vars, k))) {
    throw new SeedImportError(`not a seed variables.json: it has none of the keys ${KEYS.join(", ")}`);
  }
  const unmapped: UnmappedOption[] = [];
  const stringOf = (key: Key): string | undefined => {
    const value = vars[key];
    if (value === undefined) return undefined;
    if (typeof value === "string" && value.length > 0) return value;
    unmapped.push({ key, reason: `expected a non-empty string, got ${JSON.stringify(value)}` });
    return undefined;
  };
  for (const key of Object.keys(vars).filter((k) => !(KEYS as readonly string[]).includes(k))) {
    unmapped.push({ key, reason: "not a key of the seed's variables.json; nothing reads it" });
  }

  const bucket = stringOf("producer_bucket_name")?.toLowerCase();
  const centralDatabase = stringOf("central_database_name");
  const consumerDatabase = stringOf("consumer_database_name");
  const workgroup = stringOf("consumer_athena_wg_name");
  const tablePrefix = stringOf("central_table_prefix");
  const crawlerName = stringOf("central_crawler_name");
  const tagKey = stringOf("central_tag_key");
  const tagValues = vars.central_tag_values;
  const ssoArn = stringOf("consumer_sso_arn");
  const consumerAccount = ssoArn ? /^arn:aws[\w-]*:iam::(\d{12}):/.exec(ssoArn)?.[1] : undefined;

  const values =
    Array.isArray(tagValues) && tagValues.length > 0 && tagValues.every((v) => typeof v === "string")
      ? (tagValues as string[])
      : undefined;
  if (tagValues !== undefined && !values) {
    unmapped.push({
      key: "central_tag_values",
      reason: `expected a non-empty list of strings, got ${JSON.stringify(tagValues)}`,
    });
  }
  if (values && values.length > 1) {
    unmapped.push({
      key: "central_tag_values",
      reason: `a resource takes one value per LF-Tag key, so the assignments use the first, ${JSON.stringify(values[0])}; the grants allow them all`,
    });
  }
  const tagged = tagKey && values ? { key: tagKey, values } : undefined;

  const mesh: Record<string, unknown> = {
    central: { region: SEED_REGION },
    lfTags: tagged ? { [tagged.key]: tagged.values } : {},
    tagAssignments:
      tagged && centralDatabase
        ? [
            { resource: centralDatabase, lfTags: { [tagged.key]: tagged.values[0] } },
            { resource: `${centralDatabase}.*`, lfTags: { [tagged.key]: tagged.values[0] } },
          ]
        : [],
    producers: [
      {
        name: "producer",
        buckets: bucket ? [{ name: bucket, prefixes: [""] }] : [],
        crawlers:
          bucket && centralDatabase && crawlerName
            ? [
                {
                  name: crawlerName,
                  database: centralDatabase,
                  prefixes: [`s3://${bucket}/${SEED_CRAWLED_FOLDER}`],
                  ...(tablePrefix ? { tablePrefix } : {}),
                },
              ]
            : [],
      },
    ],
    consumers: [
      {
        name: "consumer",
        ...(consumerAccount ? { account: consumerAccount } : {}),
        ...(ssoArn ? { principals: [ssoArn] } : {}),
        ...(consumerDatabase ? { resourceLinks: { database: consumerDatabase, tables: "all" } } : {}),
        ...(workgroup ? { athena: { workgroup } } : {}),
      },
    ],
    grants:
      tagged && consumerAccount
        ? [
            // post_setup.py's grants to the consumer account, all with grant option.
            {
              lfTags: { [tagged.key]: tagged.values },
              resourceType: "TABLE",
              principals: [consumerAccount],
              permissions: ["DESCRIBE", "SELECT"],
              permissionsWithGrantOption: ["DESCRIBE", "SELECT"],
            },
            {
              lfTags: { [tagged.key]: tagged.values },
              resourceType: "DATABASE",
              principals: [consumerAccount],
              permissions: ["DESCRIBE", "CREATE_TABLE"],
              permissionsWithGrantOption: ["DESCRIBE", "CREATE_TABLE"],
            },
          ]
        : [],
  };

  unmapped.push(...notes({ bucket, crawlerName, ssoArn, consumerAccount, tagged: !!tagged, workgroup }));
  const check = meshSchema.safeParse(mesh);
  if (!check.success) {
    const reported = new Set(unmapped.map((u) => u.key));
    for (const issue of check.error.issues) {
      const key = formatPath(["mesh", ...issue.path]);
      if (!reported.has(key)) {
        unmapped.push({ key, reason: `invalid after import: ${issue.message}` });
        reported.add(key);
      }
    }
  }
  return {
    format: "mesh",
    config: { $schema: "./lakesync.config.schema.json", mesh },
    unmapped,
    valid: check.success,
  };
}

function notes(seen: {
  bucket?: string;
  crawlerName?: string;
  ssoArn?: string;
  consumerAccount?: string;
  tagged: boolean;
  workgroup?: string;
}): UnmappedOption[] {
  const profiles =
    "the seed learnt its account ids from the named AWS profiles central, producer and consumer at synth time";
  const notes: UnmappedOption[] = [
    {
      key: "mesh.central.account",
      reason: `required: ${profiles}; set the governance account's 12-digit id`,
    },
    {
      key: "mesh.central.roleArn",
      reason:
        "required: the role Terraform and `lakesync mesh` assume in the central account (the seed used the profile central)",
    },
    {
      key: "mesh.central.region",
      reason: `set to ${SEED_REGION}, the region post_setup.py hard-coded; change it if the mesh runs elsewhere`,
    },
    { key: "mesh.producers[0].account", reason: `required: ${profiles}; set the producer account's id` },
    {
      key: "mesh.producers[0].roleArn",
      reason: "required: the role assumed in the producer account (the seed used the profile producer)",
    },
    {
      key: "mesh.consumers[0].roleArn",
      reason: "required: the role assumed in the consumer account (the seed used the profile consumer)",
    },
  ];
  if (seen.bucket) {
    notes.push({
      key: "mesh.producers[0].buckets[0]",
      reason: `the seed's bucket policy gave the central account s3:* on the whole bucket; the draft shares the whole bucket read-only with the central crawler and data access roles: narrow prefixes, and add kmsKeyArn if ${seen.bucket} uses SSE-KMS`,
    });
  }
  if (seen.crawlerName) {
    notes.push({
      key: "mesh.producers[0].crawlers[0].prefixes",
      reason: `the seed crawled only ${SEED_CRAWLED_FOLDER} of its eight sample folders and had no schedule: add the other prefixes and a schedule to crawl them`,
    });
  }
  if (seen.tagged) {
    notes.push({
      key: "mesh.grants",
      reason:
        "post_setup.py's grants to the producer account (TABLE DESCRIBE, SELECT, INSERT, ALTER; DATABASE DESCRIBE, CREATE_TABLE; all with grant option) need its account id: add them once mesh.producers[0].account is set; its LF-Tag DESCRIBE/ASSOCIATE grants have no equivalent (the central account keeps tag assignment)",
    });
  }
  if (!seen.consumerAccount) {
    notes.push({
      key: "mesh.consumers[0].account",
      reason: `required: ${profiles}; set the consumer account's id (the seed's consumer_sso_arn would have given it)`,
    });
  }
  if (seen.ssoArn) {
    notes.push({
      key: "consumer_sso_arn",
      reason:
        "unused by the seed (its consumer stack hard-coded the same ARN); mapped to the consumer principal the reconciler grants on the resource links and their targets, the grant whose absence left the seed's consumer unable to query",
    });
  }
  if (seen.workgroup) {
    notes.push({
      key: "mesh.consumers[0].athena.resultBucket",
      reason:
        "required: the seed's workgroup had no result location; name the bucket the consumer stack creates for query results",
    });
  }
  notes.push({
    key: "source, targets, batch",
    reason: "a mesh-only draft: merge its mesh section into your lakesync.config.json",
  });
  return notes;
}
