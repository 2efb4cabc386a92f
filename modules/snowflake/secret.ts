// The private key for the SQL API, from the text of its secret (modules/aws/snowflake-secret.ts
// reads it from Secrets Manager). The secret is either the PEM itself or JSON with `private_key`
// (the seed project's layout) and an optional `private_key_passphrase`. Nothing read here is ever
// put in an error or a log line.
import type { KeyObject } from "node:crypto";
import { loadPrivateKey } from "./jwt.ts";

export function parsePrivateKeySecret(secret: string): KeyObject {
  const text = secret.trim();
  if (!text.startsWith("{")) return loadPrivateKey(text);
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error("the Snowflake key secret is neither a PEM key nor valid JSON");
  }
  const pem = fields.private_key ?? fields.privateKey;
  if (typeof pem !== "string") throw new Error("the Snowflake key secret has no private_key field");
  const passphrase = fields.private_key_passphrase;
  return loadPrivateKey(pem, typeof passphrase === "string" ? passphrase : undefined);
}
