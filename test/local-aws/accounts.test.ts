// local AWS forgets an account on request (scripts/localaws/accounts.py): a long chaos run drops
// each sequence's accounts once judged, since moto's per-request cost grows with every account it
// holds. Forgetting one account must leave the others as they were.
import { CreateDatabaseCommand, GetDatabasesCommand } from "@aws-sdk/client-glue";
import { describe, expect, it } from "vitest";
import { LocalCallCounts } from "../../modules/local/call-counts.ts";
import { forgetAccounts, heldAccounts } from "../../modules/local/local-aws.ts";
import { client, endpoint, testLocation } from "../support/local-aws.ts";

describe("local AWS: forgetting an account", () => {
  it("drops the account's backends and call counts, and nothing of another account", async () => {
    const [gone, kept] = [testLocation("eu-west-1"), testLocation("eu-west-1")];
    for (const location of [gone, kept])
      await client("glue", location).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "db" } }));
    expect(await heldAccounts(endpoint())).toEqual(expect.arrayContaining([gone.account, kept.account]));

    await forgetAccounts(endpoint(), [gone.account]);

    expect(await heldAccounts(endpoint())).not.toContain(gone.account);
    expect(await new LocalCallCounts(endpoint()).list(gone.account)).toEqual([]);
    const names = async (location: typeof gone) =>
      ((await client("glue", location).send(new GetDatabasesCommand({}))).DatabaseList ?? []).map(
        (d) => d.Name,
      );
    expect(await names(kept)).toEqual(["db"]);
    expect(await names(gone)).toEqual([]); // a fresh, empty account again
  });

  it("refuses an account that is not 12 digits", async () => {
    await expect(forgetAccounts(endpoint(), ["12"])).rejects.toThrow(/HTTP 400 .*12 digits/);
  });
});
