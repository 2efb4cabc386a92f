// Flag parsing shared by the commands; bad values become one-line CLI errors.
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
