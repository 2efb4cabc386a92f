// Base for every lakesync stack: one AWS provider for the stack's account and region (assuming
// the configured role for cross-account deployments), the configured state backend, and the
// deployment's tags on every resource.
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { DeploymentConfig } from "../modules/config/schema.ts";
import { StackKey } from "./constructs/stack-key.ts";

export interface StackLocation {
  account: string;
  region: string;
  /** Role Terraform assumes to deploy into this account (multi-account workspaces). */
  roleArn?: string;
}

export class LakesyncStack extends TerraformStack {
  readonly location: StackLocation;
  readonly deployment: DeploymentConfig;
  private key?: StackKey;

  /** The lakesync stack a construct is in. */
  static containing(construct: Construct): LakesyncStack {
    const stack = TerraformStack.of(construct);
    if (!(stack instanceof LakesyncStack))
      throw new Error(`${construct.node.path} is not in a lakesync stack`);
    return stack;
  }

  constructor(scope: Construct, id: string, location: StackLocation, deployment: DeploymentConfig) {
    super(scope, id);
    this.location = location;
    this.deployment = deployment;
    new AwsProvider(this, "aws", {
      region: location.region,
      allowedAccountIds: [location.account],
      assumeRole: location.roleArn
        ? [{ roleArn: location.roleArn, sessionName: "lakesync-deploy" }]
        : undefined,
      defaultTags: [{ tags: { "lakesync:stack": id, ...deployment.tags } }],
    });
    configureBackend(this, id, deployment.backend);
  }

  /** The stack's customer-managed key, created on first use (stacks with no data have none). */
  dataKey(): StackKey {
    this.key ??= new StackKey(this, "data-key", {
      alias: this.node.id,
      account: this.location.account,
      region: this.location.region,
      existingKeyArn: this.deployment.kmsKeyArn,
    });
    return this.key;
  }
}

function configureBackend(stack: TerraformStack, id: string, backend: DeploymentConfig["backend"]): void {
  switch (backend.type) {
    case "local":
      new LocalBackend(stack, { path: `terraform.${id}.tfstate` });
      return;
    case "s3":
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: backend.key.replace(/terraform\.tfstate$/, `${id}/terraform.tfstate`),
        region: backend.region,
        dynamodbTable: backend.dynamodbTable,
        encrypt: true,
      });
      return;
    case "remote":
    case "cloud":
      new CloudBackend(stack, {
        hostname: backend.hostname,
        organization: backend.organization,
        // One workspace per stack, so each (account, region) plans and applies on its own; a
        // configured single name becomes "<name>-<stack>".
        workspaces: new NamedCloudWorkspace(
          "name" in backend.workspaces
            ? `${backend.workspaces.name}-${id}`
            : `${backend.workspaces.prefix}${id}`,
        ),
      });
      return;
  }
}
