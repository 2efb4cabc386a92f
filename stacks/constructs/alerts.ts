// The alert topic, encrypted with the stack's key: dead-lettered events, failed replications and
// every operations alarm are published here. It notifies realtime.alertEmail and the configured
// deployment.alarms.subscriptions (email or HTTPS).
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription/index.js";
import type { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import { Construct } from "constructs";
import { LakesyncStack } from "../lakesync-stack.ts";
import type { NodejsFunction } from "./nodejs-function.ts";

export class Alerts extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: { name: string; email?: string }) {
    super(scope, id);
    const stack = LakesyncStack.containing(this);
    this.topic = new SnsTopic(this, "topic", { name: props.name, kmsMasterKeyId: stack.dataKey().arn });
    const subscriptions = [
      ...(props.email ? [{ protocol: "email", endpoint: props.email }] : []),
      ...stack.deployment.alarms.subscriptions,
    ];
    // Ids from the endpoint, so adding or removing one leaves the others' resources alone.
    const seen = new Set<string>();
    for (const { protocol, endpoint } of subscriptions) {
      const key = `${protocol}:${endpoint}`;
      if (seen.has(key)) continue;
      seen.add(key);
      new SnsTopicSubscription(this, seen.size === 1 && props.email ? "email" : `subscription-${key}`, {
        topicArn: this.topic.arn,
        protocol,
        endpoint,
      });
    }
  }

  grantPublish(fn: NodejsFunction): void {
    fn.grant({ Sid: "PublishAlerts", Action: ["sns:Publish"], Resource: [this.topic.arn] });
  }

  alarmOnMessages(id: string, queue: SqsQueue, description: string): CloudwatchMetricAlarm {
    return new CloudwatchMetricAlarm(this, id, {
      alarmName: `${queue.name}-not-empty`,
      alarmDescription: description,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queue.name },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [this.topic.arn],
    });
  }
}
