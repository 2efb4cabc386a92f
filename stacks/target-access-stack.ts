// Target side, one per target (account, region): the role the replicator and batch jobs assume
// to write the target catalog, with only the Glue and Lake Formation actions the operation
// runner uses, made a data lake admin without removing the target's own admins.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import type { Construct } from "constructs";
import type { LakesyncConfig, TargetConfig } from "../modules/config/schema.ts";
import { sourceWriterRoleArns, targetWriterRoleName } from "../modules/deploy/naming.ts";
import { DataLakeAdmin } from "./constructs/data-lake-admin.ts";
import { policyDocument } from "./constructs/policy.ts";
import { LakesyncStack } from "./lakesync-stack.ts";

const glueActions = [
  "GetDatabase",
  "GetDatabases",
  "CreateDatabase",
  "UpdateDatabase",
  "DeleteDatabase",
  "GetTable",
  "GetTables",
  "CreateTable",
  "UpdateTable",
  "DeleteTable",
  "BatchDeleteTable",
  "GetPartition",
  "GetPartitions",
  "BatchGetPartition",
  "CreatePartition",
  "BatchCreatePartition",
  "UpdatePartition",
  "BatchUpdatePartition",
  "DeletePartition",
  "BatchDeletePartition",
  "GetPartitionIndexes",
  "CreatePartitionIndex",
  "DeletePartitionIndex",
].map((a) => `glue:${a}`);

const lakeFormationActions = [
  "GetDataAccess",
  "GrantPermissions",
  "RevokePermissions",
  "BatchGrantPermissions",
  "BatchRevokePermissions",
  "ListPermissions",
  "CreateLFTag",
  "UpdateLFTag",
  "DeleteLFTag",
  "GetLFTag",
  "ListLFTags",
  "AddLFTagsToResource",
  "RemoveLFTagsFromResource",
  "GetResourceLFTags",
  "GetDataLakeSettings",
  "PutDataLakeSettings",
  "RegisterResource",
  "DeregisterResource",
  "DescribeResource",
  "ListResources",
  "CreateDataCellsFilter",
  "UpdateDataCellsFilter",
  "DeleteDataCellsFilter",
  "GetDataCellsFilter",
  "ListDataCellsFilter",
].map((a) => `lakeformation:${a}`);

export class TargetAccessStack extends LakesyncStack {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, config: LakesyncConfig, target: TargetConfig) {
    super(scope, id, target, config.deployment);
    const { account, region } = target;
    this.role = new IamRole(this, "writer", {
      name: targetWriterRoleName(config, target),
      description: `lakesync writes ${config.source.name}'s catalog changes into ${target.name}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${config.source.account}:root` },
            Action: "sts:AssumeRole",
            // Only lakesync's own roles in the source account, not every principal there.
            Condition: { ArnLike: { "aws:PrincipalArn": sourceWriterRoleArns(config) } },
          },
        ],
      }),
      inlinePolicy: [
        {
          name: "catalog-writer",
          policy: policyDocument([
            {
              Sid: "GlueCatalog",
              Action: glueActions,
              Resource: [
                `arn:aws:glue:${region}:${account}:catalog`,
                `arn:aws:glue:${region}:${account}:database/*`,
                `arn:aws:glue:${region}:${account}:table/*/*`,
              ],
            },
            // Lake Formation actions have no resource-level permissions.
            { Sid: "LakeFormation", Action: lakeFormationActions, Resource: ["*"] },
            {
              Sid: "PassRegistrationRoles",
              Action: ["iam:PassRole", "iam:GetRole"],
              Resource: [`arn:aws:iam::${account}:role/*`],
              Condition: { StringEquals: { "iam:PassedToService": "lakeformation.amazonaws.com" } },
            },
          ]),
        },
      ],
    });
    new DataLakeAdmin(this, "admin", { adminArn: this.role.arn });
  }
}
