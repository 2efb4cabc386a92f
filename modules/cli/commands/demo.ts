// `lakesync demo` (what `npm start` runs): local AWS up, the sample lake seeded in the source,
// then the main jobs exactly as a user runs them (the same CLI commands, in-process):
//   1. backup the source to S3, restore it into an empty DR region, diff;
//   2. live changes in the source (every replicated event type), replicate --once, which reads
//      the local CloudTrail, journals, and applies to the target;
//   3. the data mesh: `mesh apply` of a central and a consumer account, then `mesh explain`;
//   4. a final diff of source and target; its last line is the demo's last line.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { allClients } from "../../aws/all-clients.ts";
import { ExecutorWiring } from "../../aws/wiring/executor.ts";
import { liveChangeOperations } from "../../local/live-changes.ts";
import { type RunningLocalAws, startLocalAws } from "../../local/local-aws.ts";
import { meshDemo, meshDemoAnalyst, meshDemoConfig, meshDemoCrawl } from "../../local/mesh-demo.ts";
import { sampleBucket } from "../../local/sample-lake.ts";
import { createBucket, seedSampleLake } from "../../local/seed.ts";
import { CliError, ExitCode } from "../exit-codes.ts";
import { writeLines } from "../render.ts";

export const demoSource = { name: "source", account: "111111111111", region: "us-east-1" } as const;
export const demoTarget = { name: "dr", account: "111111111111", region: "us-west-2" } as const;
const backupBucket = "lakesync-demo-backups";
const targetBucket = `${sampleBucket}-usw2`;

type RunCli = (argv: string[]) => Promise<number>;

export function registerDemo(program: Command, runCli: RunCli): void {
  program
    .command("demo")
    .description(
      "start local AWS, seed the sample lake and run backup/restore, realtime replication and diff (npm start)",
    )
    .option("--keep", "leave local AWS running afterwards and print its endpoint")
    .action(async (options: { keep?: boolean }) => {
      const say = (line: string) => writeLines(line);
      const heading = (line: string) => writeLines(["", `== ${line}`]);
      let server: RunningLocalAws | undefined;
      const aws = new ExecutorWiring(allClients);
      const { clients } = aws;
      try {
        server = await startLocalAws({ detach: options.keep ?? false });
        say(`local AWS (moto + lakesync's CloudTrail layer and fixes) at ${server.endpoint}`);
        process.env.AWS_ENDPOINT_URL = server.endpoint;
        process.env.AWS_ACCESS_KEY_ID ??= "testing";
        process.env.AWS_SECRET_ACCESS_KEY ??= "testing";

        heading(`seed the sample lake in ${demoSource.account}/${demoSource.region}`);
        const seeded = await seedSampleLake(aws, demoSource);
        const { applied, noop, failed } = seeded.report.summary;
        say(`sample lake: ${applied} operations applied, ${noop} already there, ${failed} failed`);
        if (failed > 0) throw new CliError("seeding the sample lake failed");
        await createBucket(clients, demoSource, backupBucket);

        const source = ["--source-region", demoSource.region, "--source-account", demoSource.account];
        const target = ["--target-region", demoTarget.region, "--target-account", demoTarget.account];
        const mapping = ["--bucket-map", `${sampleBucket}=${targetBucket}`];
        const step = async (title: string, argv: string[], okCodes: number[] = [ExitCode.ok]) => {
          heading(`${title}: lakesync ${argv.join(" ")}`);
          const code = await runCli(argv);
          if (!okCodes.includes(code)) throw new CliError(`${title} failed (exit ${code})`, code);
          return code;
        };

        await step("back up the source", ["backup", ...source, "--bucket", backupBucket]);
        await step("restore into the DR region", [
          "restore",
          "--from",
          "latest",
          ...source,
          ...target,
          ...mapping,
          "--bucket",
          backupBucket,
        ]);
        await step(
          "compare source and DR",
          ["diff", ...source, ...target, ...mapping],
          [ExitCode.ok, ExitCode.different],
        );

        heading("live changes in the source (every replicated Glue and Lake Formation event)");
        const since = new Date(Date.now() - 2000).toISOString();
        const changes = liveChangeOperations(demoSource);
        for (const change of changes) await aws.run(change);
        say(
          `${changes.length} SDK calls made in ${demoSource.account}/${demoSource.region}; CloudTrail recorded them`,
        );

        await step("replicate them from CloudTrail", [
          "replicate",
          "--once",
          ...source,
          ...target,
          ...mapping,
          "--journal-table",
          "lakesync-demo-events",
          "--since",
          since,
        ]);
        heading(`a data mesh: central ${meshDemo.central}, consumer ${meshDemo.consumer}`);
        for (const table of meshDemoCrawl()) await aws.run(table);
        say(
          `the central crawler's tables: ${meshDemo.database}.sales_customers, ${meshDemo.database}.sales_orders`,
        );
        const meshConfig = join(mkdtempSync(join(tmpdir(), "lakesync-demo-")), "lakesync.config.json");
        writeFileSync(
          meshConfig,
          JSON.stringify(
            meshDemoConfig({ source: demoSource, targets: [demoTarget], batch: { backupBucket } }),
          ),
        );
        await step("apply the declared mesh", ["mesh", "apply", "--config", meshConfig]);
        await step("can the consumer's analysts query a shared table?", [
          "mesh",
          "explain",
          "--config",
          meshConfig,
          "--principal",
          meshDemoAnalyst,
          "--table",
          `${meshDemo.linkDatabase}.sales_orders`,
        ]);
        await step("nothing left to do", ["mesh", "status", "--config", meshConfig]);

        const code = await step(
          "compare source and DR after replication",
          ["diff", ...source, ...target, ...mapping],
          [ExitCode.ok, ExitCode.different],
        );
        process.exitCode = code;
      } finally {
        aws.destroy();
        if (options.keep && server) {
          process.stderr.write(
            `local AWS left running: export AWS_ENDPOINT_URL=${server.endpoint} (pid ${server.pid})\n`,
          );
        } else await server?.stop();
      }
    });
}
