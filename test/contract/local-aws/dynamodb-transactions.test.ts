// Contract: TransactWriteItems on local AWS writes all of its actions or none, honours each
// action's condition and names the failing ones, as DynamoDB does (fix in
// scripts/localaws/fixes/dynamodb.py). The journal claims an event's high-water marks and the
// poller journals its events with it.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
import {
  BatchGetItemCommand,
  CreateTableCommand,
  PutItemCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { client, testLocation } from "../../support/local-aws.ts";

const location = testLocation("eu-west-1");
const dynamo = client("dynamodb", location);
const TableName = "transactions";

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

const putNew = (pk: string, value: string): TransactWriteItem => ({
  Put: {
    TableName,
    Item: { pk: { S: pk }, value: { S: value } },
    ConditionExpression: "attribute_not_exists(pk)",
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  },
});

async function values(pks: string[]): Promise<Record<string, string>> {
  const { Responses } = await dynamo.send(
    new BatchGetItemCommand({
      RequestItems: { [TableName]: { Keys: pks.map((pk) => ({ pk: { S: pk } })), ConsistentRead: true } },
    }),
  );
  return Object.fromEntries((Responses?.[TableName] ?? []).map((i) => [i.pk?.S, i.value?.S]));
}

describe("TransactWriteItems", () => {
  it("writes every action when every condition holds, up to 100 actions", async () => {
    const pks = Array.from({ length: 100 }, (_, i) => `all-${i}`);
    await dynamo.send(new TransactWriteItemsCommand({ TransactItems: pks.map((pk) => putNew(pk, "t1")) }));
    const written = await values(pks);
    expect(Object.keys(written)).toHaveLength(100);
    expect(new Set(Object.values(written))).toEqual(new Set(["t1"]));
  });

  it("writes nothing when one condition fails, and names it with the item that failed it", async () => {
    await dynamo.send(new PutItemCommand({ TableName, Item: { pk: { S: "taken" }, value: { S: "first" } } }));
    const error = await dynamo
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [putNew("fresh-1", "t2"), putNew("taken", "t2"), putNew("fresh-2", "t2")],
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
    expect(reasons.map((r) => r.Code)).toEqual(["None", "ConditionalCheckFailed", "None"]);
    expect(reasons[1]?.Item).toEqual({ pk: { S: "taken" }, value: { S: "first" } });
    expect(await values(["fresh-1", "taken", "fresh-2"])).toEqual({ taken: "first" });
  });

  it("lets exactly one of concurrent transactions claiming the same item succeed", async () => {
    const writers = 12;
    const results = await Promise.allSettled(
      Array.from({ length: writers }, (_, i) =>
        dynamo.send(
          new TransactWriteItemsCommand({
            TransactItems: [putNew("contested", `w${i}`), putNew(`own-${i}`, `w${i}`)],
          }),
        ),
      ),
    );
    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [`w${i}`] : []));
    expect(won).toHaveLength(1);
    const owns = await values(Array.from({ length: writers }, (_, i) => `own-${i}`));
    // The losers' other action was not written either.
    expect(Object.values(owns)).toEqual(won);
    expect((await values(["contested"])).contested).toBe(won[0]);
  });

  it("refuses two actions on one item", async () => {
    await expect(
      dynamo.send(
        new TransactWriteItemsCommand({ TransactItems: [putNew("twice", "a"), putNew("twice", "b")] }),
      ),
    ).rejects.toThrow();
    expect(await values(["twice"])).toEqual({});
  });
});
