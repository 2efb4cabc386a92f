// One Lambda function per handler: esbuild bundle -> zip asset -> role (least privilege, added
// through grant()) -> log group with retention -> function. Every stack builds functions here.
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { AssetType, Lazy, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { buildSync } from "esbuild";
import { assumeRolePolicy, type PolicyStatement, policyDocument } from "./policy.ts";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface LambdaSettings {
  runtime: string;
  architecture: "arm64" | "x86_64";
  memoryMb: number;
  timeoutSeconds: number;
  logRetentionDays: number;
}

export const defaultLambdaSettings: LambdaSettings = {
  runtime: "nodejs22.x",
  architecture: "arm64",
  memoryMb: 512,
  timeoutSeconds: 300,
  logRetentionDays: 30,
};

export interface NodejsFunctionProps {
  /** Handler module relative to the repository root, exporting `handler`. */
  entry: string;
  functionName: string;
  description: string;
  environment?: Record<string, string>;
  settings?: Partial<LambdaSettings>;
  reservedConcurrency?: number;
}

/** Bundles a handler with esbuild into dist/<name>/index.mjs; the AWS SDK is bundled so versions are pinned. */
export function bundleHandler(entry: string, name: string): string {
  const outdir = join(projectRoot, "dist", name);
  mkdirSync(outdir, { recursive: true });
  buildSync({
    entryPoints: [join(projectRoot, entry)],
    outfile: join(outdir, "index.mjs"),
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    minify: true,
    sourcemap: "linked",
    legalComments: "none",
    logLevel: "error",
    // ESM bundles of CommonJS dependencies still call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  return outdir;
}

export class NodejsFunction extends Construct {
  /** The handler module deployed (NodejsFunctionProps.entry). */
  readonly entry: string;
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: NodejsFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    const settings = { ...defaultLambdaSettings, ...props.settings };

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: settings.logRetentionDays,
    });
    this.role = new IamRole(this, "role", {
      name: `${props.functionName}-role`.slice(0, 64),
      assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com"),
    });
    this.grant({
      Sid: "WriteOwnLogs",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [`${this.logGroup.arn}:*`],
    });
    new IamRolePolicy(this, "policy", {
      role: this.role.name,
      name: "lakesync",
      // Resolved lazily so grants added after construction are included.
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });

    const asset = new TerraformAsset(this, "code", {
      path: bundleHandler(props.entry, props.functionName),
      type: AssetType.ARCHIVE,
    });
    this.function = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      handler: "index.handler",
      runtime: settings.runtime,
      architectures: [settings.architecture],
      memorySize: settings.memoryMb,
      timeout: settings.timeoutSeconds,
      filename: asset.path,
      sourceCodeHash: asset.assetHash,
      environment: props.environment ? { variables: props.environment } : undefined,
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      reservedConcurrentExecutions: props.reservedConcurrency,
      dependsOn: [this.logGroup],
    });
  }

  /** Adds a least-privilege statement to the function's role. */
  grant(statement: PolicyStatement): void {
    this.statements.push(statement);
  }
}
