// Reading the private key from the secret's text: the layouts users have, and errors that never
// repeat what the secret holds.
import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parsePrivateKeySecret } from "../../modules/snowflake/secret.ts";
import { pemBodyLines, testKeyPair } from "./keys.ts";

const keys = testKeyPair();
const publicDer = (key: Parameters<typeof createPublicKey>[0]) =>
  createPublicKey(key).export({ type: "spki", format: "der" }).toString("base64");

describe("private key secret", () => {
  it("accepts a bare PEM, the seed's JSON layout, and an encrypted key with its passphrase", () => {
    const expected = publicDer(keys.privateKey);
    expect(publicDer(parsePrivateKeySecret(keys.privatePem))).toBe(expected);
    expect(publicDer(parsePrivateKeySecret(JSON.stringify({ url: "x", private_key: keys.privatePem })))).toBe(
      expected,
    );
    const encrypted = keys.privateKey
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "s3cret" })
      .toString();
    const parsed = parsePrivateKeySecret(
      JSON.stringify({ private_key: encrypted, private_key_passphrase: "s3cret" }),
    );
    expect(publicDer(parsed)).toBe(expected);
  });

  it("fails without echoing the secret", () => {
    const truncated = keys.privatePem.slice(0, 400);
    const errors = [
      () => parsePrivateKeySecret(truncated),
      () => parsePrivateKeySecret(`{"private_key": "${truncated.replaceAll("\n", "")}`),
      () => parsePrivateKeySecret(JSON.stringify({ private_key: keys.privatePem.replace("MII", "XXX") })),
      () => parsePrivateKeySecret(JSON.stringify({ other: 1 })),
    ].map((attempt) => {
      try {
        attempt();
        return "no error";
      } catch (error) {
        return `${(error as Error).message}\n${(error as Error).stack ?? ""}`;
      }
    });
    expect(errors[0]).toMatch(/^the Snowflake private key could not be read/);
    expect(errors[1]).toMatch(/^the Snowflake key secret is neither a PEM key nor valid JSON/);
    expect(errors[3]).toMatch(/^the Snowflake key secret has no private_key field/);
    for (const text of errors) {
      expect(text).not.toBe("no error");
      for (const line of pemBodyLines(keys.privatePem)) expect(text).not.toContain(line.slice(0, 30));
    }
  });
});
