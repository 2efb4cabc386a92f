// Target side, one per target (account, region): the role the replicator and batch jobs assume
// to write the target catalog, with only the Glue and Lake Formation actions the operation
// runner and the batch diff call (modules/deploy/iam.ts), made a data lake admin without removing
// the target's own admins.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import type { Construct } from "constructs";
import type { LakesyncConfig, TargetConfig } from "../modules/config/schema.ts";
import { REGISTRATION_ROLE_ACTIONS } from "../modules/deploy/iam.ts";
import { sourceWriterRoleArns, targetWriterRoleName } from "../modules/deploy/naming.ts";
import { suppressCheckov } from "./constructs/checkov.ts";
import { DataLakeAdmin } from "./constructs/data-lake-admin.ts";
import { icebergTargetStatements } from "./constructs/iceberg-rewrite-grants.ts";
import { catalogWriterStatements, policyDocument } from "./constructs/policy.ts";
import { LakesyncStack } from "./lakesync-stack.ts";

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
            ...catalogWriterStatements(region, account),
            {
              Sid: "PassRegistrationRoles",
              Action: [REGISTRATION_ROLE_ACTIONS.pass],
              Resource: [`arn:aws:iam::${account}:role/*`],
              Condition: { StringEquals: { "iam:PassedToService": "lakeformation.amazonaws.com" } },
            },
            // Apart: iam:PassedToService is only in PassRole requests, so it would never match GetRole.
            {
              Sid: "ReadRegistrationRoles",
              Action: [REGISTRATION_ROLE_ACTIONS.read],
              Resource: [`arn:aws:iam::${account}:role/*`],
            },
            ...icebergTargetStatements(config, target),
          ]),
        },
      ],
    });
    suppressCheckov(
      this.role,
      "CKV_AWS_61",
      "the trust names the source account but an aws:PrincipalArn condition admits only lakesync's own roles there; naming the roles as principals would fail to apply before the source stacks create them",
    );
    new DataLakeAdmin(this, "admin", { adminArn: this.role.arn });
  }
}
