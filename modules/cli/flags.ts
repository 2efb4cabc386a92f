// Flag parsing shared by the commands; bad values become one-line CLI errors.
import type { Command } from "commander";
import { parsePairs as parseSettingsPairs, SettingsError } from "../batch/settings.ts";
import { CliError } from "./exit-codes.ts";

/** Repeatable SRC=DST flags (--bucket-map, --principal-map) -> {SRC: DST}. */
export function parsePairs(values: readonly string[] | undefined, flag: string): Record<string, string> {
  try {
    return parseSettingsPairs(values, flag);
  } catch (error) {
    if (error instanceof SettingsError) throw new CliError(error.message);
    throw error;
  }
}

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
