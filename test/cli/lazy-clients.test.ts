// The CLI's client registry loads an SDK package only when a command asks for its client; adding
// a wiring's own clients to it must not read (and so load) the others.
import { describe, expect, it } from "vitest";
import { type ClientRegistry, withClients } from "../../modules/aws/clients.ts";

describe("withClients", () => {
  it("adds clients to a lazy registry without reading its entries", () => {
    const read: string[] = [];
    class Glue {}
    class S3 {}
    const lazy = {
      get glue() {
        read.push("glue");
        return Glue;
      },
      get s3() {
        read.push("s3");
        return Glue;
      },
    } as unknown as ClientRegistry;
    const combined = withClients(lazy, { s3: S3 } as unknown as ClientRegistry);
    expect(read).toEqual([]);
    expect(combined.s3).toBe(S3);
    expect(read).toEqual([]);
    expect(combined.glue).toBe(Glue);
    expect(read).toEqual(["glue"]);
  });
});
