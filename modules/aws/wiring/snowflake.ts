// The Snowflake sync's dependencies over a wiring's clients (see base.ts).
import { GlueClient } from "@aws-sdk/client-glue";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SqlApiClient } from "../../snowflake/client.ts";
import { KeyPairTokenSource } from "../../snowflake/jwt.ts";
import type { SnowflakeSettings } from "../../snowflake/settings.ts";
import type { SyncDeps } from "../../snowflake/sync.ts";
import { SdkGlueTableSource } from "../snowflake-glue-source.ts";
import { secretsManagerPrivateKey } from "../snowflake-secret.ts";
import type { AwsWiring } from "./base.ts";

/** The clients snowflakeSync needs, for the entry point's registry. */
export const snowflakeClients = { glue: GlueClient, secretsManager: SecretsManagerClient };

/** Glue reads and the SQL API client (key-pair auth, key from Secrets Manager) in `region`. */
export function snowflakeSync(aws: AwsWiring, settings: SnowflakeSettings, region: string): SyncDeps {
  const tokens = new KeyPairTokenSource(
    { account: settings.account, user: settings.user },
    secretsManagerPrivateKey(settings.secretArn, aws.clients.get("secretsManager", { region })),
    Date.now,
  );
  const runner = new SqlApiClient({
    baseUrl: settings.apiUrl ?? `https://${settings.account}.snowflakecomputing.com`,
    tokens,
    warehouse: settings.warehouse,
    role: settings.role,
    timeoutSeconds: settings.statementTimeoutSeconds,
  });
  return { source: new SdkGlueTableSource(aws.clients.get("glue", { region })), runner, settings };
}
