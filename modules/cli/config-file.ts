// The one config loader of the command line: every command reads --config when given, else
// ./lakesync.config.json when it exists, else runs without a config (flags and defaults only).
import { existsSync } from "node:fs";
import { loadConfig } from "../config/load.ts";
import type { LakesyncConfig } from "../config/schema.ts";

export const defaultConfigFile = "lakesync.config.json";

export interface CliConfig {
  /** The file it was read from, for messages. */
  file: string;
  config: LakesyncConfig;
}

/** The file a command reads: --config, else the default file when present. */
export function configFileOf(flag: string | undefined): string | undefined {
  return flag ?? (existsSync(defaultConfigFile) ? defaultConfigFile : undefined);
}

/** Loads and validates the config; a bad file is a ConfigError naming it (runCli prints it). */
export async function loadCliConfig(flag: string | undefined): Promise<CliConfig | undefined> {
  const file = configFileOf(flag);
  return file ? { file, config: await loadConfig(file) } : undefined;
}

/** The --config option, worded the same for every command. */
export const configOptionHelp = (what: string) =>
  `lakesync config: ${what} (default ./${defaultConfigFile} when present)`;
