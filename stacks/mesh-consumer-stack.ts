// A mesh consumer account: the writer role the reconciler creates the resource links and grants
// the consumer principals with (and, outside one Organization, accepts the central account's RAM
// invitations with, held to shares the central account owns); an Athena workgroup whose encrypted
// result location is enforced; and the IAM policy that lets the declared principals query there.
// The share invitations are accepted by the reconciler, not Terraform: Lake Formation creates the
// shares when the reconciler grants, so no share exists when Terraform plans.
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup/index.js";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { IamUserPolicyAttachment } from "@cdktf/provider-aws/lib/iam-user-policy-attachment/index.js";
import type { Construct } from "constructs";
import type { MeshConfig, MeshConsumer } from "../modules/config/mesh-schema.ts";
import type { LakesyncConfig } from "../modules/config/schema.ts";
import { MESH_QUERY_ACTIONS } from "../modules/deploy/mesh-iam.ts";
import { meshReconcileRoleArn, meshWriterRoleName, resourcePrefix } from "../modules/deploy/naming.ts";
import { MeshWriterRole } from "./constructs/mesh-writer-role.ts";
import { policyDocument } from "./constructs/policy.ts";
import { PrivateBucket } from "./constructs/private-bucket.ts";
import { LakesyncStack } from "./lakesync-stack.ts";

export class MeshConsumerStack extends LakesyncStack {
  readonly writer: MeshWriterRole;
  readonly workgroup?: AthenaWorkgroup;

  constructor(
    scope: Construct,
    id: string,
    config: LakesyncConfig,
    mesh: MeshConfig,
    consumer: MeshConsumer,
  ) {
    const region = mesh.central.region;
    // The results are encrypted with the key the consumer names, else with this stack's own.
    super(
      scope,
      id,
      { account: consumer.account, region, roleArn: consumer.roleArn },
      {
        ...config.deployment,
        kmsKeyArn: consumer.athena?.kmsKeyArn,
      },
    );
    const { account } = consumer;
    this.writer = new MeshWriterRole(this, "writer", {
      name: meshWriterRoleName(config),
      account,
      region,
      centralAccount: mesh.central.account,
      reconcilerRoleArn: meshReconcileRoleArn(config, mesh),
      writesCatalog: true,
      acceptsShares: !mesh.sameOrganization,
    });
    if (!consumer.athena) return;

    const { workgroup, resultBucket } = consumer.athena;
    const key = this.dataKey();
    const results = new PrivateBucket(this, "results", { bucket: resultBucket, expireAfterDays: 30 });
    this.workgroup = new AthenaWorkgroup(this, "workgroup", {
      name: workgroup,
      description: `lakesync mesh: ${consumer.name} queries the shared tables here`,
      state: "ENABLED",
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${resultBucket}/results/`,
          expectedBucketOwner: account,
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: key.arn },
        },
      },
    });
    if (consumer.principals.length === 0) return;

    const central = mesh.central.account;
    const catalog = (owner: string) => [
      `arn:aws:glue:${region}:${owner}:catalog`,
      `arn:aws:glue:${region}:${owner}:database/*`,
      `arn:aws:glue:${region}:${owner}:table/*/*`,
    ];
    const query = new IamPolicy(this, "query", {
      name: `${resourcePrefix(config)}-mesh-query-${consumer.name}`.slice(0, 128),
      description: "Query the mesh's shared tables through the resource links in the mesh workgroup",
      policy: policyDocument([
        { Sid: "Workgroup", Action: MESH_QUERY_ACTIONS.athena, Resource: [this.workgroup.arn] },
        // Links are read here, their targets in the central catalog.
        {
          Sid: "Catalogs",
          Action: MESH_QUERY_ACTIONS.glue,
          Resource: [...catalog(account), ...catalog(central)],
        },
        { Sid: "LakeFormationData", Action: MESH_QUERY_ACTIONS.lakeformation, Resource: ["*"] },
        { Sid: "Results", Action: MESH_QUERY_ACTIONS.results, Resource: [`${results.bucket.arn}/results/*`] },
        { Sid: "ResultBucket", Action: MESH_QUERY_ACTIONS.resultBucket, Resource: [results.bucket.arn] },
        { Sid: "ResultKey", Action: MESH_QUERY_ACTIONS.key, Resource: [key.arn] },
      ]),
    });
    for (const principal of consumer.principals) {
      const [, kind, path = ""] = /^arn:[\w-]+:iam::\d{12}:(role|user)\/(.+)$/.exec(principal) ?? [];
      // IAM Identity Center owns its roles (path aws-reserved/): IAM refuses policy attachments
      // there, so such a principal gets the query permissions through its permission set.
      if (path.startsWith("aws-reserved/")) continue;
      // IAM attaches by name; the name is the ARN's last path segment.
      const name = path.split("/").pop() ?? path;
      const attachment = { policyArn: query.arn };
      if (kind === "role")
        new IamRolePolicyAttachment(this, `query-role-${name}`, { ...attachment, role: name });
      else new IamUserPolicyAttachment(this, `query-user-${name}`, { ...attachment, user: name });
    }
  }
}
