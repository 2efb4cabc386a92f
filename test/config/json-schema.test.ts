import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  configJsonSchema,
  configJsonSchemaText,
  configReferenceMarkdown,
  referenceRows,
} from "../../modules/config/json-schema.ts";

const repoFile = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const regenerate = "regenerate with: npx tsx modules/config/write-json-schema.ts";

/** Markdown tables compared cell by cell, so a formatter's column padding does not matter. */
const tableCells = (markdown: string): string[] =>
  markdown.split("\n").map((line) =>
    line.startsWith("|")
      ? line
          .split(/(?<!\\)\|/)
          .map((cell) => cell.trim().replace(/^-+$/, "---"))
          .join("|")
      : line,
  );

describe("generated config artefacts", () => {
  it("the committed lakesync.config.schema.json is the one the zod schema generates", () => {
    // Parsed, so a JSON formatter's line breaks do not matter.
    expect(JSON.parse(repoFile("lakesync.config.schema.json")), regenerate).toEqual(
      JSON.parse(configJsonSchemaText()),
    );
  });

  it("the committed config reference (modules/config/README.md) is the one the schema generates", () => {
    expect(tableCells(repoFile("modules/config/README.md")), regenerate).toEqual(
      tableCells(configReferenceMarkdown()),
    );
  });

  it("describes every field", () => {
    const undocumented = referenceRows().filter(
      // Variant fields carry a `(type "s3") ` label; the description proper must follow it.
      (row) => row.description.replace(/^\([^)]*\) /, "").trim() === "",
    );
    expect(undocumented.map((row) => row.path)).toEqual([]);
  });

  it("is a 2020-12 schema of the file as written: defaulted fields optional, unknown keys rejected", () => {
    const schema = configJsonSchema();
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.required).toEqual(["source", "targets", "batch"]);
    expect(schema.additionalProperties).toBe(false);
    const realtime = schema.properties?.realtime;
    expect(realtime?.default).toEqual({
      journalTable: "lakesync-events",
      pollScheduleMinutes: 5,
      lookbackMinutes: 20,
      maxAttempts: 5,
      journalRetentionDays: 30,
    });
    expect(realtime?.properties?.lookbackMinutes).toMatchObject({
      type: "integer",
      minimum: 15,
      default: 20,
    });
    expect(schema.properties?.source?.properties?.account?.pattern).toBe("^\\d{12}$");
  });

  it("lists fields with their types and defaults in the reference", () => {
    const rows = new Map(referenceRows().map((row) => [row.path, row]));
    expect(rows.get("targets[].region")).toMatchObject({ type: "string", required: true });
    expect(rows.get("batch.keepBackups")).toMatchObject({
      type: "integer 1–10000",
      default: "14",
      required: false,
    });
    expect(rows.get("mapping.buckets")).toMatchObject({ type: "map of string", default: "{}" });
    expect(rows.get("deployment.backend.type")).toMatchObject({
      type: '"local" | "s3" | "remote" | "cloud"',
    });
    expect(rows.get("deployment.backend.bucket")?.description).toBe('(type "s3") State bucket.');
  });

  it("the example file refers to the schema", () => {
    expect(JSON.parse(repoFile("lakesync.config.example.json")).$schema).toBe(
      "./lakesync.config.schema.json",
    );
  });
});
