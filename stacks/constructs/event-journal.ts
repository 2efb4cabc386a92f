// The event journal: one item per CloudTrail eventID (conditional put), stream on for the
// replicator, point-in-time recovery on. Keys, indexes, stream and TTL attribute all come from
// JOURNAL_TABLE, the layout the store queries, so the deployed table cannot miss an index.
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { Construct } from "constructs";
import { JOURNAL_DATA_APIS, JOURNAL_TABLE, journalKeyAttributes } from "../../modules/journal/keys.ts";
import { LakesyncStack } from "../lakesync-stack.ts";
import type { NodejsFunction } from "./nodejs-function.ts";

export class EventJournal extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: { name: string }) {
    super(scope, id);
    this.table = new DynamodbTable(this, "table", {
      name: props.name,
      billingMode: "PAY_PER_REQUEST",
      hashKey: JOURNAL_TABLE.partitionKey,
      attribute: journalKeyAttributes(),
      globalSecondaryIndex: JOURNAL_TABLE.indexes.map((index) => ({
        name: index.name,
        hashKey: index.partitionKey,
        ...(index.sortKey ? { rangeKey: index.sortKey } : {}),
        projectionType: "INCLUDE",
        nonKeyAttributes: [...index.projectedAttributes],
      })),
      streamEnabled: true,
      streamViewType: JOURNAL_TABLE.streamViewType,
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: LakesyncStack.containing(this).dataKey().arn },
      deletionProtectionEnabled: true,
      // The replicator sets the attribute on concluded events (modules/journal/retention.ts).
      ttl: { attributeName: JOURNAL_TABLE.ttlAttribute, enabled: true },
    });
  }

  /** What the journal store calls on the table and its indexes. */
  grantReadWrite(fn: NodejsFunction): void {
    fn.grant({
      Sid: "JournalReadWrite",
      Action: JOURNAL_DATA_APIS.map((api) => `dynamodb:${api}`),
      Resource: [this.table.arn, `${this.table.arn}/index/*`],
    });
  }

  /** What Lambda's event source mapping calls to read the stream for the function. */
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
