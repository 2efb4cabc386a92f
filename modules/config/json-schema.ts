// Derives the published artefacts from the zod schema: lakesync.config.schema.json (for editors
// and other tools) and the Markdown field reference (modules/config/README.md). Pure: the script
// write-json-schema.ts writes them, and a test checks the committed files still match.
import * as z from "zod";
import { configSchema } from "./schema.ts";

export const schemaFileName = "lakesync.config.schema.json";

type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  [key: string]: unknown;
};

/** The JSON Schema of the file as users write it (defaulted fields are optional). */
export function configJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(configSchema, { io: "input", target: "draft-2020-12" }) as JsonSchema;
  return generated;
}

export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

interface ReferenceRow {
  path: string;
  type: string;
  required: boolean;
  default: string;
  description: string;
}

/** One row per field, depth first, in declaration order. */
export function referenceRows(schema: JsonSchema = configJsonSchema()): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  const visit = (node: JsonSchema, path: string, required: boolean, description?: string) => {
    if (path) {
      rows.push({
        path,
        type: typeName(node),
        required,
        default: node.default === undefined ? "" : JSON.stringify(node.default),
        description: description ?? node.description ?? "",
      });
    }
    visitChildren(node, path);
  };
  const visitChildren = (node: JsonSchema, path: string) => {
    if (node.properties) {
      for (const [key, child] of Object.entries(node.properties)) {
        visit(child, path ? `${path}.${key}` : key, node.required?.includes(key) ?? false);
      }
    } else if (node.items && node.type === "array") {
      visitChildren(node.items, `${path}[]`);
    } else if (typeof node.additionalProperties === "object") {
      visitChildren(node.additionalProperties, `${path}.<key>`);
    } else {
      // Unions of objects (the deployment backend): the discriminator once with every value,
      // then each variant's own fields labelled with the variant they belong to.
      const variants = (node.anyOf ?? node.oneOf ?? []).filter((variant) => variant.properties);
      const discriminator = Object.keys(variants[0]?.properties ?? {}).find((key) =>
        variants.every((variant) => variant.properties?.[key]?.const !== undefined),
      );
      if (discriminator) {
        rows.push({
          path: `${path}.${discriminator}`,
          type: variants
            .map((variant) => JSON.stringify(variant.properties![discriminator]!.const))
            .join(" | "),
          required: true,
          default: "",
          description: variants
            .map(
              (v) =>
                `${JSON.stringify(v.properties![discriminator]!.const)}: ${v.properties![discriminator]!.description ?? ""}`,
            )
            .join(" "),
        });
      }
      const seen = new Set<string>();
      for (const variant of variants) {
        const label = discriminator
          ? `(${discriminator} ${JSON.stringify(variant.properties![discriminator]!.const)}) `
          : "(one of) ";
        for (const [key, child] of Object.entries(variant.properties!)) {
          const childPath = `${path}.${key}`;
          if (key === discriminator || seen.has(childPath)) continue;
          seen.add(childPath);
          // Without a discriminator the variants are alternatives: no field is required on its own.
          const required = discriminator !== undefined && (variant.required?.includes(key) ?? false);
          visit(child, childPath, required, `${label}${child.description ?? ""}`);
        }
      }
    }
  };
  visitChildren(schema, "");
  return rows;
}

function typeName(node: JsonSchema): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(" | ");
  const variants = node.anyOf ?? node.oneOf;
  if (variants) return variants.map(typeName).join(" | ");
  if (node.type === "array") {
    const item = node.items ? typeName(node.items) : "any";
    return item.includes(" | ") ? `(${item})[]` : `${item}[]`;
  }
  if (node.type === "object" && typeof node.additionalProperties === "object") {
    return `map of ${typeName(node.additionalProperties)}`;
  }
  if (node.type === "integer") {
    return node.minimum !== undefined && node.maximum !== undefined
      ? `integer ${node.minimum}–${node.maximum}`
      : "integer";
  }
  return Array.isArray(node.type) ? node.type.join(" | ") : (node.type ?? "any");
}

const cell = (text: string): string =>
  text.replaceAll("|", "\\|").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll("\n", " ");

/** The mesh section's cross-field rules (modules/config/mesh-schema.ts), which no field row shows. */
const MESH_RULES = [
  "## Cross-field rules of `mesh`",
  "",
  "- Each mesh account (central, producers, consumers) is used once, and each `roleArn` is a role in its own account.",
  "- Producer and consumer names are unique; so are bucket names within a producer and the crawler names (`<name>` for a one-prefix crawler, else `<name>-<key prefix>`, one crawler per prefix).",
  "- Crawler prefixes and declared table locations lie under one of the producer's bucket `prefixes`.",
  "- Tag assignments and grants use LF-Tag keys and values declared in `mesh.lfTags`; an assignment with `columns` has a `database.table` glob.",
  "- Grant principals are producer or consumer account ids or principals listed in `mesh.consumers[].principals`; IAM principals need `mesh.central.crossAccountVersion` 3 or 4.",
  "- Consumer principals are in the consumer's account; `permissionsWithGrantOption` lists only permissions also in `permissions` (or `ALL`).",
  "",
];

export function configReferenceMarkdown(): string {
  const schema = configJsonSchema();
  const lines = [
    "# lakesync.config.json reference",
    "",
    "<!-- Generated by `npx tsx modules/config/write-json-schema.ts` from modules/config/schema.ts; do not edit. -->",
    "",
    `${schema.description ?? ""}`,
    "",
    `Editors validate and complete the file through \`"$schema": "./${schemaFileName}"\`.`,
    "Check a file with `lakesync config validate [FILE]`; convert a seed INI file, or the data-mesh",
    "seed's variables.json (into a `mesh` section), with",
    "`lakesync config import <file> --out lakesync.config.json`. A complete example is",
    "[lakesync.config.example.json](../../lakesync.config.example.json).",
    "",
    "`map of T` is a JSON object whose values are T; `<key>` stands for any key. Fields without a",
    "default and marked required must be given.",
    "",
    "| Field | Type | Required | Default | Description |",
    "|---|---|---|---|---|",
    ...referenceRows(schema).map(
      (row) =>
        `| \`${row.path}\` | ${cell(row.type)} | ${row.required ? "yes" : ""} | ${row.default ? `\`${cell(row.default)}\`` : ""} | ${cell(row.description)} |`,
    ),
    "",
    ...MESH_RULES,
  ];
  return lines.join("\n");
}
