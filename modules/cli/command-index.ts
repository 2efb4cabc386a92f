// The top-level commands, each with the module that registers it. A run imports only the module of
// the command it names (`lakesync backup` loads the batch commands and the SDK; `lakesync config
// validate` neither), and the top-level help lists every command from the summaries here without
// importing any: importing them all cost the idle CLI about 80 MB of RSS.
import type { Command } from "commander";

export type RunCli = (argv: string[]) => Promise<number>;
type Register = (program: Command, runCli: RunCli) => Promise<void>;

const batch: Register = async (program) => (await import("./commands/batch.ts")).registerBatch(program);

export interface CommandEntry {
  /** The command's own description (test/cli/command-index.test.ts checks they agree). */
  summary: string;
  /** Registers the command (and the others its module defines) on the program. */
  register: Register;
}

export const COMMANDS: Record<string, CommandEntry> = {
  backup: {
    summary:
      "write a snapshot of the source catalog to S3 (gzip JSON Lines + manifest); keep the newest --keep",
    register: batch,
  },
  restore: {
    summary: "restore a backup into the targets (only what differs is written)",
    register: batch,
  },
  diff: {
    summary: "compare the source (or --from a backup) with the targets; exit 0 equal, 2 different",
    register: batch,
  },
  sync: { summary: "apply the differences between the source and the targets", register: batch },
  config: {
    summary: "lakesync.config.json: validate it, print its JSON Schema, import a seed config file",
    register: async (program) => (await import("./commands/config.ts")).registerConfig(program),
  },
  demo: {
    summary:
      "start local AWS, seed the sample lake and run backup/restore, realtime replication and diff (npm start)",
    register: async (program, runCli) => (await import("./commands/demo.ts")).registerDemo(program, runCli),
  },
  events: {
    summary: "inspect the realtime event journal",
    register: async (program) => (await import("./commands/events.ts")).registerEvents(program),
  },
  local: {
    summary: "the embedded local AWS: moto server plus lakesync's CloudTrail layer and fixes",
    register: async (program) => (await import("./commands/local.ts")).registerLocal(program),
  },
  mesh: {
    summary: "reconcile the config's data mesh into Lake Formation and Glue, and explain access",
    register: async (program) => (await import("./commands/mesh.ts")).registerMesh(program),
  },
  "plan-event": {
    summary:
      "dry run: print the target operations a CloudTrail event (bare record, EventBridge event, LookupEvents event or log file) would replay; no AWS calls",
    register: async (program) => (await import("./commands/plan-event.ts")).registerPlanEvent(program),
  },
  replicate: {
    summary:
      "run capture (CloudTrail LookupEvents -> journal) and the replicator in this process; one line per event and target",
    register: async (program) => (await import("./commands/replicate.ts")).registerReplicate(program),
  },
  snowflake: {
    summary: "sync Glue tables to Snowflake external tables",
    register: async (program) => (await import("./commands/snowflake.ts")).registerSnowflake(program),
  },
};

/**
 * The command a run names: the first operand (or, after `help`, the one it asks about). Options
 * come before it only as the program's own flags, which take no value.
 */
export function commandOf(argv: readonly string[]): CommandEntry | undefined {
  const operands = argv.filter((arg) => !arg.startsWith("-"));
  const name = operands[0] === "help" ? operands[1] : operands[0];
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}
