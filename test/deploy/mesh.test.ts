// The pure side of the mesh deployment: the shared locations the stacks scope their policies to,
// the roles the reconciler assumes, the IAM actions chosen by the grants, and the reconciler's
// environment contract (encoded by the stack, parsed by the handler).
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../modules/config/load.ts";
import type { LakesyncConfig, MeshConfig } from "../../modules/config/schema.ts";
import {
  encodeMeshConfig,
  MESH_RECONCILE_ENV,
  MESH_RECONCILE_REQUIRED_ENV,
  parseMeshReconcileEnv,
} from "../../modules/deploy/mesh-env.ts";
import { catalogPolicyActions, dataAccessActions, meshWritesData } from "../../modules/deploy/mesh-iam.ts";
import { meshAccountRoles, sharedLocations } from "../../modules/deploy/mesh-locations.ts";
import { meshReconcileRoleArn, meshWriterRoleArn } from "../../modules/deploy/naming.ts";
import { MESH_ACCOUNTS, sampleMesh } from "../support/mesh.ts";

function config(edit: (mesh: ReturnType<typeof sampleMesh>) => void = () => {}): LakesyncConfig {
  const mesh = sampleMesh();
  edit(mesh);
  return parseConfig(
    {
      source: { name: "prod", account: "111122223333", region: "us-east-1" },
      targets: [{ name: "dr", account: "111122223333", region: "us-west-2" }],
      batch: { backupBucket: "acme-backups" },
      mesh,
    },
    "test",
  );
}
const meshOf = (c: LakesyncConfig) => c.mesh as MeshConfig;

describe("sharedLocations", () => {
  it("gives each bucket prefix its object, bucket and registration ARNs and its key", () => {
    const mesh = meshOf(
      config((m) => {
        m.producers![0]!.buckets!.push({ name: "acme-sales-raw", prefixes: [""] });
      }),
    );
    expect(sharedLocations(mesh)).toEqual([
      {
        id: "sales-acme-sales-data-refined",
        producer: "sales",
        bucket: "acme-sales-data",
        prefix: "refined/",
        bucketArn: "arn:aws:s3:::acme-sales-data",
        objectsArn: "arn:aws:s3:::acme-sales-data/refined/*",
        registeredArn: "arn:aws:s3:::acme-sales-data/refined",
        kmsKeyArn: mesh.producers[0]!.buckets[0]!.kmsKeyArn,
      },
      {
        id: "sales-acme-sales-raw",
        producer: "sales",
        bucket: "acme-sales-raw",
        prefix: "",
        bucketArn: "arn:aws:s3:::acme-sales-raw",
        objectsArn: "arn:aws:s3:::acme-sales-raw/*",
        registeredArn: "arn:aws:s3:::acme-sales-raw",
      },
    ]);
  });
});

describe("meshAccountRoles", () => {
  it("names the writer role in central and each consumer, and in producers only outside one Organization", () => {
    const c = config();
    const { central, producer, consumer } = MESH_ACCOUNTS;
    expect(meshAccountRoles(c, meshOf(c))).toEqual({
      [central]: "arn:aws:iam::999988887777:role/lakesync-prod-mesh-writer",
      [consumer]: meshWriterRoleArn(c, consumer),
      [producer]: meshWriterRoleArn(c, producer),
    });
    const organization = config((m) => Object.assign(m, { sameOrganization: true }));
    expect(Object.keys(meshAccountRoles(organization, meshOf(organization))).sort()).toEqual(
      [central, consumer].sort(),
    );
    expect(meshReconcileRoleArn(c, meshOf(c))).toBe(
      "arn:aws:iam::999988887777:role/lakesync-prod-mesh-reconcile-role",
    );
  });
});

