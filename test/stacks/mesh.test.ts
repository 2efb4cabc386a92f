// The mesh stacks synthesized for a three-account mesh: one stack per account role, each provider
// assuming the configured role in its account; least-privilege roles and policies with no wildcard
// action; every account id, region and role taken from the config.
import { readFileSync } from "node:fs";
import { type TerraformStack, Testing } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../modules/config/load.ts";
import type { LakesyncConfig, MeshConfig } from "../../modules/config/schema.ts";
import { HANDLERS } from "../../modules/deploy/handlers.ts";
import { MESH_RECONCILE_ENV, parseMeshReconcileEnv } from "../../modules/deploy/mesh-env.ts";
import {
  meshCrawlerRoleArn,
  meshDataAccessRoleArn,
  meshReconcileRoleArn,
  meshWriterRoleArn,
} from "../../modules/deploy/naming.ts";
import { addLakesyncStacks, addMeshStacks } from "../../stacks/lakesync-app.ts";
import { MESH_ACCOUNTS, PRODUCER_KEY_ARN, sampleMesh } from "../support/mesh.ts";

type Block = Record<string, unknown>;
interface Synth {
  provider: { aws: Block[] };
  resource: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
}
interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: { AWS?: string | string[]; Service?: string | string[] };
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const blocks = (synth: Synth, type: string): Block[] => Object.values(synth.resource[type] ?? {});
const statements = (policy: unknown): Statement[] =>
  (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;

function meshConfig(edit: (mesh: ReturnType<typeof sampleMesh>) => void = () => {}): LakesyncConfig {
  const { $schema: _, ...example } = JSON.parse(readFileSync("lakesync.config.example.json", "utf8"));
  const mesh = sampleMesh();
  edit(mesh);
  return parseConfig({ ...example, mesh }, "mesh config");
}

const none: Synth = { provider: { aws: [] }, resource: {} };

function synthMesh(config: LakesyncConfig) {
  const stacks = addMeshStacks(Testing.app(), config, config.mesh as MeshConfig);
  const json = (stack: TerraformStack) => JSON.parse(Testing.synth(stack)) as Synth;
  return {
    stacks,
    central: json(stacks.central),
    // A mesh without producers (or consumers) has no such stack: an empty synth stands in.
    producer: stacks.producers[0] ? json(stacks.producers[0]) : none,
    consumer: stacks.consumers[0] ? json(stacks.consumers[0]) : none,
  };
}

/** Every IAM policy document a stack writes, except KMS key policies (the account root administers its key). */
function policiesOf(synth: Synth): [string, Statement[]][] {
  const found: [string, Statement[]][] = [];
  for (const [type, resources] of Object.entries(synth.resource)) {
    for (const [id, block] of Object.entries(resources)) {
      if (type === "aws_kms_key") continue;
      for (const field of ["policy", "assume_role_policy"]) {
        if (typeof block[field] === "string" && String(block[field]).startsWith("{")) {
          found.push([`${type}.${id}.${field}`, statements(block[field])]);
        }
      }
      for (const inline of list(block.inline_policy as Block[] | undefined)) {
        found.push([`${type}.${id}.inline_policy`, statements(inline.policy)]);
      }
    }
  }
  return found;
}

let config: LakesyncConfig;
let mesh: MeshConfig;
let synth: ReturnType<typeof synthMesh>;
beforeAll(() => {
  config = meshConfig();
  mesh = config.mesh as MeshConfig;
  synth = synthMesh(config);
}, 120_000);

describe("the mesh stacks", () => {
  it("are one per account role, named central, producer and consumer, the others deployed after central", () => {
    const app = Testing.app();
    addLakesyncStacks(app, config);
    const ids = app.node.children.map((c) => c.node.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "lakesync-mesh-central",
        "lakesync-mesh-producer-sales",
        "lakesync-mesh-consumer-analytics",
      ]),
    );
    for (const stack of [...synth.stacks.producers, ...synth.stacks.consumers]) {
      expect(stack.dependencies).toContain(synth.stacks.central);
    }
  });

  it("assume the configured role in each account, in the mesh's region", () => {
    const expected: [Synth, string, string][] = [
      [synth.central, MESH_ACCOUNTS.central, mesh.central.roleArn],
      [synth.producer, MESH_ACCOUNTS.producer, mesh.producers[0]!.roleArn],
      [synth.consumer, MESH_ACCOUNTS.consumer, mesh.consumers[0]!.roleArn],
    ];
    for (const [json, account, roleArn] of expected) {
      expect(json.provider.aws).toEqual([
        expect.objectContaining({
          region: mesh.central.region,
          allowed_account_ids: [account],
          assume_role: [expect.objectContaining({ role_arn: roleArn })],
        }),
      ]);
      expect(json.provider.aws[0]).not.toHaveProperty("profile");
    }
  });

  it("hold no account id, region or role the config does not name", () => {
    const accounts = new Set(Object.values(MESH_ACCOUNTS));
    for (const json of [synth.central, synth.producer, synth.consumer]) {
      const text = JSON.stringify({ resource: json.resource, provider: json.provider });
      const ids = new Set(text.match(/(?<![\d-])\d{12}(?!\d)/g) ?? []);
      for (const id of ids) expect(accounts, `account ${id}`).toContain(id);
      const regions = new Set(text.match(/\b(?:us|eu|ap|sa|ca|me|af)-[a-z]+-\d\b/g) ?? []);
      expect([...regions]).toEqual([mesh.central.region]);
    }
  });

  it("read nothing from AWS at synth: the only data source is the Lake Formation settings read at plan", () => {
    for (const json of [synth.central, synth.producer, synth.consumer]) {
      expect(
        Object.keys(json.data ?? {}).filter((t) => t !== "aws_lakeformation_data_lake_settings"),
      ).toEqual([]);
    }
  });

  it("allow no wildcard action in any role, bucket or catalog policy", () => {
    for (const json of [synth.central, synth.producer, synth.consumer]) {
      for (const [where, policy] of policiesOf(json)) {
        for (const s of policy) {
          for (const action of list(s.Action)) expect(action, where).not.toMatch(/\*/);
        }
      }
    }
  });
});

