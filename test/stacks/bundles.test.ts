// The Lambda bundles the stacks deploy must run on their own: every handler is bundled exactly as
// at synth time and imported from dist/, and the poller bundle is invoked against local AWS.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { CreateDatabaseCommand } from "@aws-sdk/client-glue";
import { describe, expect, it } from "vitest";
import { createJournalTable } from "../../modules/aws/journal-store.ts";
import { CAPTURE_ENV } from "../../modules/capture/env.ts";
import { HANDLERS } from "../../modules/deploy/handlers.ts";
import { bundleHandler } from "../../stacks/handler-bundle.ts";
import { client, testLocation } from "../support/local-aws.ts";

/** Every handler the stacks deploy, by its bundle name (its entry's file name). */
const handlers = Object.values(HANDLERS).map(({ entry }) => basename(entry, ".ts"));

async function loadBundle(name: string): Promise<{ handler: (event: unknown) => Promise<unknown> }> {
  const { dir } = bundleHandler(`handlers/${name}.ts`, `test-bundle-${name}`);
  return import(pathToFileURL(`${dir}/index.mjs`).href);
}

describe("handler bundles", () => {
  it.each(handlers)("%s bundles into one ESM file exporting handler", async (name) => {
    const bundle = await loadBundle(name);
    expect(typeof bundle.handler).toBe("function");
  });

  it.each(handlers)(
    "%s deploys index.mjs alone: its source map is written beside the zipped folder",
    (name) => {
      const bundle = bundleHandler(`handlers/${name}.ts`, `test-bundle-${name}`);
      expect(readdirSync(bundle.dir)).toEqual(["index.mjs"]);
      expect(readFileSync(join(bundle.dir, "index.mjs"), "utf8")).not.toContain("sourceMappingURL");
      expect(existsSync(bundle.sourceMap)).toBe(true);
    },
  );

  it("the bundled poller reads CloudTrail and journals a write made in its account", async () => {
    const where = testLocation("us-east-1");
    const dynamodb = client("dynamodb", where);
    await createJournalTable(dynamodb, "bundled-journal");
    expect(
      (await dynamodb.send(new DescribeTableCommand({ TableName: "bundled-journal" }))).Table,
    ).toBeDefined();
    await client("glue", where).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "from_bundle" } }));

    // The bundle runs with the SDK's default credentials, so point them at the test account.
    const sts = client("sts", where);
    const credentials = await sts.config.credentials();
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken ?? "",
      AWS_REGION: where.region,
      [CAPTURE_ENV.journalTable]: "bundled-journal",
      [CAPTURE_ENV.sourceAccount]: where.account,
      [CAPTURE_ENV.sourceRegion]: where.region,
    });
    try {
      const bundle = await loadBundle("poll-cloudtrail");
      const summary = (await bundle.handler({})) as { journaled: number };
      expect(summary.journaled).toBeGreaterThanOrEqual(1);
    } finally {
      process.env = saved;
    }
  });
});
