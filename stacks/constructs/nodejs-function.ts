// One Lambda function per handler: esbuild bundle (handler-bundle.ts) -> zip asset -> role (least privilege, added
// through grant()) -> log group with retention -> function. Every stack builds functions here.
// Every function is traced by X-Ray (active tracing), has its environment and log group encrypted
// with the stack's key, and, when invoked asynchronously, a dead-letter queue of its own.
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config/index.js";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import { AssetType, Lazy, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { DEFAULT_LAMBDA } from "../../modules/config/schema.ts";
import { TRACE_SDK_CALLS_VARIABLE } from "../../modules/deploy/environment.ts";
import { tracesSdkCalls } from "../../modules/deploy/handlers.ts";
import { bundleHandler } from "../handler-bundle.ts";
import { LakesyncStack } from "../lakesync-stack.ts";
import { suppressCheckov } from "./checkov.ts";
import { assumeRolePolicy, type PolicyStatement, policyDocument } from "./policy.ts";
import { KEY_USE_ACTIONS } from "./stack-key.ts";

export interface LambdaSettings {
  runtime: string;
  architecture: "arm64" | "x86_64";
  memoryMb: number;
  timeoutSeconds: number;
  /** deployment.lambda.traceSdkCalls: for the handlers whose contract says they trace SDK calls. */
  traceSdkCalls: boolean;
}

export const defaultLambdaSettings: LambdaSettings = DEFAULT_LAMBDA;

/** Lambda's limit on a function's environment: its variables' names and values, 4 KB in all. */
export const LAMBDA_ENVIRONMENT_BYTES = 4 * 1024;
/** What a Terraform reference in a value (a queue URL, a topic ARN) is counted as before apply resolves it. */
const REFERENCE_BYTES = 128;
/** A cdktf token in a string: a Terraform reference synth writes as `${...}`. */
const TERRAFORM_REFERENCE = /\$\{TfToken\[[^\]]*\]\}/g;

/**
 * Why Lambda would refuse this environment at apply, or undefined: a config with many targets or
 * large mappings can outgrow the 4 KB (the replicator's and batch worker's resolved targets grow
 * with it), and synth says so instead of `terraform apply` half-way through.
 */
export function environmentProblem(
  functionName: string,
  environment: Record<string, string>,
): string | undefined {
  const size = (text: string) =>
    Buffer.byteLength(text.replace(TERRAFORM_REFERENCE, "")) +
    (text.match(TERRAFORM_REFERENCE)?.length ?? 0) * REFERENCE_BYTES;
  const sizes = Object.entries(environment).map(([name, value]) => ({
    name,
    bytes: size(name) + size(value),
  }));
  const total = sizes.reduce((sum, variable) => sum + variable.bytes, 0);
  if (total <= LAMBDA_ENVIRONMENT_BYTES) return undefined;
  const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  return `${functionName}: its environment is about ${total} bytes, over Lambda's ${LAMBDA_ENVIRONMENT_BYTES} (${largest.name} is ${largest.bytes}): deploy fewer targets or smaller mappings per source`;
}

export interface NodejsFunctionProps {
  /** Handler module relative to the repository root, exporting `handler`. */
  entry: string;
  functionName: string;
  description: string;
  environment?: Record<string, string>;
  settings?: Partial<LambdaSettings>;
  /** Why the memory and timeout are what they are (kept next to the numbers). */
  sizing: string;
  reservedConcurrency?: number;
  /**
   * Invoked asynchronously (Scheduler): give it a dead-letter queue for invocations that fail
   * after Lambda's retries. Functions fed by event source mappings are invoked synchronously; their
   * failures go to the source's DLQ or on-failure destination instead.
   */
  asyncInvoked?: boolean;
}

