import { CreateDatabaseCommand, GetDatabasesCommand } from "@aws-sdk/client-glue";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { client, testLocation } from "../support/local-aws.ts";

describe("local AWS isolation", () => {
  it("keeps accounts and regions apart", async () => {
    const a = testLocation("us-east-1");
    const b = testLocation("us-east-1");
    const aWest = { ...a, region: "us-west-2" };

    expect((await client("sts", a).send(new GetCallerIdentityCommand({}))).Account).toBe(a.account);
    expect((await client("sts", b).send(new GetCallerIdentityCommand({}))).Account).toBe(b.account);

    await client("glue", a).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "only_in_a" } }));
    const names = async (loc: typeof a) =>
      ((await client("glue", loc).send(new GetDatabasesCommand({}))).DatabaseList ?? []).map((d) => d.Name);

    expect(await names(a)).toEqual(["only_in_a"]);
    expect(await names(b)).toEqual([]);
    expect(await names(aWest)).toEqual([]);
  });
});
