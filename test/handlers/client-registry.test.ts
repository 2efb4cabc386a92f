// AwsClients builds only the SDK clients its entry point registered, so a handler's bundle carries
// only those (esbuild drops the rest); the bundle budget itself is checked in test/stacks/bundles.test.ts.
import { GlueClient } from "@aws-sdk/client-glue";
import { describe, expect, it } from "vitest";
import { AwsClients, type ServiceClient, UnregisteredClientError } from "../../modules/aws/clients.ts";

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

  it("names the service an entry point forgot to register", () => {
    const clients = new AwsClients({ glue: GlueClient });
    expect(() => clients.get("s3", { region: "us-east-1" })).toThrow(UnregisteredClientError);
    expect(() => clients.get("s3", { region: "us-east-1" })).toThrow(/no s3 client is registered/);
  });
});
