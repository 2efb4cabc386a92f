// The handlers and the CLI commands get their AWS objects from one wiring module
// (modules/aws/wiring/), split so each loads only the parts it uses; the executor it wires writes
// to (local) AWS.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GetDatabaseCommand } from "@aws-sdk/client-glue";
import { afterAll, describe, expect, it } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import { OPERATION_ATTEMPTS } from "../../modules/aws/wiring/base.ts";
import { ExecutorWiring } from "../../modules/aws/wiring/executor.ts";
import { execute } from "../../modules/operations/executor.ts";
import { createDatabase } from "../operations/builders.ts";
import { moduleClosure } from "../stacks/sdk-calls.ts";
import { client, testLocation } from "../support/local-aws.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(join(repoRoot, folder), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(folder, name));
}

describe("one wiring for handlers and CLI", () => {
  it("no handler, command, local tool or bench builds SDK clients, the operation runner or the journal itself", () => {
    const wiredElsewhere = /new AwsClients\(|createOperationRunner\(|new JournalStore\(/;
    const entryPoints = ["handlers", "modules/cli", "modules/local", "bench"].flatMap(sourceFiles);
    const offenders = entryPoints.filter((file) =>
      wiredElsewhere.test(readFileSync(join(repoRoot, file), "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("gives each handler only the wiring parts it uses (no index file loads them all)", () => {
    expect(sourceFiles("modules/aws/wiring").sort()).toEqual(
      ["base", "executor", "failure-ports", "journal", "mesh", "snowflake"].map(
        (f) => `modules/aws/wiring/${f}.ts`,
      ),
    );
    const wiringOf = (entry: string) =>
      moduleClosure(entry)
        .filter((file) => file.startsWith("modules/aws/wiring/"))
        .map((file) => file.slice("modules/aws/wiring/".length, -".ts".length));
    expect({
      capture: wiringOf("handlers/capture-eventbridge.ts"),
      poll: wiringOf("handlers/poll-cloudtrail.ts"),
      replicate: wiringOf("handlers/replicate.ts"),
      batchStart: wiringOf("handlers/batch-start.ts"),
      batchWorker: wiringOf("handlers/batch-worker.ts"),
      snowflake: wiringOf("handlers/snowflake-sync.ts"),
      meshReconcile: wiringOf("handlers/mesh-reconcile.ts"),
    }).toEqual({
      capture: ["base", "journal"],
      poll: ["base", "journal"],
      replicate: ["base", "executor", "failure-ports", "journal"],
      batchStart: ["base"],
      batchWorker: ["base", "executor"],
      snowflake: ["base", "snowflake"],
      meshReconcile: ["base", "executor", "mesh"],
    });
  });

  const aws = new ExecutorWiring(allClients);
  afterAll(() => aws.destroy());

  it("executeDeps runs operations against AWS with the shared attempt budget", async () => {
    const at = { name: "wired", ...testLocation("us-west-2") };
    const deps = aws.executeDeps({ concurrency: 2 });
    expect(deps).toMatchObject({ maxAttempts: OPERATION_ATTEMPTS, concurrency: 2 });

    const first = await execute([createDatabase(at, "wired_db")], deps);
    expect(first.summary).toMatchObject({ applied: 1, failed: 0 });
    const glue = client("glue", at);
    expect((await glue.send(new GetDatabaseCommand({ Name: "wired_db" }))).Database?.Name).toBe("wired_db");
    // A replay finds it there: the runner's errors reach the executor's idempotency rules.
    const again = await execute([createDatabase(at, "wired_db")], deps);
    expect(again.summary).toMatchObject({ applied: 0, noop: 1, failed: 0 });
  });
});
