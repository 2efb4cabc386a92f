// Security checks on every synthesized stack, for the example config and a full one: no IAM
// statement grants a whole service (`*` or `service:*` actions), every store is encrypted with a
// KMS key, and a writer role (each target's, each mesh account's) trusts only lakesync's own roles,
// under a condition where the trust names a whole account.
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../modules/config/load.ts";
import type { LakesyncConfig } from "../../modules/config/schema.ts";
import { meshReconcileRoleArn, sourceWriterRoleArns } from "../../modules/deploy/naming.ts";
import { MeshWriterRole } from "../../stacks/constructs/mesh-writer-role.ts";
import { fullConfig, type Synthesized, synthesizeAll, type TerraformJson } from "../stacks/synthesized.ts";

type Block = Record<string, unknown>;
interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  NotAction?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every policy document in a stack: any string field holding JSON with a Statement list. */
function policies(json: TerraformJson): { where: string; statement: PolicyStatement }[] {
  const found: { where: string; statement: PolicyStatement }[] = [];
  const visit = (value: unknown, where: string) => {
    if (typeof value === "string" && value.includes('"Statement"')) {
      const doc = JSON.parse(value) as { Statement: PolicyStatement | PolicyStatement[] };
      for (const statement of list(doc.Statement)) found.push({ where, statement });
    } else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) visit(inner, `${where}.${key}`);
    }
  };
  for (const [type, byId] of Object.entries(json.resource)) visit(byId, type);
  return found;
}

/**
 * The stores lakesync creates and how each says which key encrypts it. A store type not listed
 * here fails the "every store" check below, so a new kind of store cannot slip in unencrypted.
 */
const storeKeys: Record<string, (block: Block, json: TerraformJson, id: string) => unknown> = {
  aws_dynamodb_table: (b) => {
    const sse = b.server_side_encryption as Block | undefined;
    return sse?.enabled === true ? sse.kms_key_arn : undefined;
  },
  aws_sqs_queue: (b) => b.kms_master_key_id,
  aws_sns_topic: (b) => b.kms_master_key_id,
  aws_cloudwatch_log_group: (b) => b.kms_key_id,
  aws_secretsmanager_secret: (b) => b.kms_key_id,
  aws_scheduler_schedule: (b) => b.kms_key_arn,
  aws_lambda_function: (b) => b.kms_key_arn,
  aws_s3_bucket: (_b, json, id) => {
    const configs = Object.values(json.resource.aws_s3_bucket_server_side_encryption_configuration ?? {});
    const config = configs.find((c) => c.bucket === `\${aws_s3_bucket.${id}.id}`);
    const rule = (config?.rule as Block[] | undefined)?.[0]?.apply_server_side_encryption_by_default as
      | Block
      | undefined;
    return rule?.sse_algorithm === "aws:kms" ? rule.kms_master_key_id : undefined;
  },
};
const storeLike =
  /(_table|_queue|_topic|_log_group|_secret|_schedule|_bucket|_stream|_file_system|_cluster|_instance|_domain)$/;

const configs: [string, () => Promise<LakesyncConfig>][] = [
  ["the example config", () => loadConfig("lakesync.config.example.json")],
  ["a full config", async () => fullConfig(await loadConfig("lakesync.config.example.json"))],
];

