// Contract: a conditional write on local AWS is atomic, as in DynamoDB (fix in
// scripts/localaws/fixes/dynamodb.py). The journal's optimistic locking (a version attribute
// checked by every UpdateItem) depends on it.
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { client, testLocation } from "../../support/local-aws.ts";

const location = testLocation("eu-west-1");
const dynamo = client("dynamodb", location);
const TableName = "optimistic-locking";

beforeAll(async () => {
  await dynamo.send(
    new CreateTableCommand({
      TableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    }),
  );
});

describe("UpdateItem with a ConditionExpression", () => {
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.ConditionalUpdate
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
  it("lets exactly one of many concurrent writers that expect the same version succeed", async () => {
    const writers = 24;
    for (let round = 0; round < 5; round++) {
      const pk = `item-${round}`;
      await dynamo.send(
        new PutItemCommand({
          TableName,
          Item: { pk: { S: pk }, version: { N: "0" }, writer: { S: "none" } },
        }),
      );
      const results = await Promise.allSettled(
        Array.from({ length: writers }, (_, i) =>
          dynamo.send(
            new UpdateItemCommand({
              TableName,
              Key: { pk: { S: pk } },
              UpdateExpression: "SET #version = :next, #writer = :writer",
              ConditionExpression: "#version = :expected",
              ExpressionAttributeNames: { "#version": "version", "#writer": "writer" },
              ExpressionAttributeValues: {
                ":expected": { N: "0" },
                ":next": { N: "1" },
                ":writer": { S: `w${i}` },
              },
            }),
          ),
        ),
      );
      const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [`w${i}`] : []));
      const lost = results.filter((r) => r.status === "rejected");
      expect(won).toHaveLength(1);
      for (const r of lost)
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConditionalCheckFailedException);
      const { Item } = await dynamo.send(new GetItemCommand({ TableName, Key: { pk: { S: pk } } }));
      expect(Item?.writer?.S).toBe(won[0]);
      expect(Item?.version?.N).toBe("1");
    }
  });
});
