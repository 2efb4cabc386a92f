// The Lambda bundles the stacks deploy must run on their own: every handler is bundled exactly as
// at synth time and imported from dist/, and the poller bundle is invoked against local AWS.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { CreateDatabaseCommand } from "@aws-sdk/client-glue";
import { CreateBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { CreateQueueCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { createJournalTable } from "../../modules/aws/journal-store.ts";
import { BATCH_ENV } from "../../modules/batch/env.ts";
import { RUN_PLAN_NAME } from "../../modules/batch/units.ts";
import { CAPTURE_ENV } from "../../modules/capture/env.ts";
import { parseConfig } from "../../modules/config/load.ts";
import { HANDLERS, tracesSdkCalls } from "../../modules/deploy/handlers.ts";
import { REPLICATOR_ENV } from "../../modules/replicator/env.ts";
import { deployedReplicatorSettings } from "../../modules/replicator/settings.ts";
import { BUNDLE_BUDGET_BYTES, bundleHandler } from "../../stacks/handler-bundle.ts";
import { client, testLocation, withAccountEnvironment } from "../support/local-aws.ts";

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
    "%s deploys index.mjs and its chunks only: source maps are written beside the zipped folder",
    (name) => {
      const bundle = bundleHandler(`handlers/${name}.ts`, `test-bundle-${name}`);
      const files = readdirSync(bundle.dir);
      expect(files).toContain("index.mjs");
      expect(files.filter((file) => file !== "index.mjs" && !/^chunk-\w+\.mjs$/.test(file))).toEqual([]);
      for (const file of files) {
        expect(readFileSync(join(bundle.dir, file), "utf8")).not.toContain("sourceMappingURL");
      }
      expect(existsSync(bundle.sourceMap)).toBe(true);
    },
  );

  it.each(handlers)("%s loads at most the byte budget at init (index.mjs and its static imports)", (name) => {
    const bundle = bundleHandler(`handlers/${name}.ts`, `test-bundle-${name}`);
    expect(bundle.bytes).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
  });

  it.each(handlers)(
    "%s loads no X-Ray SDK at init: the tracer is a lazy chunk where a handler has one",
    (name) => {
      const bundle = bundleHandler(`handlers/${name}.ts`, `test-bundle-${name}`);
      const xray = (file: string) => file.includes("node_modules/aws-xray-sdk-core/");
      expect(Object.keys(bundle.initInputs).filter(xray)).toEqual([]);
      // Deployed with deployment.lambda.traceSdkCalls, the handler imports the tracer's chunk.
      const lazyCode = readdirSync(bundle.dir)
        .filter((file) => file !== "index.mjs")
        .map((file) => readFileSync(join(bundle.dir, file), "utf8"));
      expect(lazyCode.some((code) => code.includes("AWS_XRAY_DAEMON_ADDRESS"))).toBe(
        tracesSdkCalls(`handlers/${name}.ts`),
      );
    },
  );

  it("code only lazy chunks use stays out of init, though SDK barrels re-export it (stacks/sdk-barrels.mjs)", () => {
    // The replicator's S3 client (oversized records) and STS (writer roles) load on first use; their
    // XML and query protocols sit in @aws-sdk/core/protocols beside the JSON protocol it loads at init.
    const bundle = bundleHandler("handlers/replicate.ts", "test-bundle-replicate");
    const init = Object.keys(bundle.initInputs);
    expect(init.filter((file) => /protocols\/(xml|query)\//.test(file))).toEqual([]);
    expect(init.some((file) => file.includes("protocols/json/AwsJson1_1Protocol"))).toBe(true);
    // The package.json an SDK client reads its version from is bundled as the version alone.
    expect(bundle.initInputs["node_modules/@aws-sdk/client-glue/package.json"]).toBeLessThan(100);
  });

  it("the bundled poller reads CloudTrail and journals a write made in its account", async () => {
    const where = testLocation("us-east-1");
    const dynamodb = client("dynamodb", where);
    await createJournalTable(dynamodb, "bundled-journal");
    expect(
      (await dynamodb.send(new DescribeTableCommand({ TableName: "bundled-journal" }))).Table,
    ).toBeDefined();
    await client("glue", where).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "from_bundle" } }));

    // The bundle runs with the SDK's default credentials, so point them at the test account.
    const variables = {
      AWS_REGION: where.region,
      [CAPTURE_ENV.journalTable]: "bundled-journal",
      [CAPTURE_ENV.sourceAccount]: where.account,
      [CAPTURE_ENV.sourceRegion]: where.region,
    };
    await withAccountEnvironment(where, variables, async () => {
      const bundle = await loadBundle("poll-cloudtrail");
      const summary = (await bundle.handler({})) as { journaled: number };
      expect(summary.journaled).toBeGreaterThanOrEqual(1);
    });
  });

  it.each([
    ["false", "without"],
    ["true", "with"],
  ])(
    "the bundled replicator deployed with %s SDK-call tracing answers a batch (%s the tracer's chunk)",
    async (trace) => {
      const where = testLocation("us-east-1");
      const config = parseConfig(
        {
          source: { account: where.account, region: where.region },
          targets: [{ name: "west", account: where.account, region: "us-west-2" }],
          batch: { backupBucket: "backups-bucket" },
        },
        "config.json",
      );
      const variables = {
        AWS_REGION: where.region,
        [REPLICATOR_ENV.journalTable]: "bundled-journal",
        [REPLICATOR_ENV.settings]: JSON.stringify(deployedReplicatorSettings(config)),
        [REPLICATOR_ENV.deadLetterQueueUrl]: `https://sqs.us-east-1.amazonaws.com/${where.account}/dlq`,
        [REPLICATOR_ENV.alertTopicArn]: `arn:aws:sns:us-east-1:${where.account}:alerts`,
        [REPLICATOR_ENV.traceSdkCalls]: trace,
      };
      await withAccountEnvironment(where, variables, async () => {
        // A fresh copy per case: the handler wires itself (and loads the tracer) on its first event.
        const { dir } = bundleHandler("handlers/replicate.ts", `test-bundle-replicate-trace-${trace}`);
        const bundle = await import(pathToFileURL(`${dir}/index.mjs`).href);
        // A stream batch with no journaled event (a checkpoint's INSERT): nothing to replicate.
        const checkpoint = { eventName: "INSERT", dynamodb: { NewImage: { pk: { S: "checkpoint#x" } } } };
        expect(await bundle.handler({ Records: [checkpoint] })).toEqual({ batchItemFailures: [] });
      });
    },
  );

  it("the bundled batch start writes its run plan to S3 and queues a unit (S3's XML, SQS on first use)", async () => {
    const where = testLocation("us-east-1");
    await client("glue", where).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "bundled_db" } }));
    await client("s3", where).send(new CreateBucketCommand({ Bucket: `bundled-${where.account}` }));
    const sqs = client("sqs", where);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `bundled-${where.account}` }));
    const variables = {
      AWS_REGION: where.region,
      [BATCH_ENV.sourceAccount]: where.account,
      [BATCH_ENV.backupBucket]: `bundled-${where.account}`,
      [BATCH_ENV.queueUrl]: QueueUrl ?? "",
    };
    await withAccountEnvironment(where, variables, async () => {
      const bundle = await loadBundle("batch-start");
      const result = (await bundle.handler({})) as { backup: string; units: number };
      expect(result.units).toBe(2); // the catalog-wide unit and bundled_db
      const folder = result.backup.slice(`s3://bundled-${where.account}/`.length);
      const listed = await client("s3", where).send(
        new ListObjectsV2Command({ Bucket: `bundled-${where.account}`, Prefix: folder }),
      );
      expect(listed.Contents?.map((object) => object.Key)).toEqual([`${folder}${RUN_PLAN_NAME}`]);
      const queued = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      expect(queued.Messages).toHaveLength(1);
    });
  });
});
