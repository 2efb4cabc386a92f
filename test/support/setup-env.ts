import { inject } from "vitest";

// Every SDK client in tests (and in the code under test) reaches AWS through the SDK's standard
// variables, exactly as a user's shell would: the run's local AWS in the `integration` project,
// and in the `unit` project a stand-in that fails every call with a clear error
// (test/support/no-local-aws.ts).
const endpoint = inject("awsEndpoint") ?? inject("noLocalAwsEndpoint");
if (!endpoint) {
  throw new Error(
    "no AWS endpoint provided: run tests through vitest.config.ts (projects `unit` and `integration`)",
  );
}
process.env.AWS_ENDPOINT_URL = endpoint;
process.env.AWS_ACCESS_KEY_ID = "testing";
process.env.AWS_SECRET_ACCESS_KEY = "testing";
process.env.AWS_REGION = "us-east-1";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
// Handlers under test emit Powertools metrics as EMF lines on stdout; they are not asserted on.
process.env.POWERTOOLS_METRICS_DISABLED = "true";
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;
