import type { Command } from "commander";
import { readDetached, saveDetached, startLocalAws, stopDetached } from "../../local/local-aws.ts";
import { CliError } from "../exit-codes.ts";

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