describe("keys", () => {
  it("central and consumer each have one rotating key; the reconciler's logs, queue, topic, schedule and environment use it", () => {
    for (const json of [synth.central, synth.consumer]) {
      const keys = blocks(json, "aws_kms_key");
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ enable_key_rotation: true });
    }
    expect(blocks(synth.producer, "aws_kms_key")).toEqual([]);
    const keyRef = expect.stringMatching(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/);
    expect(blocks(synth.central, "aws_cloudwatch_log_group")[0]?.kms_key_id).toEqual(keyRef);
    for (const q of blocks(synth.central, "aws_sqs_queue")) expect(q.kms_master_key_id).toEqual(keyRef);
    for (const t of blocks(synth.central, "aws_sns_topic")) expect(t.kms_master_key_id).toEqual(keyRef);
    expect(blocks(synth.central, "aws_scheduler_schedule")[0]?.kms_key_arn).toEqual(keyRef);
    expect(blocks(synth.central, "aws_lambda_function")[0]?.kms_key_arn).toEqual(keyRef);
  });
});

describe("the producer stack", () => {
  it("lets exactly the central crawler role and the data access role read the shared prefixes", () => {
    const [policy] = blocks(synth.producer, "aws_s3_bucket_policy");
    expect(policy?.bucket).toBe("acme-sales-data");
    const granted = statements(policy?.policy);
    const principals = new Set(granted.flatMap((s) => list(s.Principal?.AWS)));
    expect([...principals].sort()).toEqual(
      [meshCrawlerRoleArn(config, mesh), meshDataAccessRoleArn(mesh)].sort(),
    );
    expect(granted.flatMap((s) => list(s.Action)).sort()).toEqual(
      ["s3:GetObject", "s3:GetObject", "s3:ListBucket", "s3:ListBucket"].sort(),
    );
    const reads = granted.filter((s) => list(s.Action).includes("s3:GetObject"));
    expect(reads.flatMap((s) => list(s.Resource)).sort()).toEqual([
      "arn:aws:s3:::acme-sales-data/refined/*",
      "arn:aws:s3:::acme-sales-data/refined/customers/*",
      "arn:aws:s3:::acme-sales-data/refined/orders/*",
    ]);
    for (const s of granted.filter((s) => list(s.Action).includes("s3:ListBucket"))) {
      expect(s.Condition?.StringLike?.["s3:prefix"]).toBeDefined();
    }
  });

  it("grants the central roles decrypt on the bucket's key without touching its key policy", () => {
    const grants = blocks(synth.producer, "aws_kms_grant");
    expect(grants.map((g) => [g.grantee_principal, g.key_id, g.operations])).toEqual(
      expect.arrayContaining([
        [meshDataAccessRoleArn(mesh), PRODUCER_KEY_ARN, ["Decrypt", "DescribeKey"]],
        [meshCrawlerRoleArn(config, mesh), PRODUCER_KEY_ARN, ["Decrypt", "DescribeKey"]],
      ]),
    );
    expect(blocks(synth.producer, "aws_kms_key_policy")).toEqual([]);
  });
});

