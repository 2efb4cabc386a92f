import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { IniError } from "../../config/import/configparser.ts";
import { importSeedConfig, SeedImportError } from "../../config/import/seed-import.ts";
import { importSeedVariables, looksLikeSeedVariables } from "../../config/import/variables-import.ts";
import { configJsonSchemaText } from "../../config/json-schema.ts";
import { ConfigError, checkConfig } from "../../config/load.ts";
import { defaultConfigFile } from "../config-file.ts";
import { CliError, ExitCode } from "../exit-codes.ts";

export function registerConfig(program: Command): void {
  const config = program
    .command("config")
    .description("lakesync.config.json: validate it, print its JSON Schema, import a seed config file");

  config
    .command("validate")
    .description(`check a config file (default ./${defaultConfigFile}); exit 0 valid, 1 invalid`)
    .argument("[file]", "config file", defaultConfigFile)
    .option("--json", 'print {"file","valid","issues"} on stdout')
    .action(async (file: string, options: { json?: boolean }) => {
      const result = checkConfig(await readText(file));
      if (options.json) {
        const issues = result.ok ? [] : result.issues;
        process.stdout.write(`${JSON.stringify({ file, valid: result.ok, issues }, null, 2)}\n`);
      }
      if (!result.ok) {
        const count = `${result.issues.length} problem${result.issues.length === 1 ? "" : "s"}`;
        throw new CliError(
          options.json
            ? `${file} is not valid (${count})`
            : `${file} is not valid (${count}):\n${new ConfigError(file, result.issues).message}`,
          ExitCode.error,
        );
      }
      if (!options.json) {
        const targets = result.config.targets.map((t) => `${t.name} (${t.account} ${t.region})`).join(", ");
        process.stdout.write(
          `${file} is valid: source ${result.config.source.account} ${result.config.source.region} → ${targets}\n`,
        );
      }
    });

  config
    .command("schema")
    .description("print the JSON Schema of lakesync.config.json")
    .action(() => {
      process.stdout.write(configJsonSchemaText());
    });

  config
    .command("import")
    .description(
      "convert a seed file (realtime glue-lf-config.conf, batch glue_config.conf, or the data mesh's variables.json) into a lakesync.config.json draft",
    )
    .argument("<file>", "seed .conf file or variables.json")
    .option("--out <file>", "write the draft here instead of printing it")
    .option("--force", "overwrite --out if it exists")
    .option("--json", 'print {"config","unmapped"} on stdout instead of warnings on stderr')
    .action(async (file: string, options: { out?: string; force?: boolean; json?: boolean }) => {
      const imported = importOrExplain(await readText(file), file);
      const draft = `${JSON.stringify(imported.config, null, 2)}\n`;
      if (options.out) {
        if (existsSync(options.out) && !options.force) {
          throw new CliError(`${options.out} exists; pass --force to overwrite it`);
        }
        await writeFile(options.out, draft);
      }
      if (options.json) {
        const report = { config: imported.config, unmapped: imported.unmapped };
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      if (!options.out) process.stdout.write(draft);
      for (const item of imported.unmapped) process.stderr.write(`warning: ${item.key}: ${item.reason}\n`);
      const where = options.out ? `wrote ${options.out}` : "printed the draft";
      const next = imported.valid
        ? "it is valid"
        : `fill in the fields above, then run \`lakesync config validate${options.out ? ` ${options.out}` : ""}\``;
      process.stderr.write(
        `imported the ${imported.format} seed config ${file}: ${where}; ${imported.unmapped.length} item(s) not mapped; ${next}\n`,
      );
    });
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === "ENOENT" ? `${file}: file not found` : `${file}: cannot read it (${String(error)})`,
    );
  }
}

function importOrExplain(text: string, file: string) {
  try {
    return looksLikeSeedVariables(text) ? importSeedVariables(text) : importSeedConfig(text);
  } catch (error) {
    if (error instanceof IniError || error instanceof SeedImportError)
      throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
}
