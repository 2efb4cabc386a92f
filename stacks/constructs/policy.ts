// IAM policy documents as plain data. Tokens (ARNs of resources in the same stack) are strings
// in cdktf, so JSON.stringify keeps them and Terraform resolves them.
import { WRITER_ROLE_ACTIONS } from "../../modules/deploy/iam.ts";
export interface PolicyStatement {
  Sid?: string;
  Effect?: "Allow" | "Deny";
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((s) => ({ Effect: "Allow", ...s })),
  });
}

export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

/** What a catalog writer role holds in its own account: Glue writes on its catalog, Lake Formation. */
export function catalogWriterStatements(region: string, account: string): PolicyStatement[] {
  return [
    {
      Sid: "GlueCatalog",
      Action: WRITER_ROLE_ACTIONS.glue,
      Resource: [
        `arn:aws:glue:${region}:${account}:catalog`,
        `arn:aws:glue:${region}:${account}:database/*`,
        `arn:aws:glue:${region}:${account}:table/*/*`,
      ],
    },
    // Lake Formation actions have no resource-level permissions.
    { Sid: "LakeFormation", Action: WRITER_ROLE_ACTIONS.lakeformation, Resource: ["*"] },
  ];
}
