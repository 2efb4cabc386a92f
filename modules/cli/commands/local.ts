import type { Command } from "commander";
import { allClients } from "../../aws/all-clients.ts";
import { ExecutorWiring } from "../../aws/wiring/executor.ts";
import { readDetached, saveDetached, startLocalAws, stopDetached } from "../../local/local-aws.ts";
import { seedSampleLake } from "../../local/seed.ts";
import { CliError, ExitCode } from "../exit-codes.ts";

export function registerLocal(program: Command): void {
  const local = program
    .command("local")
    .description("the embedded local AWS: moto server plus lakesync's CloudTrail layer and fixes");

  local
    .command("up")
    .description('start local AWS on 127.0.0.1 (a free port); prints {"endpoint","pid"} as its last line')
    .option("--detach", "keep it running in the background; stop it with `lakesync local down`")
    .action(async (options: { detach?: boolean }) => {
      const running = readDetached();
      if (options.detach && running && isAlive(running.pid)) {
        throw new CliError(`local AWS is already running at ${running.endpoint} (pid ${running.pid})`);
      }
      const server = await startLocalAws({ detach: options.detach ?? false });
      if (options.detach) saveDetached({ endpoint: server.endpoint, pid: server.pid });
      else
        process.stderr.write(
          `local AWS running; export AWS_ENDPOINT_URL=${server.endpoint}; Ctrl-C stops it\n`,
        );
      process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint, pid: server.pid })}\n`);
      if (options.detach) return;
      await new Promise<void>((resolve) => {
        const stop = () => void server.stop().then(resolve);
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });

  local
    .command("seed")
    .description(
      "create the sample lake (databases, tables, partitions, LF tags, grants, settings) in a catalog",
    )
    .option("--region <region>", "region of the catalog", "us-east-1")
    .option("--account <account>", "account of the catalog (default: the caller's)")
    .option("--json", "print the result as JSON")
    .action(async (options: { region: string; account?: string; json?: boolean }) => {
      const aws = new ExecutorWiring(allClients);
      try {
        const { location, report } = await seedSampleLake(aws, options);
        const failed = report.results.filter((r) => r.outcome.status === "failed");
        if (options.json) {
          process.stdout.write(
            `${JSON.stringify({ account: location.account, region: location.region, summary: report.summary })}\n`,
          );
        } else {
          const { applied, noop, failed: failedCount } = report.summary;
          process.stdout.write(
            `seeded the sample lake in ${location.account}/${location.region}: ${applied} applied, ${noop} already there, ${failedCount} failed\n`,
          );
        }
        for (const result of failed) {
          process.stderr.write(
            `failed: ${result.operation.description}: ${"reason" in result.outcome ? result.outcome.reason : ""}\n`,
          );
        }
        if (failed.length > 0) process.exitCode = ExitCode.error;
      } finally {
        aws.destroy();
      }
    });

  local
    .command("down")
    .description("stop the local AWS that `local up --detach` started")
    .action(async () => {
      const stopped = await stopDetached();
      process.stderr.write(stopped ? "local AWS stopped\n" : "no local AWS was running\n");
    });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
