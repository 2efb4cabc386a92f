import type { TestProject } from "vitest/node";
import { type RunningLocalAws, startLocalAws } from "../../modules/local/local-aws.ts";

let server: RunningLocalAws | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await startLocalAws();
  project.provide("awsEndpoint", server.endpoint);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    awsEndpoint: string;
  }
}
