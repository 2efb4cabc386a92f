// The role the mesh reconciler assumes in one mesh account to write its Lake Formation and Glue
// state (tags, grants, resource links, settings) and, outside one AWS Organization, to accept the
// central account's RAM share invitations. A data lake admin (added, never replacing anyone), so it
// may grant; trusted only by the reconciler function's role.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { Construct } from "constructs";
import { WRITER_ROLE_ACTIONS } from "../../modules/deploy/iam.ts";
import { MESH_RAM_ACCEPT_ACTIONS } from "../../modules/deploy/mesh-iam.ts";
import { suppressCheckov } from "./checkov.ts";
import { DataLakeAdmin } from "./data-lake-admin.ts";
import { catalogWriterStatements, type PolicyStatement, policyDocument } from "./policy.ts";

export interface MeshWriterRoleProps {
  name: string;
  account: string;
  region: string;
  centralAccount: string;
  /** The reconciler function's role in the central account. */
  reconcilerRoleArn: string;
  /** Write the account's catalog and Lake Formation state (central and consumers; not producers). */
  writesCatalog: boolean;
  /** Accept the central account's RAM invitations (accounts not in one Organization). */
  acceptsShares: boolean;
}

export class MeshWriterRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: MeshWriterRoleProps) {
    super(scope, id);
    const { account, region, centralAccount } = props;
    const sameAccount = account === centralAccount;
    const statements: PolicyStatement[] = [];
    if (props.writesCatalog) {
      statements.push(...catalogWriterStatements(region, account));
    }
    if (props.writesCatalog && !sameAccount) {
      // Resource links point at the central catalog; reading their targets is a Glue call there.
      statements.push({
        Sid: "ReadCentralCatalog",
        Action: WRITER_ROLE_ACTIONS.glue.filter((a) => /^glue:(Get|BatchGet|Search)/.test(a)),
        Resource: [
          `arn:aws:glue:${region}:${centralAccount}:catalog`,
          `arn:aws:glue:${region}:${centralAccount}:database/*`,
          `arn:aws:glue:${region}:${centralAccount}:table/*/*`,
        ],
      });
    }
    if (props.acceptsShares) {
      statements.push(
        { Sid: "ListShareInvitations", Action: MESH_RAM_ACCEPT_ACTIONS.list, Resource: ["*"] },
        {
          Sid: "AcceptCentralShares",
          Action: MESH_RAM_ACCEPT_ACTIONS.accept,
          Resource: [`arn:aws:ram:${region}:${centralAccount}:resource-share-invitation/*`],
          Condition: { StringEquals: { "ram:ShareOwnerAccountId": centralAccount } },
        },
      );
    }
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: "lakesync's mesh reconciler writes this account's Lake Formation and Glue state",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          sameAccount
            ? { Effect: "Allow", Principal: { AWS: props.reconcilerRoleArn }, Action: "sts:AssumeRole" }
            : {
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${centralAccount}:root` },
                Action: "sts:AssumeRole",
                // Only the reconciler's role in the central account, not every principal there.
                Condition: { ArnEquals: { "aws:PrincipalArn": props.reconcilerRoleArn } },
              },
        ],
      }),
      inlinePolicy: [{ name: "mesh-writer", policy: policyDocument(statements) }],
    });
    if (!sameAccount) {
      suppressCheckov(
        this.role,
        "CKV_AWS_61",
        "the trust names the central account but an aws:PrincipalArn condition admits only the reconciler's role there; naming the role as principal would fail to apply before the central stack creates it",
      );
    }
    if (props.writesCatalog) new DataLakeAdmin(this, "admin", { adminArn: this.role.arn });
  }
}
