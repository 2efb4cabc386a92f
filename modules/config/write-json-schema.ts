// Regenerates lakesync.config.schema.json and modules/config/README.md from schema.ts.
// Run after changing the schema: npx tsx modules/config/write-json-schema.ts
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configJsonSchemaText, configReferenceMarkdown, schemaFileName } from "./json-schema.ts";

const schemaPath = fileURLToPath(new URL(`../../${schemaFileName}`, import.meta.url));
const referencePath = fileURLToPath(new URL("./README.md", import.meta.url));

writeFileSync(schemaPath, configJsonSchemaText());
writeFileSync(referencePath, configReferenceMarkdown());
// Formatted as `biome check --write` would leave them, so regenerating gives no diff.
execFileSync("npx", ["biome", "format", "--write", schemaPath, referencePath], { stdio: "ignore" });
process.stderr.write(`wrote ${schemaPath}\nwrote ${referencePath}\n`);