describe("the central stack", () => {
  it("registers each shared prefix with Lake Formation through the data access role", () => {
    const [role] = blocks(synth.central, "aws_iam_role").filter(
      (r) => r.name === mesh.central.dataAccessRoleName,
    );
    expect(statements(role?.assume_role_policy)[0]?.Principal).toEqual({
      Service: "lakeformation.amazonaws.com",
    });
    expect(blocks(synth.central, "aws_lakeformation_resource")).toEqual([
      expect.objectContaining({
        arn: "arn:aws:s3:::acme-sales-data/refined",
        role_arn: expect.stringMatching(/^\$\{aws_iam_role\.data-access\.arn\}$/),
        hybrid_access_enabled: false,
      }),
    ]);
    const hybrid = synthMesh(meshConfig((m) => Object.assign(m.central, { hybridAccessMode: true })));
    expect(blocks(hybrid.central, "aws_lakeformation_resource")[0]?.hybrid_access_enabled).toBe(true);
  });

  it("runs one crawler per producer prefix on its schedule, with the crawler role and an encrypting security configuration", () => {
    const crawlers = blocks(synth.central, "aws_glue_crawler");
    expect(
      crawlers.map((c) => [c.name, (c.s3_target as Block[])[0]?.path, c.schedule, c.table_prefix]),
    ).toEqual([
      [
        "sales-refined-refined-customers",
        "s3://acme-sales-data/refined/customers/",
        "cron(0 2 * * ? *)",
        "sales_",
      ],
      ["sales-refined-refined-orders", "s3://acme-sales-data/refined/orders/", "cron(0 2 * * ? *)", "sales_"],
    ]);
    for (const c of crawlers) {
      expect(c.role).toBe(`\${aws_iam_role.crawler.arn}`);
      expect(c.security_configuration).toMatch(/aws_glue_security_configuration/);
    }
    expect(blocks(synth.central, "aws_glue_catalog_database").map((d) => d.name)).toEqual(["sales_refined"]);
  });

  it("creates the tables a producer declares instead of crawling, in their central databases", () => {
    const declared = synthMesh(
      meshConfig((m) => {
        m.producers![0]!.tables = [
          {
            database: "sales_curated",
            name: "orders",
            location: "s3://acme-sales-data/refined/curated/orders/",
            columns: [
              { name: "order_id", type: "bigint" },
              { name: "amount", type: "decimal(10,2)" },
            ],
            partitionKeys: [{ name: "day", type: "string" }],
          },
        ];
      }),
    );
    expect(blocks(declared.central, "aws_glue_catalog_database").map((d) => d.name)).toEqual([
      "sales_curated",
      "sales_refined",
    ]);
    expect(blocks(declared.central, "aws_glue_catalog_table")).toEqual([
      expect.objectContaining({
        catalog_id: MESH_ACCOUNTS.central,
        name: "orders",
        table_type: "EXTERNAL_TABLE",
        partition_keys: [{ name: "day", type: "string" }],
        storage_descriptor: expect.objectContaining({
          location: "s3://acme-sales-data/refined/curated/orders/",
          input_format: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
          ser_de_info: {
            serialization_library: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
          },
          columns: [
            { name: "order_id", type: "bigint" },
            { name: "amount", type: "decimal(10,2)" },
          ],
        }),
      }),
    ]);
  });

  it("scopes the crawler role to the crawled prefixes, the crawler databases and the producer key", () => {
    const [role] = blocks(synth.central, "aws_iam_role").filter((r) =>
      String(r.name).endsWith("-mesh-crawler"),
    );
    const policy = statements(((role?.inline_policy ?? []) as Block[])[0]?.policy);
    const bySid = Object.fromEntries(policy.map((s) => [s.Sid, s]));
    expect(list(bySid.CrawledObjects?.Resource)).toEqual([
      "arn:aws:s3:::acme-sales-data/refined/customers/*",
      "arn:aws:s3:::acme-sales-data/refined/orders/*",
    ]);
    expect(list(bySid.CrawlerCatalog?.Resource)).toEqual([
      `arn:aws:glue:us-east-1:${MESH_ACCOUNTS.central}:catalog`,
      `arn:aws:glue:us-east-1:${MESH_ACCOUNTS.central}:database/sales_refined`,
      `arn:aws:glue:us-east-1:${MESH_ACCOUNTS.central}:table/sales_refined/*`,
    ]);
    expect(list(bySid.ProducerKeys?.Resource)).toEqual([PRODUCER_KEY_ARN]);
  });

  it("lets the producer and consumer accounts use the catalog only where Lake Formation tags decide", () => {
    const [resourcePolicy] = blocks(synth.central, "aws_glue_resource_policy");
    expect(resourcePolicy?.enable_hybrid).toBe("TRUE");
    const [byTags, ram] = statements(resourcePolicy?.policy);
    expect(list(byTags?.Principal?.AWS).sort()).toEqual(
      [`arn:aws:iam::${MESH_ACCOUNTS.producer}:root`, `arn:aws:iam::${MESH_ACCOUNTS.consumer}:root`].sort(),
    );
    expect(byTags?.Condition).toEqual({ Bool: { "glue:EvaluatedByLakeFormationTags": "true" } });
    // The sample grants only SELECT and DESCRIBE: reads, no catalog writes.
    expect(list(byTags?.Action).every((a) => /^glue:(Get|BatchGet|Search)/.test(a))).toBe(true);
    expect(ram).toMatchObject({
      Principal: { Service: "ram.amazonaws.com" },
      Action: ["glue:ShareResource"],
    });
  });

  it("creates no data access or crawler role, and no empty policy, for a mesh without producers yet", () => {
    const bare = synthMesh(meshConfig((m) => Object.assign(m, { producers: [] })));
    const names = blocks(bare.central, "aws_iam_role").map((r) => String(r.name));
    expect(names.filter((n) => n === mesh.central.dataAccessRoleName || n.endsWith("-mesh-crawler"))).toEqual(
      [],
    );
    expect(blocks(bare.central, "aws_glue_crawler")).toEqual([]);
    for (const [where, policy] of policiesOf(bare.central).filter(
      ([w]) => !w.endsWith("assume_role_policy"),
    )) {
      for (const s of policy) expect(list(s.Resource).length, where).toBeGreaterThan(0);
    }
    const [byTags] = statements(blocks(bare.central, "aws_glue_resource_policy")[0]?.policy);
    expect(byTags?.Principal?.AWS).toEqual([`arn:aws:iam::${MESH_ACCOUNTS.consumer}:root`]);
  });

  it("deploys the reconciler on its schedule with its environment contract, assuming only the mesh writer roles", () => {
    const [fn] = blocks(synth.central, "aws_lambda_function");
    const variables = (fn?.environment as { variables: Record<string, string> } | undefined)?.variables ?? {};
    for (const name of HANDLERS.meshReconcile.requiredEnv) expect(variables).toHaveProperty(name);
    expect(variables[MESH_RECONCILE_ENV.alertTopicArn]).toMatch(/^\$\{aws_sns_topic\.[\w-]+\.arn\}$/);
    const env = parseMeshReconcileEnv({
      ...variables,
      [MESH_RECONCILE_ENV.alertTopicArn]: `arn:aws:sns:us-east-1:${MESH_ACCOUNTS.central}:alerts`,
      AWS_REGION: mesh.central.region,
    });
    expect(env.mesh).toEqual(mesh);
    expect(env.prune).toBe(false);
    expect(env.crawlerRoleArn).toBe(meshCrawlerRoleArn(config, mesh));
    expect(env.accountRoles).toEqual({
      [MESH_ACCOUNTS.central]: meshWriterRoleArn(config, MESH_ACCOUNTS.central),
      [MESH_ACCOUNTS.consumer]: meshWriterRoleArn(config, MESH_ACCOUNTS.consumer),
      [MESH_ACCOUNTS.producer]: meshWriterRoleArn(config, MESH_ACCOUNTS.producer),
    });
    expect(env.accountRoleTemplate.replace("{account}", "123456789012")).toBe(
      meshWriterRoleArn(config, "123456789012"),
    );
    expect(String(fn?.role)).toMatch(/^\$\{aws_iam_role\.reconcile_role_\w+\.arn\}$/);
    const [schedule] = blocks(synth.central, "aws_scheduler_schedule");
    expect(schedule?.schedule_expression).toBe("rate(1 hour)");
    const fnPolicy = blocks(synth.central, "aws_iam_role_policy").flatMap((p) => statements(p.policy));
    const assumable = fnPolicy
      .filter((s) => list(s.Action).includes("sts:AssumeRole"))
      .flatMap((s) => list(s.Resource));
    expect(assumable).toHaveLength(3);
    expect(assumable).toEqual(
      expect.arrayContaining([
        meshWriterRoleArn(config, MESH_ACCOUNTS.consumer),
        meshWriterRoleArn(config, MESH_ACCOUNTS.producer),
      ]),
    );
    expect(
      fnPolicy.flatMap((s) => list(s.Action)).filter((a) => /^(glue|lakeformation|ram):/.test(a)),
    ).toEqual([]);
  });
});

