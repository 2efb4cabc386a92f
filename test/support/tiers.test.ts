// The unit/integration split: the rule partitions the test files by what they use, and a unit
// test that reaches AWS anyway fails at once with an error that says what to do.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GetDatabasesCommand } from "@aws-sdk/client-glue";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, inject, it } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { classifyTestFiles } from "./tiers.ts";

// Spelled in parts so that this file itself does not read as using the endpoint.
const endpointVariable = ["AWS", "ENDPOINT", "URL"].join("_");

/** An import line for a fixture file (built, so that this file does not import what it names). */
const imports = (path: string) => `import "${path}";`;

async function repo(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "lakesync-tiers-"));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

describe("classifyTestFiles", () => {
  it("puts a file in integration by what it uses, through helpers, and everything else in unit", async () => {
    const root = await repo({
      "test/support/local-aws.ts": "export const client = 1;",
      "test/a/direct.test.ts": imports("../support/local-aws.ts"),
      "test/a/helper.ts": imports("../support/local-aws.ts"),
      "test/a/through-helper.test.ts": imports("./helper.ts"),
      "test/b/endpoint.test.ts": `const url = process.env.${endpointVariable};`,
      "test/b/cycle-a.ts": imports("./cycle-b.ts"),
      "test/b/cycle-b.ts": imports("./cycle-a.ts"),
      "test/b/pure.test.ts": imports("../../modules/plan.ts") + imports("./cycle-a.ts"),
      "modules/plan.ts": imports("./aws.ts"),
      "modules/aws.ts": `const url = process.env.${endpointVariable};`,
      "test/c/synth.test.ts": imports("../../stacks/stack.ts"),
      "stacks/stack.ts": imports("./constructs/bundle.ts"),
      "stacks/constructs/bundle.ts": `import { buildSync } from ${JSON.stringify("esbuild")};`,
    });
    expect(classifyTestFiles(root)).toEqual({
      unit: ["test/b/pure.test.ts"],
      integration: [
        "test/a/direct.test.ts",
        "test/a/through-helper.test.ts",
        "test/b/endpoint.test.ts",
        "test/c/synth.test.ts",
      ],
    });
  });

  it("splits this repo's test files into two disjoint projects that cover them all", () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const { unit, integration } = classifyTestFiles(root);
    expect(unit).toContain("test/support/tiers.test.ts");
    expect(integration).toContain("test/replicator/glue-events.test.ts");
    expect(unit.filter((file) => integration.includes(file))).toEqual([]);
  });
});

describe.runIf(inject("noLocalAwsEndpoint"))("the unit project's stand-in for AWS", () => {
  const clients = new AwsClients(allClients, { maxAttempts: 1 });

  it.each([
    ["Glue (JSON)", () => clients.get("glue", { region: "us-east-1" }).send(new GetDatabasesCommand({}))],
    [
      "S3 (XML)",
      () =>
        clients
          .get("s3", { region: "us-east-1" })
          .send(new PutObjectCommand({ Bucket: "b", Key: "k", Body: "x" })),
    ],
    [
      "an assumed role",
      () =>
        clients
          .get("glue", {
            region: "eu-west-1",
            account: "123456789012",
            roleArn: "arn:aws:iam::123456789012:role/x",
          })
          .send(new GetDatabasesCommand({})),
    ],
  ])("fails a call through %s at once, naming the mistake", async (_service, call) => {
    const error = await call().catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: "NoLocalAwsInUnitTests",
      message: expect.stringContaining("import test/support/local-aws.ts"),
    });
  });
});
