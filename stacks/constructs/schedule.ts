// Runs a function on a schedule with EventBridge Scheduler (retries and a flexible window are
// Scheduler's, not ours).
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule/index.js";
import { Construct } from "constructs";
import { LakesyncStack } from "../lakesync-stack.ts";
import type { NodejsFunction } from "./nodejs-function.ts";
import { assumeRolePolicy, policyDocument } from "./policy.ts";
import { KEY_USE_ACTIONS } from "./stack-key.ts";

export class FunctionSchedule extends Construct {
  readonly schedule: SchedulerSchedule;

  constructor(
    scope: Construct,
    id: string,
    props: { name: string; expression: string; target: NodejsFunction },
  ) {
    super(scope, id);
    const key = LakesyncStack.containing(this).dataKey();
    const role = new IamRole(this, "role", {
      name: `${props.name}-scheduler`.slice(0, 64),
      assumeRolePolicy: assumeRolePolicy("scheduler.amazonaws.com"),
      inlinePolicy: [
        {
          name: "invoke",
          policy: policyDocument([
            { Action: ["lambda:InvokeFunction"], Resource: [props.target.function.arn] },
            { Action: KEY_USE_ACTIONS, Resource: [key.arn] },
          ]),
        },
      ],
    });
    this.schedule = new SchedulerSchedule(this, "schedule", {
      name: props.name,
      scheduleExpression: props.expression,
      flexibleTimeWindow: { mode: "OFF" },
      kmsKeyArn: key.arn,
      target: { arn: props.target.function.arn, roleArn: role.arn, retryPolicy: { maximumRetryAttempts: 2 } },
    });
  }
}
