// Synthesizes the stacks from the example config and checks the Terraform they produce.
import { Lazy, Testing } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { CAPTURE_EVENT_PATTERN } from "../../modules/capture/event-pattern.ts";
import { loadConfig } from "../../modules/config/load.ts";
import type { LakesyncConfig } from "../../modules/config/schema.ts";
import { parseReplicatorEnv, REPLICATOR_ENV } from "../../modules/replicator/env.ts";
import { SNOWFLAKE_SYNC_EVENT_PATTERN } from "../../modules/snowflake/events.ts";
import { BatchStack } from "../../stacks/batch-stack.ts";
import { environmentProblem } from "../../stacks/constructs/nodejs-function.ts";
import { RealtimeCaptureStack } from "../../stacks/realtime-capture-stack.ts";
import { SnowflakeSyncStack } from "../../stacks/snowflake-sync-stack.ts";
import { TargetAccessStack } from "../../stacks/target-access-stack.ts";

type Synth = {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  terraform: Record<string, unknown>;
};
const resources = (synth: Synth, type: string) => Object.values(synth.resource[type] ?? {});

let config: LakesyncConfig;
beforeAll(async () => {
  config = await loadConfig("lakesync.config.example.json");
});

describe("realtime capture stack", () => {
  let synth: Synth;
  beforeAll(() => {
    const stack = new RealtimeCaptureStack(Testing.app(), "realtime", config);
    synth = JSON.parse(Testing.synth(stack)) as Synth;
  });

  it("journals into a DynamoDB table with a stream and point-in-time recovery", () => {
    const [table] = resources(synth, "aws_dynamodb_table");
    expect(table).toMatchObject({
      name: config.realtime.journalTable,
      hash_key: "pk",
      stream_enabled: true,
      stream_view_type: "NEW_AND_OLD_IMAGES",
      point_in_time_recovery: { enabled: true },
      billing_mode: "PAY_PER_REQUEST",
    });
  });

  it("routes successful Glue and Lake Formation calls from EventBridge to the capture queue", () => {
    const [rule] = resources(synth, "aws_cloudwatch_event_rule");
    expect(JSON.parse(String(rule?.event_pattern))).toEqual(CAPTURE_EVENT_PATTERN);
    const mappings = resources(synth, "aws_lambda_event_source_mapping");
    expect(mappings).toContainEqual(
      expect.objectContaining({ function_response_types: ["ReportBatchItemFailures"] }),
    );
    const queues = resources(synth, "aws_sqs_queue").map((q) => q.name);
    expect(queues).toEqual(
      expect.arrayContaining(["lakesync-prod-east-capture", "lakesync-prod-east-capture-dlq"]),
    );
  });

  it("runs handlers on nodejs22.x from bundled assets with JSON logs", () => {
    const functions = resources(synth, "aws_lambda_function");
    expect(functions.map((f) => f.function_name)).toEqual(
      expect.arrayContaining(["lakesync-prod-east-capture", "lakesync-prod-east-poll-cloudtrail"]),
    );
    for (const fn of functions) {
      expect(fn).toMatchObject({ runtime: "nodejs22.x", handler: "index.handler", architectures: ["arm64"] });
      expect(fn.logging_config).toMatchObject({ log_format: "JSON" });
      expect(String(fn.filename)).toMatch(/^assets\//);
    }
  });

  it("polls CloudTrail on the configured schedule with one poller at a time", () => {
    const [schedule] = resources(synth, "aws_scheduler_schedule");
    expect(schedule?.schedule_expression).toBe(`rate(${config.realtime.pollScheduleMinutes} minutes)`);
    const poller = resources(synth, "aws_lambda_function").find(
      (f) => f.function_name === "lakesync-prod-east-poll-cloudtrail",
    );
    expect(poller?.reserved_concurrent_executions).toBe(1);
    const policies = resources(synth, "aws_iam_role_policy").map((p) => String(p.policy));
    expect(policies.some((p) => p.includes("cloudtrail:LookupEvents"))).toBe(true);
    expect(policies.every((p) => !p.includes('"dynamodb:*"') && !p.includes('"s3:*"'))).toBe(true);
  });

  it("alerts on dead letters", () => {
    const [alarm] = resources(synth, "aws_cloudwatch_metric_alarm");
    expect(alarm).toMatchObject({
      metric_name: "ApproximateNumberOfMessagesVisible",
      comparison_operator: "GreaterThanThreshold",
    });
    const [subscription] = resources(synth, "aws_sns_topic_subscription");
    expect(subscription).toMatchObject({ protocol: "email", endpoint: config.realtime.alertEmail });
  });

  it("keeps state in the configured S3 backend, one key per stack", () => {
    expect(synth.terraform.backend).toMatchObject({ s3: { key: expect.stringContaining("realtime/") } });
  });
});

describe("target access stack", () => {
  let synth: Synth;
  beforeAll(() => {
    const target = config.targets[1]!;
    synth = JSON.parse(
      Testing.synth(new TargetAccessStack(Testing.app(), "target", config, target)),
    ) as Synth;
  });

  it("lets only lakesync's source roles assume the writer role", () => {
    const [role] = resources(synth, "aws_iam_role");
    const trust = JSON.parse(String(role?.assume_role_policy)) as { Statement: { Condition: object }[] };
    expect(trust.Statement[0]?.Condition).toEqual({
      ArnLike: {
        "aws:PrincipalArn": [
          "arn:aws:iam::111122223333:role/lakesync-prod-east-replicate-role",
          "arn:aws:iam::111122223333:role/lakesync-prod-east-batch-worker-role",
        ],
      },
    });
  });

  it("adds the role to the data lake admins without dropping the existing ones", () => {
    const [settings] = resources(synth, "aws_lakeformation_data_lake_settings");
    expect(String(settings?.admins)).toMatch(
      /^\$\{distinct\(concat\(tolist\(data\.aws_lakeformation_data_lake_settings\.[^.]+\.admins\), \[aws_iam_role\.writer\.arn\]\)\)\}$/,
    );
    expect(settings?.create_database_default_permissions).toBeDefined();
  });

  it("scopes Glue actions to the target's catalog", () => {
    const [role] = resources(synth, "aws_iam_role");
    const policy = String((role?.inline_policy as { policy: string }[] | undefined)?.[0]?.policy);
    expect(policy).toContain("arn:aws:glue:us-west-2:444455556666:catalog");
    expect(policy).not.toContain('"glue:*"');
  });
});

describe("snowflake sync stack", () => {
  let synth: Synth;
  beforeAll(() => {
    const snowflake = config.snowflake;
    if (!snowflake) throw new Error("the example config has a snowflake section");
    synth = JSON.parse(
      Testing.synth(new SnowflakeSyncStack(Testing.app(), "snowflake", config, snowflake)),
    ) as Synth;
  });

  it("feeds only successful Glue table writes to the sync function", () => {
    const [rule] = resources(synth, "aws_cloudwatch_event_rule");
    const pattern = JSON.parse(String(rule?.event_pattern));
    expect(pattern).toEqual(SNOWFLAKE_SYNC_EVENT_PATTERN);
    // BatchDeleteTable is a table delete too (one event, several tables).
    expect(pattern.detail.eventName).toEqual([
      "CreateTable",
      "UpdateTable",
      "DeleteTable",
      "BatchDeleteTable",
    ]);
    expect(pattern.detail.errorCode).toEqual([{ exists: false }]);
    const [fn] = resources(synth, "aws_lambda_function");
    const variables = (fn?.environment as { variables: Record<string, string> } | undefined)?.variables ?? {};
    expect(JSON.parse(variables.LAKESYNC_SNOWFLAKE_SETTINGS ?? "{}")).toMatchObject({
      account: config.snowflake?.account,
      stages: config.snowflake?.stages,
    });
  });

  it("may read only the configured private key secret", () => {
    const policies = resources(synth, "aws_iam_role_policy").map((p) => String(p.policy));
    expect(policies.some((p) => p.includes(String(config.snowflake?.secretArn)))).toBe(true);
    expect(policies.every((p) => !p.includes('"secretsmanager:*"'))).toBe(true);
  });
});

describe("batch stack", () => {
  let synth: Synth;
  beforeAll(() => {
    synth = JSON.parse(Testing.synth(new BatchStack(Testing.app(), "batch", config))) as Synth;
  });

  it("keeps backups in a private, versioned, encrypted bucket", () => {
    expect(resources(synth, "aws_s3_bucket")).toContainEqual(
      expect.objectContaining({ bucket: config.batch.backupBucket }),
    );
    expect(resources(synth, "aws_s3_bucket_public_access_block")[0]).toMatchObject({
      block_public_policy: true,
    });
    expect(resources(synth, "aws_s3_bucket_versioning")[0]).toMatchObject({
      versioning_configuration: { status: "Enabled" },
    });
  });

  it("works one unit per message and reaches each target through its writer role", () => {
    const [mapping] = resources(synth, "aws_lambda_event_source_mapping");
    expect(mapping).toMatchObject({ batch_size: 1, function_response_types: ["ReportBatchItemFailures"] });
    const worker = resources(synth, "aws_lambda_function").find(
      (f) => f.function_name === "lakesync-prod-east-batch-worker",
    );
    const variables =
      (worker?.environment as { variables: Record<string, string> } | undefined)?.variables ?? {};
    const targets = JSON.parse(variables.LAKESYNC_BATCH_TARGETS ?? "[]") as {
      location: { name: string; roleArn: string };
    }[];
    expect(targets.map((t) => [t.location.name, t.location.roleArn])).toEqual([
      ["dr-west", "arn:aws:iam::111122223333:role/lakesync-prod-east-dr-west-writer"],
      ["dr-vault", "arn:aws:iam::444455556666:role/lakesync-replicator"],
    ]);
    const policies = resources(synth, "aws_iam_role_policy").map((p) => String(p.policy));
    expect(
      policies.some((p) => p.includes("sts:AssumeRole") && p.includes("lakesync-prod-east-dr-west-writer")),
    ).toBe(true);
  });

  it("runs on the configured schedule", () => {
    const [schedule] = resources(synth, "aws_scheduler_schedule");
    expect(schedule?.schedule_expression).toBe(config.batch.schedule);
  });
});

describe("realtime replicator", () => {
  let synth: Synth;
  beforeAll(() => {
    const retained = { ...config, realtime: { ...config.realtime, journalRetentionDays: 90 } };
    synth = JSON.parse(Testing.synth(new RealtimeCaptureStack(Testing.app(), "realtime", retained))) as Synth;
  });

  it("consumes new journal items from the stream with partial batch responses and a failure destination", () => {
    const mapping = resources(synth, "aws_lambda_event_source_mapping").find(
      (m) => m.starting_position === "TRIM_HORIZON",
    );
    expect(mapping).toMatchObject({
      function_response_types: ["ReportBatchItemFailures"],
      bisect_batch_on_function_error: true,
      filter_criteria: { filter: [{ pattern: JSON.stringify({ eventName: ["INSERT"] }) }] },
    });
    expect(JSON.stringify(mapping?.destination_config)).toContain("aws_sqs_queue.replicator-dlq");
  });

  it("passes the replicator its settings resolved from the config, each target with its writer role", () => {
    const fn = resources(synth, "aws_lambda_function").find(
      (f) => f.function_name === "lakesync-prod-east-replicate",
    );
    const variables = (fn?.environment as { variables: Record<string, string> } | undefined)?.variables ?? {};
    const { settings } = parseReplicatorEnv({
      ...variables,
      // Terraform references at synth; Lambda sets the region.
      [REPLICATOR_ENV.deadLetterQueueUrl]: "https://sqs.us-east-1.amazonaws.com/111111111111/dlq",
      [REPLICATOR_ENV.alertTopicArn]: "arn:aws:sns:us-east-1:111111111111:alerts",
      AWS_REGION: config.source.region,
    });
    expect(settings.targets.map((t) => t.location.roleArn)).toEqual([
      "arn:aws:iam::111122223333:role/lakesync-prod-east-dr-west-writer",
      "arn:aws:iam::444455556666:role/lakesync-replicator",
    ]);
    expect(settings.journalRetentionDays).toBe(90);
    expect(settings.source).toEqual({ account: config.source.account, region: config.source.region });
    // Lambda allows 4 KB of environment in all.
    expect(Object.entries(variables).flat().join("").length).toBeLessThan(3500);
  });
});

describe("function environments", () => {
  it("refuse at synth a config whose resolved settings outgrow Lambda's 4 KB environment", () => {
    const buckets = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`source-lake-bucket-${i}`, `disaster-recovery-bucket-${i}`]),
    );
    const large = { ...config, mapping: { ...config.mapping, buckets } };
    expect(() => new RealtimeCaptureStack(Testing.app(), "realtime", large)).toThrow(
      /lakesync-prod-east-replicate: its environment is about \d+ bytes, over Lambda's 4096 \(LAKESYNC_REPLICATOR_SETTINGS is \d+\)/,
    );
  });

  it("count a Terraform reference as a resolved value would be, not as its placeholder", () => {
    const reference = Lazy.stringValue({ produce: () => "https://sqs.us-east-1.amazonaws.com/1/q" });
    expect(reference).toMatch(/^\$\{TfToken\[/);
    expect(environmentProblem("f", { QUEUE: reference.repeat(32) })).toMatch(/about 4101 bytes/);
    expect(environmentProblem("f", { QUEUE: reference.repeat(31) })).toBeUndefined();
  });
});
