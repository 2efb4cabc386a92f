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
    let value: unknown;
    try {
      value = await provider.get(secretArn, { maxAge: maxAgeSeconds });
    } catch (error) {
      // Powertools wraps the SDK error; its cause says why (not found, access denied). A missing
      // secret is not retried: the caller reports it once, naming the secret.
      const cause = (error as Error & { cause?: Error }).cause ?? (error as Error);
      throw new Error(`cannot read the Snowflake key secret ${secretArn}: ${cause.name}: ${cause.message}`);
    }
    if (typeof value !== "string") throw new Error(`secret ${secretArn} has no SecretString`);
    try {
      return parsePrivateKeySecret(value);
    } catch (error) {
      throw new Error(`the Snowflake key secret ${secretArn}: ${(error as Error).message}`);
    }
  };
}
