// Contract: local AWS counts every call per (service, operation, account), whatever the protocol
// (scripts/localaws/calls.py). Operation names are the API reference's:
// https://docs.aws.amazon.com/glue/latest/webapi/API_Operations.html (AWS JSON 1.1, X-Amz-Target),
// https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_Operations.html (restJson1, by path),
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations.html (AWS JSON 1.0),
// https://docs.aws.amazon.com/STS/latest/APIReference/API_Operations.html (query),
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html (REST-XML).
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { CreateDatabaseCommand, GetDatabaseCommand } from "@aws-sdk/client-glue";
import { GetDataLakeSettingsCommand } from "@aws-sdk/client-lakeformation";
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { beforeEach, describe, expect, it } from "vitest";
import { LocalCallCounts } from "../../modules/local/call-counts.ts";
import { client, endpoint, testLocation } from "../support/local-aws.ts";

const location = testLocation("eu-west-1");
const other = testLocation("eu-west-1");
const counts = new LocalCallCounts(endpoint());

beforeEach(async () => {
  await counts.reset(location.account);
  await counts.reset(other.account);
});

describe("the per-API call counter", () => {
  it("counts Glue, Lake Formation and DynamoDB calls by operation, errors apart", async () => {
    const glue = client("glue", location);
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "counted" } }));
    await glue.send(new GetDatabaseCommand({ Name: "counted" }));
    await expect(glue.send(new GetDatabaseCommand({ Name: "missing" }))).rejects.toThrow();
    await client("lakeformation", location).send(new GetDataLakeSettingsCommand({}));
    await client("dynamodb", location).send(new ListTablesCommand({}));

    const calls = await counts.list(location.account);
    expect(calls).toContainEqual({
      service: "glue",
      operation: "GetDatabase",
      account: location.account,
      count: 2,
      errors: 1,
      cpuSeconds: expect.any(Number),
    });
    // What the server spent on them: more than nothing, less than the test's own run.
    const created = calls.find((c) => c.operation === "CreateDatabase");
    expect(created?.cpuSeconds).toBeGreaterThan(0);
    expect(created?.cpuSeconds).toBeLessThan(5);
    expect(await counts.byOperation(location.account)).toMatchObject({
      "glue:CreateDatabase": 1,
      "lakeformation:GetDataLakeSettings": 1,
      "dynamodb:ListTables": 1,
    });
  });

  it("names query-protocol and S3 REST operations", async () => {
    await client("sts", location).send(new GetCallerIdentityCommand({}));
    await client("sns", location).send(new CreateTopicCommand({ Name: "counted" }));
    await client("sqs", location).send(new CreateQueueCommand({ QueueName: "counted" }));
    const s3 = client("s3", location);
    const Bucket = `counted-${location.account}`;
    await s3.send(
      new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }),
    );
    await s3.send(new PutObjectCommand({ Bucket, Key: "a/b.txt", Body: "x" }));
    await s3.send(new ListObjectsV2Command({ Bucket }));

    expect(await counts.byOperation(location.account)).toMatchObject({
      "sts:GetCallerIdentity": 1,
      "sns:CreateTopic": 1,
      "sqs:CreateQueue": 1,
      "s3:CreateBucket": 1,
      "s3:PutObject": 1,
      "s3:ListObjectsV2": 1,
    });
  });

  it("keeps accounts apart and resets one account without touching another", async () => {
    await client("glue", location)
      .send(new GetDatabaseCommand({ Name: "x" }))
      .catch(() => undefined);
    await client("glue", other)
      .send(new GetDatabaseCommand({ Name: "x" }))
      .catch(() => undefined);
    expect(await counts.count("glue", "GetDatabase", location.account)).toBe(1);
    expect(await counts.count("glue", "GetDatabase", other.account)).toBe(1);

    await counts.reset(location.account);
    expect(await counts.count("glue", "GetDatabase", location.account)).toBe(0);
    expect(await counts.count("glue", "GetDatabase", other.account)).toBe(1);
  });
});
