// checkov 3.3.30 (its own virtualenv, .venv-checkov, installed by scripts/bootstrap.mjs) scans the
// Terraform of every stack synthesized for the example config and for a full config (Snowflake
// with its account stack, mesh, alarm subscriptions). A finding passes only when it is suppressed
// in code next to its resource with a reason (stacks/constructs/checkov.ts): checkov's
// terraform_json runner does not read skips itself, so this test applies them, and it also fails
// on a skip that no finding needs any more.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { App } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../modules/config/load.ts";
import type { LakesyncConfig } from "../../modules/config/schema.ts";
import { CHECKOV_SKIP_FIELD } from "../../stacks/constructs/checkov.ts";
import { addLakesyncStacks } from "../../stacks/lakesync-app.ts";
import { sampleMesh } from "../support/mesh.ts";

const checkov = resolve(".venv-checkov/bin/checkov");
const RSA_PUBLIC_KEY =
  "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n";

interface Finding {
  check_id: string;
  resource: string;
  file_abs_path: string;
  check_name: string;
}
interface CheckovReport {
  check_type: string;
  results: { failed_checks: Finding[]; passed_checks: Finding[]; parsing_errors?: string[] };
  summary: { failed: number; passed: number; parsing_errors: number; resource_count?: number };
}
interface Skip {
  stack: string;
  resource: string;
  checkId: string;
  reason: string;
}

function fullConfig(example: LakesyncConfig): LakesyncConfig {
  const { $schema: _, ...rest } = JSON.parse(readFileSync("lakesync.config.example.json", "utf8"));
  return parseConfig(
    {
      ...rest,
      snowflake: {
        ...rest.snowflake,
        storageIntegration: {
          name: "LAKESYNC_S3",
          storageAwsRoleArn: `arn:aws:iam::${example.source.account}:role/lakesync-snowflake-stages`,
          allowedLocations: Object.values(rest.snowflake.stages as Record<string, string>),
        },
      },
      mesh: sampleMesh(),
      deployment: {
        ...rest.deployment,
        alarms: { subscriptions: [{ protocol: "https", endpoint: "https://hooks.example.com/lakesync" }] },
      },
    },
    "full config",
  );
}

/** Synthesizes every stack of `config` into `dir`; returns the stack directories. */
function synthesizeInto(dir: string, config: LakesyncConfig): string[] {
  const app = new App({ outdir: dir });
  addLakesyncStacks(app, config, { snowflakePublicKey: RSA_PUBLIC_KEY });
  app.synth();
  return readdirSync(join(dir, "stacks")).map((name) => join(dir, "stacks", name));
}

function skipsIn(stackDir: string): Skip[] {
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as {
    resource?: Record<string, Record<string, { "//"?: Record<string, unknown> }>>;
  };
  return Object.values(json.resource ?? {}).flatMap((byName) =>
    Object.entries(byName).flatMap(([resource, block]) =>
      ((block["//"]?.[CHECKOV_SKIP_FIELD] as string[] | undefined) ?? []).map((line) => {
        const match = /^checkov:skip=([A-Z0-9_]+):(.+)$/s.exec(line);
        if (!match) throw new Error(`${stackDir} ${resource}: malformed skip ${line}`);
        return { stack: stackDir, resource, checkId: match[1] as string, reason: match[2] as string };
      }),
    ),
  );
}

/**
 * `checkov -d <dir> --framework terraform_json -o json` over the synthesized stacks: one run reads
 * every stack directory under `dir` (the same checks as one run per stack, one start-up).
 */
function runCheckov(dir: string): Promise<CheckovReport> {
  const args = ["-d", dir, "--framework", "terraform_json", "-o", "json", "--skip-download"];
  return new Promise((done, fail) => {
    execFile(checkov, args, { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      // Exit 1 means failed checks, which this test judges itself.
      if (error && error.code !== 1)
        return fail(new Error(`checkov ${args.join(" ")}: ${stderr.slice(-2000)}`));
      const parsed = JSON.parse(stdout) as CheckovReport | CheckovReport[];
      const report = Array.isArray(parsed) ? parsed[0] : parsed;
      if (!report?.results)
        return fail(new Error(`checkov gave no results for ${dir}: ${stdout.slice(0, 500)}`));
      done(report);
    });
  });
}

const stackOf = (file: string, stackDirs: string[]) =>
  stackDirs.find((d) => file.startsWith(`${d}/`)) ?? file;
const resourceName = (resource: string) => resource.split(".").at(-1) ?? resource;

describe.each([
  ["the example config", (example: LakesyncConfig) => example],
  ["a full config (Snowflake account stack, mesh, subscriptions)", fullConfig],
])("checkov on the stacks of %s", (_, configOf) => {
  let dir: string;
  let stackDirs: string[];
  let findings: Finding[];
  let reports: CheckovReport[];
  let skips: Skip[];

  beforeAll(async () => {
    if (!existsSync(checkov)) throw new Error(`${checkov} is missing: run \`npm run bootstrap\``);
    const example = await loadConfig("lakesync.config.example.json");
    dir = mkdtempSync(join(tmpdir(), "lakesync-checkov-"));
    stackDirs = synthesizeInto(dir, configOf(example));
    reports = [await runCheckov(join(dir, "stacks"))];
    findings = reports.flatMap((r) => r.results.failed_checks);
    skips = stackDirs.flatMap(skipsIn);
  }, 600_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("parses every stack and runs checks on it", () => {
    expect(reports.every((r) => r.check_type === "terraform_json")).toBe(true);
    expect(reports.reduce((n, r) => n + r.summary.parsing_errors, 0)).toBe(0);
    const checked = new Set(
      reports
        .flatMap((r) => [...r.results.passed_checks, ...r.results.failed_checks])
        .map((f) => stackOf(f.file_abs_path, stackDirs)),
    );
    // checkov 3.3.30 has no checks for the Snowflake provider's resources.
    expect([...checked].sort()).toEqual(
      [...stackDirs].filter((d) => !d.includes("snowflake-account")).sort(),
    );
  });

  it("has no finding that is neither fixed nor suppressed with a reason next to the resource", () => {
    const unsuppressed = findings
      .filter(
        (f) =>
          !skips.some(
            (s) =>
              s.stack === stackOf(f.file_abs_path, stackDirs) &&
              s.resource === resourceName(f.resource) &&
              s.checkId === f.check_id,
          ),
      )
      .map(
        (f) =>
          `${stackOf(f.file_abs_path, stackDirs).split("/").at(-1)} ${f.resource}: ${f.check_id} ${f.check_name}`,
      );
    expect(unsuppressed).toEqual([]);
  });

  it("lists every suppressed check, with its reason, in the README's security section", () => {
    const readme = readFileSync("README.md", "utf8");
    const security = readme.slice(readme.indexOf("### Security"));
    const listed = new Set([...security.matchAll(/^\| (CKV2?_[A-Z]+_\d+) \(/gm)].map((m) => m[1]));
    expect([...new Set(skips.map((s) => s.checkId))].filter((id) => !listed.has(id))).toEqual([]);
  });

  it("suppresses only findings checkov still reports", () => {
    const stale = skips
      .filter(
        (s) =>
          !findings.some(
            (f) =>
              s.stack === stackOf(f.file_abs_path, stackDirs) &&
              s.resource === resourceName(f.resource) &&
              s.checkId === f.check_id,
          ),
      )
      .map((s) => `${s.stack.split("/").at(-1)} ${s.resource}: ${s.checkId}`);
    expect(stale).toEqual([]);
  });
});
