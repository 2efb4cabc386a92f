// The handlers and the CLI commands get their AWS objects from one wiring module
// (modules/aws/wiring.ts); the executor it wires writes to (local) AWS.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GetDatabaseCommand } from "@aws-sdk/client-glue";
import { afterAll, describe, expect, it } from "vitest";
import { AwsWiring, OPERATION_ATTEMPTS } from "../../modules/aws/wiring.ts";
import { execute } from "../../modules/operations/executor.ts";
import { createDatabase } from "../operations/builders.ts";
import { client, testLocation } from "../support/local-aws.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(join(repoRoot, folder), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(folder, name));
}

describe("one wiring for handlers and CLI", () => {
  it("no handler or command builds SDK clients, the operation runner or the journal itself", () => {
    const wiredElsewhere = /new AwsClients\(|createOperationRunner\(|new JournalStore\(/;
    const offenders = [...sourceFiles("handlers"), ...sourceFiles("modules/cli")].filter((file) =>
      wiredElsewhere.test(readFileSync(join(repoRoot, file), "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  const aws = new AwsWiring();
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
