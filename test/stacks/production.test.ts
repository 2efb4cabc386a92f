// What issue 13 asks of the synthesized stacks: a customer-managed key on every store, tracing,
// failure destinations, retention, the operations dashboard and alarms (each metric emitted by a
// handler through Powertools), alert subscriptions, and Terraform Cloud workspaces per stack.
import { readdirSync, readFileSync } from "node:fs";
import { Testing } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../modules/config/load.ts";
import type { LakesyncConfig } from "../../modules/config/schema.ts";
import { TRACE_SDK_CALLS_VARIABLE } from "../../modules/deploy/environment.ts";
import { METRICS_NAMESPACE } from "../../stacks/constructs/operations.ts";
import { RealtimeCaptureStack } from "../../stacks/realtime-capture-stack.ts";
import { TargetAccessStack } from "../../stacks/target-access-stack.ts";
import { functionsOf, synthesizeAll, type TerraformJson } from "./synthesized.ts";

type Block = Record<string, unknown>;
const blocks = (json: TerraformJson, type: string): Block[] => Object.values(json.resource[type] ?? {});
const KEY_REF = /^\$\{(aws_kms_key\.[\w-]+\.arn)\}$/;

let config: LakesyncConfig;
let stacks: ReturnType<typeof synthesizeAll>;
let dataStacks: [string, TerraformJson][];
beforeAll(async () => {
  config = await loadConfig("lakesync.config.example.json");
  stacks = synthesizeAll(config);
  dataStacks = [
    ["realtime", stacks.realtime.json],
    ["batch", stacks.batch.json],
    ...stacks.snowflake.map((s): [string, TerraformJson] => ["snowflake", s.json]),
  ];
}, 120_000);

describe("customer-managed keys", () => {
  it("each stack with data has one rotating key, scoped by its policy to the stack's roles and services", () => {
    for (const [name, json] of dataStacks) {
      const keys = blocks(json, "aws_kms_key");
      expect(keys, name).toHaveLength(1);
      expect(keys[0]).toMatchObject({ enable_key_rotation: true });
      const policy = JSON.parse(String(keys[0]?.policy)) as {
        Statement: { Sid: string; Principal: unknown; Condition?: unknown }[];
      };
      const roles = policy.Statement.find((s) => s.Sid === "StackRolesUseKey");
      const functionRoles = blocks(json, "aws_lambda_function").map((f) => f.role);
      expect(((roles?.Principal ?? { AWS: [] }) as { AWS: string[] }).AWS.sort()).toEqual(
        [...functionRoles].sort(),
      );
      for (const s of policy.Statement.filter((s) => "Service" in (s.Principal as object))) {
        expect(s.Condition, `${name} ${s.Sid}`).toBeDefined();
      }
    }
    for (const { synth } of stacks.targets) expect(blocks(synth.json, "aws_kms_key")).toEqual([]);
  });

  it("encrypts the journal table, queues, topics, log groups, buckets, schedules and Lambda environments", () => {
    for (const [name, json] of dataStacks) {
      const keyArn = `\${${Object.keys(json.resource.aws_kms_key ?? {}).map((id) => `aws_kms_key.${id}.arn`)[0]}}`;
      expect(keyArn).toMatch(KEY_REF);
      const uses: [string, (b: Block) => unknown][] = [
        ["aws_dynamodb_table", (b) => (b.server_side_encryption as Block).kms_key_arn],
        ["aws_sqs_queue", (b) => b.kms_master_key_id],
        ["aws_sns_topic", (b) => b.kms_master_key_id],
        ["aws_cloudwatch_log_group", (b) => b.kms_key_id],
        [
          "aws_s3_bucket_server_side_encryption_configuration",
          (b) =>
            ((b.rule as Block[])[0]?.apply_server_side_encryption_by_default as Block | undefined)
              ?.kms_master_key_id,
        ],
        ["aws_scheduler_schedule", (b) => b.kms_key_arn],
        ["aws_lambda_function", (b) => b.kms_key_arn],
      ];
      for (const [type, keyOf] of uses) {
        for (const block of blocks(json, type)) expect(keyOf(block), `${name} ${type}`).toBe(keyArn);
      }
    }
    expect(blocks(stacks.realtime.json, "aws_dynamodb_table")).toHaveLength(1);
    expect(blocks(stacks.batch.json, "aws_scheduler_schedule")).toHaveLength(1);
  });

  it("uses the key the config names instead of creating one", () => {
    const keyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const withKey = { ...config, deployment: { ...config.deployment, kmsKeyArn: keyArn } };
    const json = JSON.parse(
      Testing.synth(new RealtimeCaptureStack(Testing.app(), "realtime", withKey)),
    ) as TerraformJson;
    expect(blocks(json, "aws_kms_key")).toEqual([]);
    expect(
      (blocks(json, "aws_dynamodb_table")[0]?.server_side_encryption as Block | undefined)?.kms_key_arn,
    ).toBe(keyArn);
    expect(blocks(json, "aws_sqs_queue").every((q) => q.kms_master_key_id === keyArn)).toBe(true);
  });
});

