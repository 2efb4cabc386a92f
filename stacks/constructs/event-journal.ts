// The event journal: one item per CloudTrail eventID (conditional put), stream on for the
// replicator, point-in-time recovery on; plus the S3 bucket for records over DynamoDB's 400 KB.
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { Construct } from "constructs";
import type { NodejsFunction } from "./nodejs-function.ts";

export class EventJournal extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: { name: string }) {
    super(scope, id);
    this.table = new DynamodbTable(this, "table", {
      name: props.name,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      attribute: [{ name: "pk", type: "S" }],
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: true,
      ttl: { attributeName: "expiresAt", enabled: true },
    });
  }

  grantReadWrite(fn: NodejsFunction): void {
    fn.grant({
      Sid: "JournalReadWrite",
      Action: [
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "dynamodb:ConditionCheckItem",
      ],
      Resource: [this.table.arn, `${this.table.arn}/index/*`],
    });
  }

  grantStreamRead(fn: NodejsFunction): void {
    fn.grant({
      Sid: "JournalStreamRead",
      Action: [
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:DescribeStream",
        "dynamodb:ListStreams",
      ],
      Resource: [this.table.streamArn],
    });
  }
}