describe("IAM actions chosen by the grants", () => {
  it("keep the locations and the catalog read-only unless a grant writes", () => {
    const reads = meshOf(config());
    expect(meshWritesData(reads)).toBe(false);
    expect(dataAccessActions(false)).toEqual({
      objects: ["s3:GetObject"],
      bucket: ["s3:ListBucket"],
      key: ["kms:Decrypt"],
    });
    expect(catalogPolicyActions(reads).every((a) => /^glue:(Get|BatchGet|Search)/.test(a))).toBe(true);

    const writes = meshOf(
      config((m) => {
        m.grants![1]!.permissions = ["SELECT", "INSERT", "ALTER"];
        m.grants![1]!.permissionsWithGrantOption = [];
      }),
    );
    expect(meshWritesData(writes)).toBe(true);
    expect(dataAccessActions(true).objects).toEqual(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]);
    const actions = catalogPolicyActions(writes);
    expect(actions).toEqual(expect.arrayContaining(["glue:UpdateTable", "glue:BatchCreatePartition"]));
    expect(actions).not.toContain("glue:DeleteTable");
    expect(actions.some((a) => a.includes("*"))).toBe(false);
  });
});

describe("the reconciler's environment", () => {
  const c = config();
  const mesh = meshOf(c);
  const env = {
    [MESH_RECONCILE_ENV.mesh]: encodeMeshConfig(mesh),
    [MESH_RECONCILE_ENV.accountRoles]: JSON.stringify(meshAccountRoles(c, mesh)),
    [MESH_RECONCILE_ENV.accountRoleTemplate]: meshWriterRoleArn(c, "{account}"),
    [MESH_RECONCILE_ENV.alertTopicArn]: "arn:aws:sns:us-east-1:999988887777:alerts",
    AWS_REGION: "us-east-1",
  };

  it("requires every variable but the prune switch", () => {
    expect([...MESH_RECONCILE_REQUIRED_ENV].sort()).toEqual(
      [
        MESH_RECONCILE_ENV.mesh,
        MESH_RECONCILE_ENV.accountRoles,
        MESH_RECONCILE_ENV.accountRoleTemplate,
        MESH_RECONCILE_ENV.alertTopicArn,
      ].sort(),
    );
  });

  it("round-trips the mesh the stack encodes", () => {
    expect(parseMeshReconcileEnv(env)).toEqual({
      mesh,
      accountRoles: meshAccountRoles(c, mesh),
      accountRoleTemplate: "arn:aws:iam::{account}:role/lakesync-prod-mesh-writer",
      prune: false,
      alertTopicArn: "arn:aws:sns:us-east-1:999988887777:alerts",
      region: "us-east-1",
    });
    const crawlerRoleArn = "arn:aws:iam::999988887777:role/lakesync-prod-mesh-crawler";
    expect(
      parseMeshReconcileEnv({ ...env, [MESH_RECONCILE_ENV.crawlerRoleArn]: crawlerRoleArn }).crawlerRoleArn,
    ).toBe(crawlerRoleArn);
  });

  it("fails at cold start naming the variable that is wrong", () => {
    expect(() => parseMeshReconcileEnv({ ...env, [MESH_RECONCILE_ENV.mesh]: "bm90IGd6aXA=" })).toThrow(
      /^invalid mesh reconciler configuration: LAKESYNC_MESH_CONFIG: not gzipped base64 JSON/,
    );
    const broken = encodeMeshConfig({ ...mesh, central: { ...mesh.central, account: "1" } });
    expect(() => parseMeshReconcileEnv({ ...env, [MESH_RECONCILE_ENV.mesh]: broken })).toThrow(
      /^invalid mesh reconciler configuration: LAKESYNC_MESH_CONFIG: central\.account: expected a 12-digit/,
    );
    expect(() => parseMeshReconcileEnv({ ...env, [MESH_RECONCILE_ENV.accountRoles]: '{"x": 1}' })).toThrow(
      "invalid mesh reconciler configuration: LAKESYNC_MESH_ACCOUNT_ROLES: expected a JSON object of 12-digit account id -> IAM role ARN",
    );
    expect(() => parseMeshReconcileEnv({ ...env, [MESH_RECONCILE_ENV.prune]: "yes" })).toThrow(
      /^invalid mesh reconciler configuration: LAKESYNC_MESH_PRUNE: /,
    );
  });
});