describe("functions", () => {
  it("are traced by X-Ray and may send traces", () => {
    for (const [name, json] of dataStacks) {
      for (const fn of blocks(json, "aws_lambda_function")) {
        expect(fn.tracing_config, `${name} ${fn.function_name}`).toEqual({ mode: "Active" });
      }
      const policies = blocks(json, "aws_iam_role_policy").map((p) => String(p.policy));
      expect(policies.every((p) => p.includes("xray:PutTraceSegments"))).toBe(true);
    }
  });

  it("trace SDK calls in the replicator and the batch worker only when deployment.lambda.traceSdkCalls says so", () => {
    const traceVariable = (json: TerraformJson) =>
      Object.fromEntries(
        blocks(json, "aws_lambda_function").map((fn) => [
          String(fn.function_name),
          (fn.environment as { variables: Record<string, string> } | undefined)?.variables?.[
            TRACE_SDK_CALLS_VARIABLE
          ],
        ]),
      );
    const tracing = { ...config.deployment.lambda, traceSdkCalls: true };
    const traced = synthesizeAll({ ...config, deployment: { ...config.deployment, lambda: tracing } });
    for (const [stack, json] of [
      ["realtime", stacks.realtime.json],
      ["batch", stacks.batch.json],
    ] as const) {
      const byDefault = traceVariable(json);
      const deployedWith = traceVariable(traced[stack].json);
      for (const [fn, value] of Object.entries(byDefault)) {
        const tracesSdkCalls = /-(replicate|batch-worker)$/.test(fn);
        expect(value, fn).toBe(tracesSdkCalls ? "false" : undefined);
        expect(deployedWith[fn], fn).toBe(tracesSdkCalls ? "true" : undefined);
      }
    }
  });

  it("park failed asynchronous invocations (poller, batch start) on a DLQ and run one at a time", () => {
    const asyncFunctions = [
      ...blocks(stacks.realtime.json, "aws_lambda_function"),
      ...blocks(stacks.batch.json, "aws_lambda_function"),
    ].filter((f) =>
      ["lakesync-prod-east-poll-cloudtrail", "lakesync-prod-east-batch-start"].includes(
        String(f.function_name),
      ),
    );
    expect(asyncFunctions).toHaveLength(2);
    for (const fn of asyncFunctions) {
      expect(String((fn.dead_letter_config as Block | undefined)?.target_arn)).toMatch(
        /^\$\{aws_sqs_queue\./,
      );
      expect(fn.reserved_concurrent_executions).toBe(1);
    }
    const invokeConfigs = [
      ...blocks(stacks.realtime.json, "aws_lambda_function_event_invoke_config"),
      ...blocks(stacks.batch.json, "aws_lambda_function_event_invoke_config"),
    ];
    expect(invokeConfigs).toHaveLength(2);
    for (const c of invokeConfigs) expect(c).toMatchObject({ maximum_retry_attempts: 2 });
  });

  it("state why their memory and timeout are what they are", () => {
    const all = [stacks.realtime, stacks.batch, ...stacks.snowflake].flatMap((s) => functionsOf(s.stack));
    expect(all).toHaveLength(6);
    for (const fn of all) expect(fn.sizing.length, fn.node.path).toBeGreaterThan(40);
  });

  it("size the functions the bench measures from its figures (issue 13), citing them", () => {
    const measured = [stacks.realtime, stacks.batch].flatMap((s) => functionsOf(s.stack));
    expect(measured).toHaveLength(5);
    for (const fn of measured) expect(fn.sizing, fn.node.path).toMatch(/npm run bench/);
  });

  it("keep logs the configured days (365 by default) and buckets have a lifecycle", () => {
    for (const [, json] of dataStacks) {
      for (const group of blocks(json, "aws_cloudwatch_log_group")) expect(group.retention_in_days).toBe(365);
    }
    const lifecycles = [
      ...blocks(stacks.realtime.json, "aws_s3_bucket_lifecycle_configuration"),
      ...blocks(stacks.batch.json, "aws_s3_bucket_lifecycle_configuration"),
    ];
    expect(lifecycles).toHaveLength(2);
    const rules = lifecycles.flatMap((l) => l.rule as Block[]);
    expect(rules.filter((r) => r.id === "abort-incomplete-uploads")).toHaveLength(2);
    expect(rules.find((r) => r.id === "expire-old-versions")).toMatchObject({
      noncurrent_version_expiration: [{ noncurrent_days: config.deployment.retention.noncurrentObjectDays }],
    });
  });
});

/** Each handler's Powertools service and the metric names it emits, read from its source. */
function emittedMetrics(): Map<string, Set<string>> {
  const byService = new Map<string, Set<string>>();
  for (const file of readdirSync("handlers").filter((f) => f.endsWith(".ts"))) {
    const source = readFileSync(`handlers/${file}`, "utf8");
    const services = [
      ...source.matchAll(/new Metrics\(\{\s*namespace:\s*"([^"]+)",\s*serviceName:\s*"([^"]+)"\s*\}\)/g),
    ]
      .filter((m) => m[1] === METRICS_NAMESPACE)
      .map((m) => m[2] as string);
    // The name argument may be a literal or choose between literals (a ternary).
    const names = [...source.matchAll(/addMetric\(([^,]*?),\s*MetricUnit/g)].flatMap((m) =>
      [...(m[1] as string).matchAll(/"([^"]+)"/g)].map((n) => n[1] as string),
    );
    for (const service of services) {
      const set = byService.get(service) ?? new Set();
      for (const name of names) set.add(name);
      byService.set(service, set);
    }
  }
  return byService;
}

describe("operations", () => {
  type Line = { namespace: string; name: string; dimensions: Record<string, string> };
  let dashboardLines: Line[];
  let alarmLines: Line[];
  let queueNames: string[];
  beforeAll(() => {
    const [dashboard] = blocks(stacks.realtime.json, "aws_cloudwatch_dashboard");
    const body = JSON.parse(String(dashboard?.dashboard_body)) as {
      widgets: { properties: { metrics: unknown[][] } }[];
    };
    dashboardLines = body.widgets.flatMap((w) =>
      w.properties.metrics.map(([namespace, name, dimension, value]) => ({
        namespace: String(namespace),
        name: String(name),
        dimensions: { [String(dimension)]: String(value) },
      })),
    );
    const alarms = [
      ...blocks(stacks.realtime.json, "aws_cloudwatch_metric_alarm"),
      ...blocks(stacks.batch.json, "aws_cloudwatch_metric_alarm"),
    ];
    alarmLines = alarms.flatMap((a): Line[] =>
      a.metric_query
        ? (a.metric_query as Block[]).flatMap((q) => {
            const m = q.metric as Block | undefined;
            return m
              ? [
                  {
                    namespace: String(m.namespace),
                    name: String(m.metric_name),
                    dimensions: m.dimensions as Record<string, string>,
                  },
                ]
              : [];
          })
        : [
            {
              namespace: String(a.namespace),
              name: String(a.metric_name),
              dimensions: a.dimensions as Record<string, string>,
            },
          ],
    );
    const queues = [stacks.realtime.json, stacks.batch.json].flatMap((json) =>
      Object.entries(json.resource.aws_sqs_queue ?? {}),
    );
    queueNames = queues.map(([, q]) => String(q.name));
    // A queue's name in a widget or alarm is a literal or a reference to the queue's name.
    const nameOf = (value: string) =>
      String(queues.find(([id]) => value === `\${aws_sqs_queue.${id}.name}`)?.[1].name ?? value);
    for (const line of [...dashboardLines, ...alarmLines]) {
      if (line.dimensions.QueueName) line.dimensions.QueueName = nameOf(line.dimensions.QueueName);
    }
  });

  it("the dashboard shows capture per path, outcomes, lag p50/p99, DLQ depth, late events and batch runs", () => {
    const [dashboard] = blocks(stacks.realtime.json, "aws_cloudwatch_dashboard");
    const body = JSON.parse(String(dashboard?.dashboard_body)) as {
      widgets: { properties: { title: string; metrics: unknown[][] } }[];
    };
    expect(body.widgets.map((w) => w.properties.title)).toEqual([
      "Events captured per path",
      "Replication outcomes",
      "Replication lag (s)",
      "Dead-letter queue depth",
      "Poller late events",
      "Batch runs",
    ]);
    const lag = body.widgets[2]?.properties.metrics.map((m) => (m[4] as Block).stat);
    expect(lag).toEqual(["p50", "p99"]);
    const names = dashboardLines.map((l) => `${l.dimensions.service ?? ""}/${l.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        "lakesync-replicator/applied",
        "lakesync-replicator/noop",
        "lakesync-replicator/failed",
        "lakesync-poller/late",
        "lakesync-capture/captured",
        "lakesync-poller/journaled",
      ]),
    );
  });

  it("every lakesync metric of a widget or alarm is emitted by a handler with that service", () => {
    const emitted = emittedMetrics();
    const lines = [...dashboardLines, ...alarmLines].filter((l) => l.namespace === METRICS_NAMESPACE);
    expect(lines.length).toBeGreaterThan(10);
    const missing = lines
      .filter((l) => !emitted.get(l.dimensions.service ?? "")?.has(l.name))
      .map((l) => `${l.dimensions.service}/${l.name}`);
    expect(missing).toEqual([]);
  });

  it("every queue metric names a queue the stacks create, and every DLQ is on the dashboard and alarmed", () => {
    const queueLines = [...dashboardLines, ...alarmLines].filter((l) => l.namespace === "AWS/SQS");
    for (const line of queueLines) expect(queueNames).toContain(line.dimensions.QueueName);
    const dlqs = queueNames.filter((n) => n.endsWith("-dlq"));
    expect(dlqs).toHaveLength(5);
    for (const dlq of dlqs) {
      expect(dashboardLines.map((l) => l.dimensions.QueueName)).toContain(dlq);
      expect(alarmLines.map((l) => l.dimensions.QueueName)).toContain(dlq);
    }
  });

  it("alarms on lag above the configured threshold, failed units and a silent EventBridge path, to the alert topics", () => {
    const realtimeAlarms = blocks(stacks.realtime.json, "aws_cloudwatch_metric_alarm");
    const lag = realtimeAlarms.find((a) => a.metric_name === "lagSeconds");
    expect(lag).toMatchObject({
      extended_statistic: "p99",
      threshold: config.deployment.alarms.replicationLagSeconds,
    });
    const silent = realtimeAlarms.find((a) => String(a.alarm_name).endsWith("-eventbridge-silent"));
    const queries = silent?.metric_query as Block[];
    expect(queries.map((q) => (q.metric as Block | undefined)?.period).filter(Boolean)).toEqual([
      config.deployment.alarms.eventBridgeSilentHours * 3600,
      config.deployment.alarms.eventBridgeSilentHours * 3600,
    ]);
    expect(queries.find((q) => q.return_data)?.expression).toContain(
      "FILL(delivered, 0) == 0 AND FILL(polled, 0) > 0",
    );
    const failedUnits = blocks(stacks.batch.json, "aws_cloudwatch_metric_alarm").find(
      (a) => a.metric_name === "unitsFailed",
    );
    expect(failedUnits).toMatchObject({ threshold: 0, comparison_operator: "GreaterThanThreshold" });
    for (const [json, topic] of [
      [stacks.realtime.json, "alerts_topic"],
      [stacks.batch.json, "alerts_topic"],
    ] as const) {
      for (const alarm of blocks(json, "aws_cloudwatch_metric_alarm")) {
        expect(String((alarm.alarm_actions as string[])[0])).toMatch(
          new RegExp(`^\\$\\{aws_sns_topic\\.${topic}`),
        );
      }
    }
  });

  it("the alert topics take the configured email and HTTPS subscriptions", () => {
    const subscriptions = [{ protocol: "https" as const, endpoint: "https://hooks.example.com/lakesync" }];
    const withHooks = {
      ...config,
      deployment: { ...config.deployment, alarms: { ...config.deployment.alarms, subscriptions } },
    };
    const json = JSON.parse(
      Testing.synth(new RealtimeCaptureStack(Testing.app(), "realtime", withHooks)),
    ) as TerraformJson;
    expect(blocks(json, "aws_sns_topic_subscription").map((s) => [s.protocol, s.endpoint])).toEqual([
      ["email", config.realtime.alertEmail],
      ["https", "https://hooks.example.com/lakesync"],
    ]);
  });
});

describe("Terraform Cloud", () => {
  it.each([
    ["remote" as const, { prefix: "lakesync-" }, (id: string) => `lakesync-${id}`],
    ["cloud" as const, { prefix: "tf-" }, (id: string) => `tf-${id}`],
    ["remote" as const, { name: "lakesync" }, (id: string) => `lakesync-${id}`],
  ])("%s backend: a cloud block with one workspace per stack (%o)", (type, workspaces, expected) => {
    const remote = {
      ...config,
      deployment: {
        ...config.deployment,
        backend: { type, hostname: "app.terraform.io", organization: "acme", workspaces },
      },
    };
    const app = Testing.app();
    const ids = config.targets.map((t) => `lakesync-target-${t.name}`);
    const names = ids.map((id, i) => {
      const stack = new TargetAccessStack(
        app,
        id,
        remote,
        config.targets[i] as LakesyncConfig["targets"][number],
      );
      const json = JSON.parse(Testing.synth(stack)) as {
        terraform: { cloud?: { organization: string; workspaces: { name: string } } };
      };
      expect(json.terraform.cloud).toMatchObject({ hostname: "app.terraform.io", organization: "acme" });
      return json.terraform.cloud?.workspaces.name;
    });
    expect(names).toEqual(ids.map(expected));
    expect(new Set(names).size).toBe(ids.length);
  });
});