describe("the consumer stack", () => {
  it("has an Athena workgroup whose result location, encrypted with a KMS key, is enforced", () => {
    const [workgroup] = blocks(synth.consumer, "aws_athena_workgroup");
    expect(workgroup).toMatchObject({
      name: "mesh-analytics",
      configuration: {
        enforce_workgroup_configuration: true,
        result_configuration: {
          output_location: "s3://acme-analytics-athena-results/results/",
          expected_bucket_owner: MESH_ACCOUNTS.consumer,
          encryption_configuration: { encryption_option: "SSE_KMS" },
        },
      },
    });
    const configuration = workgroup?.configuration as
      | { result_configuration: { encryption_configuration: Block } }
      | undefined;
    const keyArn = configuration?.result_configuration.encryption_configuration.kms_key_arn;
    expect(keyArn).toMatch(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/);
    const [bucket] = blocks(synth.consumer, "aws_s3_bucket");
    expect(bucket?.bucket).toBe("acme-analytics-athena-results");
  });

  it("accepts only the central account's RAM invitations, and none within one Organization", () => {
    const acceptStatements = (json: Synth) =>
      blocks(json, "aws_iam_role")
        .flatMap((r) => list(r.inline_policy as Block[]).flatMap((p) => statements(p.policy)))
        .filter((s) => list(s.Action).includes("ram:AcceptResourceShareInvitation"));
    expect(acceptStatements(synth.consumer)).toEqual([
      expect.objectContaining({
        Resource: [`arn:aws:ram:us-east-1:${MESH_ACCOUNTS.central}:resource-share-invitation/*`],
        Condition: { StringEquals: { "ram:ShareOwnerAccountId": MESH_ACCOUNTS.central } },
      }),
    ]);
    const organization = synthMesh(meshConfig((m) => Object.assign(m, { sameOrganization: true })));
    expect(acceptStatements(organization.consumer)).toEqual([]);
    expect(blocks(organization.producer, "aws_iam_role")).toEqual([]);
  });

  it("trusts only the central reconciler's role with its writer role, a data lake admin", () => {
    const [writer] = blocks(synth.consumer, "aws_iam_role");
    const [trust] = statements(writer?.assume_role_policy);
    expect(trust).toMatchObject({
      Principal: { AWS: `arn:aws:iam::${MESH_ACCOUNTS.central}:root` },
      Condition: { ArnEquals: { "aws:PrincipalArn": meshReconcileRoleArn(config, mesh) } },
    });
    expect(blocks(synth.consumer, "aws_lakeformation_data_lake_settings")).toHaveLength(1);
  });

  it("lets the declared principals query in the workgroup", () => {
    const [query] = blocks(synth.consumer, "aws_iam_policy");
    const bySid = Object.fromEntries(statements(query?.policy).map((s) => [s.Sid, s]));
    expect(list(bySid.Workgroup?.Action)).toContain("athena:StartQueryExecution");
    expect(list(bySid.LakeFormationData?.Action)).toEqual(["lakeformation:GetDataAccess"]);
    expect(blocks(synth.consumer, "aws_iam_role_policy_attachment").map((a) => a.role)).toEqual(["analysts"]);
    // Identity Center roles are unmodifiable in IAM: their permission set carries the policy.
    const sso = `arn:aws:iam::${MESH_ACCOUNTS.consumer}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Analyst_0123456789abcdef`;
    const withSso = synthMesh(
      meshConfig((m) => {
        m.consumers![0]!.principals!.push(sso);
      }),
    );
    expect(blocks(withSso.consumer, "aws_iam_role_policy_attachment").map((a) => a.role)).toEqual([
      "analysts",
    ]);
  });
});
