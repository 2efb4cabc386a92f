// Options the commands share; their values are checked where they are resolved
// (modules/config/targets.ts), whose errors runCli prints as one line.
import type { Command } from "commander";

/** Accumulates a repeatable option's values. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The mapping flags `plan-event` and `replicate` share (batch commands have their own set). */
export function addReplicationMappingOptions(command: Command): Command {
  return command
    .option("--bucket-map <src=dst>", "map a source bucket to a target bucket (repeatable)", collect, [])
    .option(
      "--principal-map <src=dst>",
      "map a source principal to a target principal (repeatable)",
      collect,
      [],
    )
    .option("--replicator-role <arn>", "the replicator's role ARN, always kept a target data lake admin");
}
