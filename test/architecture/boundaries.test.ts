// lakesync's dependency rules, checked on the import statements of the sources:
// - the AWS-free folders of modules/ import neither the AWS SDK nor modules/aws, nor the shell;
// - only modules/aws imports the SDK at runtime (tests, bench/ and scripts/ are local-AWS tooling);
// - only stacks/ and main.ts import CDK for Terraform;
// - stacks never import handlers;
// - modules/ has no import cycles, type-only imports included;
// - lakesync's own errors are matched by class, not by name (SDK exceptions are read by the
//   classifier, modules/operations/errors.ts, and by the adapters in modules/aws).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  errorNameComparisons,
  type Import,
  importCycles,
  importsOf,
  readImports,
  repoRoot,
  sourceFiles,
} from "./sources.ts";

type Layer = "aws-free" | "adapter" | "shell";

/** Every folder of modules/, with why it sits where it does. A new folder must be added here. */
const moduleFolders: Record<string, { layer: Layer; why: string }> = {
  aws: { layer: "adapter", why: "the only code that talks to AWS: SDK clients, commands, paginators" },
  backup: { layer: "aws-free", why: "backup format: JSONL, manifests, layout and retention rules" },
  batch: { layer: "aws-free", why: "backup/restore/sync use cases; storage and units through ports.ts" },
  capture: {
    layer: "aws-free",
    why: "capture use case: windows, checkpoints, classification; I/O via ports",
  },
  catalog: { layer: "aws-free", why: "snapshot model, normalisation and the diff" },
  cli: { layer: "shell", why: "parses flags, wires the modules/aws adapters and renders output" },
  config: { layer: "aws-free", why: "config schema, loading and imports: reads files, never AWS" },
  deploy: { layer: "aws-free", why: "names and environment contracts shared by stacks and handlers" },
  iceberg: {
    layer: "aws-free",
    why: "Iceberg metadata tree rewrite (Avro/JSON codecs); files through the IcebergFileStore port",
  },
  journal: { layer: "aws-free", why: "journal item layout, keys, high-water marks and target states" },
  local: { layer: "shell", why: "local-AWS tooling (seed, CloudTrail routing) composed from modules/aws" },
  mapping: { layer: "aws-free", why: "the one mapping of identities, locations and settings" },
  mesh: {
    layer: "aws-free",
    why: "mesh reconciler (desired state, plan) and access explainer; live state and executor through ports",
  },
  operations: { layer: "aws-free", why: "operation vocabulary, executor, retry policy, error classes" },
  replication: { layer: "aws-free", why: "CloudTrail decoding and the realtime planner" },
  replicator: { layer: "aws-free", why: "replicator use case; journal, DLQ and alerts through ports.ts" },
  snowflake: { layer: "aws-free", why: "Snowflake sync core and its SQL API client (HTTP to Snowflake)" },
};

/** Packages that call AWS: the SDK, its smithy runtime, and Powertools' parameter providers. */
const awsPackage = /^(@aws-sdk\/|@smithy\/|@aws-lambda-powertools\/parameters(\/|$))/;
const cdktfPackage = /^(cdktf|constructs|@cdktf\/.*)$/;

/** Type-only SDK imports allowed in an AWS-free folder: the operation builders' `satisfies <Command>Input`. */
const sdkTypesAllowedIn = ["modules/operations/"];

const folderOf = (file: string) => file.split("/")[1] ?? "";
const describeImport = (i: Import) => `${i.file} imports ${i.specifier}${i.typeOnly ? " (type only)" : ""}`;

const moduleFiles = sourceFiles("modules");
const productFiles = sourceFiles("modules", "handlers", "stacks", "main.ts");
const everyFile = sourceFiles("modules", "handlers", "stacks", "main.ts", "scripts", "bench");
const imports = readImports(everyFile);
const productImports = imports.filter((i) => productFiles.includes(i.file));

