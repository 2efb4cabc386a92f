// Operations of one source: a CloudWatch dashboard (events captured per path, replication outcomes
// and lag, DLQ depth, poller late events, batch runs) and the alarms on replication lag and on the
// EventBridge path going silent while the poller still captures. Every metric here is one a
// handler emits through Powertools (namespace "lakesync", dimension "service"); the synth test
// ties each name to the handler that emits it.
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { Construct } from "constructs";
import type { Alerts } from "./alerts.ts";

export const METRICS_NAMESPACE = "lakesync";

/** Powertools' service dimension of each handler's metrics. */
export const METRIC_SERVICES = {
  capture: "lakesync-capture",
  poller: "lakesync-poller",
  replicator: "lakesync-replicator",
  batch: "lakesync-batch",
} as const;

type Service = keyof typeof METRIC_SERVICES;

/** A lakesync metric as a dashboard widget line: [namespace, name, "service", service, options]. */
const metric = (service: Service, name: string, options: Record<string, unknown> = {}) => [
  METRICS_NAMESPACE,
  name,
  "service",
  METRIC_SERVICES[service],
  options,
];

export interface OperationsProps {
  /** Dashboard and alarm name prefix. */
  name: string;
  region: string;
  alerts: Alerts;
  /** Dead-letter queue names, by what they hold. */
  deadLetterQueues: Record<string, string>;
  lagAlarmSeconds: number;
  eventBridgeSilentHours: number;
}

export class Operations extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly lagAlarm: CloudwatchMetricAlarm;
  readonly eventBridgeSilentAlarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const widget = (title: string, metrics: unknown[][], extra: Record<string, unknown> = {}) => ({
      type: "metric",
      width: 12,
      height: 6,
      properties: {
        title,
        region: props.region,
        view: "timeSeries",
        period: 300,
        stat: "Sum",
        metrics,
        ...extra,
      },
    });
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.name,
      dashboardBody: JSON.stringify({
        widgets: [
          widget("Events captured per path", [
            metric("capture", "captured", { label: "EventBridge: delivered" }),
            metric("poller", "journaled", { label: "Poller: journaled (missed by EventBridge)" }),
            metric("poller", "duplicates", { label: "Poller: already journaled" }),
          ]),
          widget("Replication outcomes", [
            metric("replicator", "applied", { label: "applied" }),
            metric("replicator", "noop", { label: "noop" }),
            metric("replicator", "failed", { label: "failed" }),
          ]),
          widget("Replication lag (s)", [
            metric("replicator", "lagSeconds", { stat: "p50", label: "p50" }),
            metric("replicator", "lagSeconds", { stat: "p99", label: "p99" }),
          ]),
          widget(
            "Dead-letter queue depth",
            Object.entries(props.deadLetterQueues).map(([label, queue]) => [
              "AWS/SQS",
              "ApproximateNumberOfMessagesVisible",
              "QueueName",
              queue,
              { label },
            ]),
            { stat: "Maximum" },
          ),
          widget("Poller late events", [
            metric("poller", "late", { label: "late (beyond the previous window)" }),
            metric("poller", "throttled", { label: "throttled LookupEvents calls" }),
          ]),
          widget("Batch runs", [
            metric("batch", "runsCompleted", { label: "runs completed" }),
            metric("batch", "unitsDone", { label: "units done" }),
            metric("batch", "unitsAlreadyDone", { label: "units already done" }),
            metric("batch", "unitsFailed", { label: "units failed" }),
            metric("batch", "syncFailures", { label: "sync failures" }),
            metric("batch", "syncRefused", { label: "delete-syncs refused" }),
          ]),
        ],
      }),
    });

    this.lagAlarm = new CloudwatchMetricAlarm(this, "lag-alarm", {
      alarmName: `${props.name}-replication-lag`,
      alarmDescription: `p99 replication lag above ${props.lagAlarmSeconds} s for 15 minutes`,
      namespace: METRICS_NAMESPACE,
      metricName: "lagSeconds",
      dimensions: { service: METRIC_SERVICES.replicator },
      extendedStatistic: "p99",
      period: 300,
      evaluationPeriods: 3,
      threshold: props.lagAlarmSeconds,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [props.alerts.topic.arn],
      okActions: [props.alerts.topic.arn],
    });

    // A broken trail or rule: EventBridge delivered nothing for N hours while the poller kept
    // journaling events EventBridge should have delivered.
    const period = props.eventBridgeSilentHours * 3600;
    this.eventBridgeSilentAlarm = new CloudwatchMetricAlarm(this, "eventbridge-silent-alarm", {
      alarmName: `${props.name}-eventbridge-silent`,
      alarmDescription: `The EventBridge capture path delivered nothing for ${props.eventBridgeSilentHours} h while the CloudTrail poller journaled events: check the trail and the rule`,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [props.alerts.topic.arn],
      okActions: [props.alerts.topic.arn],
      metricQuery: [
        {
          id: "delivered",
          returnData: false,
          metric: {
            namespace: METRICS_NAMESPACE,
            metricName: "captured",
            dimensions: { service: METRIC_SERVICES.capture },
            stat: "Sum",
            period,
          },
        },
        {
          id: "polled",
          returnData: false,
          metric: {
            namespace: METRICS_NAMESPACE,
            metricName: "journaled",
            dimensions: { service: METRIC_SERVICES.poller },
            stat: "Sum",
            period,
          },
        },
        {
          id: "silent",
          label: "EventBridge silent while the poller captures",
          returnData: true,
          expression: "IF(FILL(delivered, 0) == 0 AND FILL(polled, 0) > 0, 1, 0)",
        },
      ],
    });
  }
}

/** Alarms on the batch stack's alert topic: failed work units, and delete-syncs the guard refused. */
export function alarmsOnBatchUnits(scope: Construct, name: string, alerts: Alerts): CloudwatchMetricAlarm[] {
  const alarm = (suffix: string, metricName: string, alarmDescription: string) =>
    new CloudwatchMetricAlarm(scope, `${suffix}-alarm`, {
      alarmName: `${name}-${suffix}`,
      alarmDescription,
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensions: { service: METRIC_SERVICES.batch },
      statistic: "Sum",
      period: 3600,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [alerts.topic.arn],
    });
  return [
    alarm(
      "units-failed",
      "unitsFailed",
      "Batch work units failed (their messages are retried, then dead-lettered)",
    ),
    alarm(
      "sync-refused",
      "syncRefused",
      "A batch unit's delete-sync was refused by batch.maxDeleteShare or an empty source (nothing written; see the worker's log)",
    ),
  ];
}
