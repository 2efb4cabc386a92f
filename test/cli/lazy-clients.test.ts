// The CLI's client registry loads an SDK package only when a command asks for its client; adding
// a wiring's own clients to it must not read (and so load) the others.

import type { SNSClient } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { AwsClients, type ClientRegistry, deferredClient, withClients } from "../../modules/aws/clients.ts";

describe("withClients", () => {
  it("adds the clients a lazy registry lacks, without reading its entries", () => {
    const read: string[] = [];
    class Glue {}
    class S3 {}
    const lazy = {
      get glue() {
        read.push("glue");
        return Glue;
      },
    } as unknown as ClientRegistry;
    const combined = withClients(lazy, { s3: S3, glue: S3 } as unknown as ClientRegistry);
    expect(read).toEqual([]);
    expect(combined.s3).toBe(S3);
    expect(read).toEqual([]);
    expect(combined.glue).toBe(Glue);
    expect(read).toEqual(["glue"]);
  });
});

describe("deferred clients", () => {
  it("load their class on the first send, build it once through the registry, and forward to it", async () => {
    const loads: string[] = [];
    const built: object[] = [];
    class Sns {
      constructor(readonly config: { region: string; maxAttempts: number }) {}
      async send(command: string) {
        return `${command} in ${this.config.region}`;
      }
      destroy() {}
    }
    const registry = {
      sns: deferredClient("sns", async () => {
        loads.push("sns");
        return Sns as unknown as typeof SNSClient;
      }),
    };
    const clients = new AwsClients(registry, { maxAttempts: 2, instrument: (client) => built.push(client) });
    const sns = clients.get("sns", { region: "eu-west-1" }) as unknown as Sns;
    expect(clients.get("sns", { region: "eu-west-1" })).toBe(sns);
    expect(loads).toEqual([]);
    expect(await Promise.all([sns.send("a"), sns.send("b")])).toEqual(["a in eu-west-1", "b in eu-west-1"]);
    expect(loads).toEqual(["sns"]);
    expect(built).toHaveLength(1);
    expect((built[0] as Sns).config.maxAttempts).toBe(2);
    clients.destroy();
  });
});
