// Global setup of the `unit` project: no local AWS. The SDK's endpoint variable points at a tiny
// loopback server that answers every call with a 400 naming the mistake, so a unit test that
// reaches AWS fails at once with a clear error instead of waiting on a real AWS endpoint.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

export const NO_LOCAL_AWS_ERROR = "NoLocalAwsInUnitTests";
export const NO_LOCAL_AWS_MESSAGE =
  "this test runs in the `unit` project, which has no local AWS: a test file that uses AWS must " +
  "import test/support/local-aws.ts (directly or through a test helper), which puts it in the " +
  "`integration` project (see test/support/tiers.ts)";

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const json = /json/.test(String(request.headers["content-type"] ?? ""));
    response.writeHead(400, {
      "Content-Type": json ? "application/x-amz-json-1.1" : "text/xml",
      "x-amzn-errortype": NO_LOCAL_AWS_ERROR,
    });
    response.end(
      json
        ? JSON.stringify({ __type: NO_LOCAL_AWS_ERROR, message: NO_LOCAL_AWS_MESSAGE })
        : `<ErrorResponse><Error><Code>${NO_LOCAL_AWS_ERROR}</Code><Message>${NO_LOCAL_AWS_MESSAGE}</Message></Error></ErrorResponse>`,
    );
  });
});

export async function setup(project: TestProject): Promise<void> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  project.provide("noLocalAwsEndpoint", `http://127.0.0.1:${port}`);
}

export async function teardown(): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

declare module "vitest" {
  export interface ProvidedContext {
    noLocalAwsEndpoint: string;
  }
}