export class NodejsFunction extends Construct {
  /** The handler module deployed (NodejsFunctionProps.entry). */
  readonly entry: string;
  /** Why the memory and timeout are what they are (NodejsFunctionProps.sizing). */
  readonly sizing: string;
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  /** Failed asynchronous invocations (asyncInvoked only). */
  readonly deadLetterQueue?: SqsQueue;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: NodejsFunctionProps) {
    super(scope, id);
    const settings = { ...defaultLambdaSettings, ...props.settings };
    const environment =
      props.environment && tracesSdkCalls(props.entry)
        ? { ...props.environment, [TRACE_SDK_CALLS_VARIABLE]: String(settings.traceSdkCalls) }
        : props.environment;
    const tooLarge = environment && environmentProblem(props.functionName, environment);
    if (tooLarge) throw new Error(tooLarge);
    this.entry = props.entry;
    this.sizing = props.sizing;
    const stack = LakesyncStack.containing(this);
    const key = stack.dataKey();

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: stack.deployment.retention.logDays,
      kmsKeyId: key.arn,
    });
    this.role = new IamRole(this, "role", {
      name: `${props.functionName}-role`.slice(0, 64),
      assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com"),
    });
    key.allowRole(this.role.arn);
    this.grant({
      Sid: "WriteOwnLogs",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [`${this.logGroup.arn}:*`],
    });
    // Queues, topic, table, buckets and environment are all encrypted with the stack's key.
    this.grant({ Sid: "UseStackKey", Action: KEY_USE_ACTIONS, Resource: [key.arn] });
    // X-Ray has no resource-level permissions for sending traces.
    this.grant({
      Sid: "SendTraces",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      Resource: ["*"],
    });
    if (props.asyncInvoked) {
      this.deadLetterQueue = new SqsQueue(this, "dlq", {
        name: `${props.functionName}-dlq`,
        messageRetentionSeconds: 14 * 24 * 3600,
        kmsMasterKeyId: key.arn,
      });
      this.grant({ Sid: "DeadLetters", Action: ["sqs:SendMessage"], Resource: [this.deadLetterQueue.arn] });
    }
    new IamRolePolicy(this, "policy", {
      role: this.role.name,
      name: "lakesync",
      // Resolved lazily so grants added after construction are included.
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });

    const asset = new TerraformAsset(this, "code", {
      path: bundleHandler(props.entry).dir,
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
      environment: environment ? { variables: environment } : undefined,
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      reservedConcurrentExecutions: props.reservedConcurrency,
      kmsKeyArn: key.arn,
      tracingConfig: { mode: "Active" },
      deadLetterConfig: this.deadLetterQueue ? { targetArn: this.deadLetterQueue.arn } : undefined,
      dependsOn: [this.logGroup],
    });
    this.function.addOverride("//.sizing", props.sizing);
    if (this.deadLetterQueue) {
      // Two retries after the first failure, then the event is parked on the DLQ and alarmed.
      new LambdaFunctionEventInvokeConfig(this, "async", {
        functionName: this.function.functionName,
        maximumRetryAttempts: 2,
        maximumEventAgeInSeconds: 3600,
      });
    }
    suppressCheckov(
      this.function,
      "CKV_AWS_117",
      "no VPC: the functions call only AWS APIs (and the Snowflake SQL API over HTTPS) and reach nothing inside a VPC",
    );
    suppressCheckov(
      this.function,
      "CKV_AWS_272",
      "no code signing: the bundle is built from this repository at synth and pinned by source_code_hash, so Terraform deploys exactly the reviewed build; Signer profiles would add a signing step outside Terraform",
    );
    if (!props.asyncInvoked) {
      suppressCheckov(
        this.function,
        "CKV_AWS_116",
        "invoked synchronously by an event source mapping: a function DLQ only receives asynchronous invocations; failed records go to the source queue's redrive DLQ or the mapping's on-failure destination",
      );
    }
    if (props.reservedConcurrency === undefined) {
      suppressCheckov(
        this.function,
        "CKV_AWS_115",
        "concurrency is bounded by the event source (SQS mapping scaling or stream shards); reserving it would take capacity from the account's pool without a need to serialize",
      );
    }
  }

  /** Suppresses a checkov finding on the function, with the reason it does not apply. */
  suppressCheckov(checkId: string, reason: string): void {
    suppressCheckov(this.function, checkId, reason);
  }

  /** Adds a least-privilege statement to the function's role. */
  grant(statement: PolicyStatement): void {
    this.statements.push(statement);
  }
}
