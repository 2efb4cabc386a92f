// AwsClients builds only the SDK clients its entry point registered, so a handler's bundle carries
// only those (esbuild drops the rest); the bundle budget itself is checked in test/stacks/bundles.test.ts.
// A location's assumed role is shared by its clients, against local AWS's call counter.
import { GetDatabasesCommand, GlueClient } from "@aws-sdk/client-glue";
import { GetDataLakeSettingsCommand, LakeFormationClient } from "@aws-sdk/client-lakeformation";
import { describe, expect, it } from "vitest";
import { AwsClients, type ServiceClient, UnregisteredClientError } from "../../modules/aws/clients.ts";
import { LocalCallCounts } from "../../modules/local/call-counts.ts";
import { endpoint, testLocation, withAccountEnvironment } from "../support/local-aws.ts";

describe("AwsClients registry", () => {
  it("builds a registered client once per location and instruments it once", () => {
    const instrumented: ServiceClient[] = [];
    const clients = new AwsClients(
      { glue: GlueClient },
      { endpoint: "http://127.0.0.1:1", instrument: (client) => instrumented.push(client) },
    );
    const first = clients.get("glue", { region: "us-east-1" });
    expect(first).toBeInstanceOf(GlueClient);
    expect(clients.get("glue", { region: "us-east-1" })).toBe(first);
    const other = clients.get("glue", { region: "eu-west-1" });
    expect(other).not.toBe(first);
    expect(instrumented).toEqual([first, other]);
    clients.destroy();
  });

  it("assumes a location's role once for all its clients and the credential check", async () => {
    // Calls are counted by the caller's account: the assuming side is a fresh account of its own.
    const caller = testLocation("us-east-1");
    const target = testLocation("us-east-1");
    const counts = new LocalCallCounts(endpoint());
    await withAccountEnvironment(caller, {}, async () => {
      const clients = new AwsClients({ glue: GlueClient, lakeformation: LakeFormationClient });
      try {
        await counts.reset(caller.account);
        await clients.checkCredentials(target);
        await clients.get("glue", target).send(new GetDatabasesCommand({}));
        await clients.get("lakeformation", target).send(new GetDataLakeSettingsCommand({}));
        expect((await counts.byOperation(target.account))["glue:GetDatabases"]).toBe(1);
        expect((await counts.byOperation(caller.account))["sts:AssumeRole"]).toBe(1);
      } finally {
        clients.destroy();
      }
    });
  });

  it("names the service an entry point forgot to register", () => {
    const clients = new AwsClients({ glue: GlueClient });
    expect(() => clients.get("s3", { region: "us-east-1" })).toThrow(UnregisteredClientError);
    expect(() => clients.get("s3", { region: "us-east-1" })).toThrow(/no s3 client is registered/);
  });
});
