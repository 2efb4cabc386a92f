// Local AWS's own cost per request, the floor under every wall time the bench reports: sequential
// calls that do next to nothing (a Glue GetDatabase, a DynamoDB GetItem) through the same SDK
// clients and the same server (moto behind lakesync's local layer).
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { CreateDatabaseCommand, GetDatabaseCommand } from "@aws-sdk/client-glue";
import { createJournalTable } from "../modules/aws/journal-store.ts";
import type { AwsWiring } from "../modules/aws/wiring/base.ts";
import { JOURNAL_TABLE } from "../modules/journal/keys.ts";

export interface RequestFloor {
  glueGetDatabaseMs: number;
  dynamodbGetItemMs: number;
}

export async function requestFloor(
  aws: AwsWiring,
  where: { account: string; region: string },
  calls = 200,
): Promise<RequestFloor> {
  const glue = aws.clients.get("glue", where);
  const dynamodb = aws.clients.get("dynamodb", where);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "floor" } }));
  await createJournalTable(dynamodb, "floor");
  const perCall = async (send: () => Promise<unknown>) => {
    await send(); // connection and credentials set up outside the measurement
    const start = performance.now();
    for (let i = 0; i < calls; i++) await send();
    return Math.round(((performance.now() - start) / calls) * 100) / 100;
  };
  return {
    glueGetDatabaseMs: await perCall(() => glue.send(new GetDatabaseCommand({ Name: "floor" }))),
    dynamodbGetItemMs: await perCall(() =>
      dynamodb.send(
        new GetItemCommand({ TableName: "floor", Key: { [JOURNAL_TABLE.partitionKey]: { S: "x" } } }),
      ),
    ),
  };
}
