// What the Lambda bundles use in place of @aws-sdk/credential-provider-node (an esbuild alias in
// stacks/handler-bundle.ts): Lambda hands a function its execution role's credentials in
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN
// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
// so the default chain's SSO, INI, process, IMDS and web-identity providers are never reached there;
// they weighed about 80 KB in every bundle. Only the handlers are bundled with this; the CLI and
// tests keep the full chain.
import { fromEnv } from "@aws-sdk/credential-provider-env";
import type { AwsCredentialIdentityProvider } from "@smithy/types";

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}): AwsCredentialIdentityProvider =>
  fromEnv(init);