for (const [label, load] of configs) {
  describe(`security of the stacks for ${label}`, () => {
    let config: LakesyncConfig;
    let stacks: [string, TerraformJson][];
    let targets: ReturnType<typeof synthesizeAll>["targets"];
    let mesh: ReturnType<typeof synthesizeAll>["mesh"];
    beforeAll(async () => {
      config = await load();
      const all = synthesizeAll(config);
      targets = all.targets;
      mesh = all.mesh;
      const meshStacks = mesh ? [mesh.central, ...mesh.producers, ...mesh.consumers] : [];
      stacks = [
        ["realtime", all.realtime.json],
        ["batch", all.batch.json],
        ...all.snowflake.map((s): [string, TerraformJson] => ["snowflake", s.json]),
        ...all.targets.map((t): [string, TerraformJson] => [`target ${t.target.name}`, t.synth.json]),
        ...meshStacks.map((s): [string, TerraformJson] => [s.stack.node.id, s.json]),
      ];
    }, 180_000);

    it("no IAM statement allows `*` or a whole service's actions, or uses NotAction", () => {
      const wide: string[] = [];
      let statements = 0;
      for (const [name, json] of stacks) {
        for (const { where, statement } of policies(json)) {
          statements += 1;
          if (statement.NotAction !== undefined) wide.push(`${name} ${where}: NotAction`);
          for (const action of list(statement.Action))
            if (action === "*" || /^[a-z0-9-]+:\*$/i.test(action)) wide.push(`${name} ${where}: ${action}`);
        }
      }
      expect(statements).toBeGreaterThan(10);
      expect(wide).toEqual([]);
    });

    it("encrypts every store with a KMS key", () => {
      const unencrypted: string[] = [];
      const unknown: string[] = [];
      let stores = 0;
      for (const [name, json] of stacks) {
        for (const [type, byId] of Object.entries(json.resource)) {
          const keyOf = storeKeys[type];
          if (!keyOf) {
            if (storeLike.test(type)) unknown.push(`${name} ${type}`);
            continue;
          }
          for (const [id, block] of Object.entries(byId)) {
            stores += 1;
            const key = keyOf(block, json, id);
            if (typeof key !== "string" || !/^(\$\{aws_kms_key\.[\w-]+\.arn\}|arn:aws[\w-]*:kms:)/.test(key))
              unencrypted.push(`${name} ${type}.${id}`);
          }
        }
      }
      expect(stores).toBeGreaterThan(10);
      expect(unknown, "store types this check does not know").toEqual([]);
      expect(unencrypted).toEqual([]);
    });

    it("each target's writer role trusts only lakesync's source roles, under an aws:PrincipalArn condition", () => {
      const lakesyncRoles = sourceWriterRoleArns(config).sort();
      for (const { target, synth } of targets) {
        const roles = Object.values(synth.json.resource.aws_iam_role ?? {});
        expect(roles.length, target.name).toBeGreaterThan(0);
        for (const role of roles) {
          const trust = JSON.parse(String(role.assume_role_policy)) as { Statement: PolicyStatement[] };
          for (const statement of trust.Statement) {
            expect(statement.Effect).toBe("Allow");
            expect(list(statement.Action)).toEqual(["sts:AssumeRole"]);
            expect(list((statement.Principal as { AWS?: string | string[] }).AWS)).toEqual([
              `arn:aws:iam::${config.source.account}:root`,
            ]);
            const condition = statement.Condition?.ArnLike ?? statement.Condition?.ArnEquals;
            expect(list(condition?.["aws:PrincipalArn"]).sort(), target.name).toEqual(lakesyncRoles);
          }
        }
      }
    });

    it("each mesh writer role trusts only the reconciler's role: by reference in central, else under an aws:PrincipalArn condition", () => {
      expect(mesh, "both configs declare a mesh").toBeDefined();
      if (!mesh || !config.mesh) return;
      const central = config.mesh.central.account;
      const reconciler = mesh.central.stack.reconciler.role;
      const writersOf = (synth: Synthesized) =>
        synth.stack.node
          .findAll()
          .filter((c): c is MeshWriterRole => c instanceof MeshWriterRole)
          .map((writer) => synth.resourceOf("aws_iam_role", writer.role));
      const trustOf = (role: Block) =>
        (JSON.parse(String(role.assume_role_policy)) as { Statement: PolicyStatement[] }).Statement;

      const centralWriters = writersOf(mesh.central);
      expect(centralWriters).toHaveLength(1);
      for (const role of centralWriters) {
        expect(trustOf(role)).toEqual([
          {
            Effect: "Allow",
            Principal: { AWS: `\${aws_iam_role.${mesh.central.stack.getLogicalId(reconciler)}.arn}` },
            Action: "sts:AssumeRole",
          },
        ]);
      }
      const others = [...mesh.producers, ...mesh.consumers].flatMap(writersOf);
      expect(others.length).toBeGreaterThanOrEqual(config.mesh.consumers.length);
      for (const role of others) {
        for (const statement of trustOf(role)) {
          expect(statement.Effect).toBe("Allow");
          expect(list(statement.Action)).toEqual(["sts:AssumeRole"]);
          expect(list((statement.Principal as { AWS?: string | string[] }).AWS)).toEqual([
            `arn:aws:iam::${central}:root`,
          ]);
          expect(list(statement.Condition?.ArnEquals?.["aws:PrincipalArn"]), String(role.name)).toEqual([
            meshReconcileRoleArn(config, config.mesh),
          ]);
        }
      }
    });
  });
}
