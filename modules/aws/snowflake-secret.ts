// The Snowflake key secret, read from Secrets Manager through Powertools' cached provider and
// parsed by modules/snowflake/secret.ts. Nothing read here is ever put in an error or a log line.
import type { KeyObject } from "node:crypto";
import { SecretsProvider } from "@aws-lambda-powertools/parameters/secrets";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { parsePrivateKeySecret } from "../snowflake/secret.ts";

/** A key loader for KeyPairTokenSource; the secret is cached `maxAgeSeconds` (rotation picks up). */
export function secretsManagerPrivateKey(
  secretArn: string,
  client: SecretsManagerClient,
  maxAgeSeconds = 300,
): () => Promise<KeyObject> {
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  return async () => {
    const value = await provider.get(secretArn, { maxAge: maxAgeSeconds });
    if (typeof value !== "string") throw new Error(`secret ${secretArn} has no SecretString`);
    return parsePrivateKeySecret(value);
  };
}