describe("the import reader", () => {
  it("tells runtime imports from erased ones, and sees re-exports and dynamic imports", () => {
    const text = [
      'import type { A } from "@aws-sdk/client-glue";',
      'import { type B } from "@aws-sdk/client-s3";',
      'import { C } from "../aws/clients.ts";',
      'export type { D } from "./d.ts";',
      'export { E } from "./e.ts";',
      'type F = import("./f.ts").F;',
      'const g = await import("cdktf");',
    ].join("\n");
    expect(importsOf("modules/operations/x.ts", text)).toEqual([
      { file: "modules/operations/x.ts", specifier: "@aws-sdk/client-glue", typeOnly: true },
      { file: "modules/operations/x.ts", specifier: "@aws-sdk/client-s3", typeOnly: false },
      {
        file: "modules/operations/x.ts",
        specifier: "../aws/clients.ts",
        target: "modules/aws/clients.ts",
        typeOnly: false,
      },
      {
        file: "modules/operations/x.ts",
        specifier: "./d.ts",
        target: "modules/operations/d.ts",
        typeOnly: true,
      },
      {
        file: "modules/operations/x.ts",
        specifier: "./e.ts",
        target: "modules/operations/e.ts",
        typeOnly: false,
      },
      {
        file: "modules/operations/x.ts",
        specifier: "./f.ts",
        target: "modules/operations/f.ts",
        typeOnly: true,
      },
      { file: "modules/operations/x.ts", specifier: "cdktf", typeOnly: false },
    ]);
  });

  it("finds comparisons of an error's name with a string", () => {
    const text = [
      'if ((error as Error).name !== "StaleTargetStateError") throw error;',
      'if ("NotFoundException" === e.name) return;',
      'const same = table.name === "orders";',
      "if (error instanceof StaleTargetStateError) return;",
    ].join("\n");
    expect(errorNameComparisons("modules/x.ts", text)).toEqual([
      'modules/x.ts:1: (error as Error).name !== "StaleTargetStateError"',
      'modules/x.ts:2: "NotFoundException" === e.name',
    ]);
  });

  it("finds cycles, type-only imports included, and nothing in a chain", () => {
    const files = ["a.ts", "b.ts", "c.ts", "d.ts"];
    const edge = (file: string, target: string): Import => ({
      file,
      specifier: target,
      target,
      typeOnly: true,
    });
    expect(importCycles([edge("a.ts", "b.ts"), edge("b.ts", "c.ts")], files)).toEqual([]);
    expect(
      importCycles(
        [edge("a.ts", "b.ts"), edge("b.ts", "c.ts"), edge("c.ts", "a.ts"), edge("d.ts", "d.ts")],
        files,
      ),
    ).toEqual([["a.ts", "b.ts", "c.ts"], ["d.ts"]]);
  });
});

describe("dependency rules", () => {
  it("every folder of modules/ is classified", () => {
    const folders = readdirSync(join(repoRoot, "modules"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders).toEqual(Object.keys(moduleFolders).sort());
  });

  it("AWS-free folders import neither the AWS SDK nor modules/aws, nor the shell", () => {
    const shell = (target: string) =>
      target.startsWith("handlers/") ||
      target.startsWith("stacks/") ||
      moduleFolders[folderOf(target)]?.layer === "shell";
    const violations = productImports
      .filter((i) => i.file.startsWith("modules/") && moduleFolders[folderOf(i.file)]?.layer === "aws-free")
      .filter((i) => {
        if (awsPackage.test(i.specifier))
          return !(i.typeOnly && sdkTypesAllowedIn.some((folder) => i.file.startsWith(folder)));
        return i.target !== undefined && (i.target.startsWith("modules/aws/") || shell(i.target));
      })
      .map(describeImport);
    expect(violations).toEqual([]);
  });

  it("only modules/aws imports the AWS SDK at runtime", () => {
    const violations = productImports
      .filter((i) => awsPackage.test(i.specifier) && !i.typeOnly && !i.file.startsWith("modules/aws/"))
      .map(describeImport);
    expect(violations).toEqual([]);
  });

  it("only stacks/ and main.ts import CDK for Terraform", () => {
    const violations = imports
      .filter((i) => cdktfPackage.test(i.specifier) && !i.file.startsWith("stacks/") && i.file !== "main.ts")
      .map(describeImport);
    expect(violations).toEqual([]);
  });

  it("stacks never import handlers", () => {
    const stackImports = productImports.filter((i) => i.file.startsWith("stacks/"));
    const violations = stackImports.filter((i) => i.target?.startsWith("handlers/")).map(describeImport);
    expect(violations).toEqual([]);
  });

  it("modules/ has no import cycles", () => {
    expect(importCycles(imports, moduleFiles)).toEqual([]);
  });

  it("errors are matched by class, not by name, outside the AWS adapters and the classifier", () => {
    const files = productFiles.filter(
      (file) => !file.startsWith("modules/aws/") && file !== "modules/operations/errors.ts",
    );
    const comparisons = files.flatMap((file) =>
      errorNameComparisons(file, readFileSync(join(repoRoot, file), "utf8")),
    );
    expect(comparisons).toEqual([]);
  });
});
