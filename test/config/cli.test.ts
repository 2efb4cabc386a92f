import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configJsonSchema } from "../../modules/config/json-schema.ts";
import { cli } from "../support/cli.ts";

const examplePath = fileURLToPath(new URL("../../lakesync.config.example.json", import.meta.url));
const lakesync = async (...args: string[]) => {
  const { code, stdout, stderr } = await cli(args);
  return { code, stdout, stderr };
};
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/config/${name}`, import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "lakesync-config-cli-"));
});
afterEach(() => {
  process.exitCode = undefined;
});

describe("lakesync config validate", () => {
  it("accepts the example and summarises it", async () => {
    expect(await lakesync("config", "validate", examplePath)).toEqual({
      code: 0,
      stdout: `${examplePath} is valid: source 111122223333 us-east-1 → dr-west (111122223333 us-west-2), dr-vault (444455556666 us-west-2)\n`,
      stderr: "",
    });
  });

  it("exits 1 listing every problem, one per line", async () => {
    const file = join(dir, "bad.json");
    const config = JSON.parse(readFileSync(examplePath, "utf8"));
    config.targets[1].region = "us-west-9x";
    config.batch.keepBackups = 0;
    await writeFile(file, JSON.stringify(config));
    const result = await lakesync("config", "validate", file);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")).toEqual([
      `lakesync: ${file} is not valid (2 problems):`,
      `${file}: targets[1].region: expected an AWS region name like "us-west-2", got "us-west-9x"`,
      `${file}: batch.keepBackups: expected at least 1, got 0`,
      "",
    ]);
  });

  it("reports as JSON with --json", async () => {
    const file = join(dir, "bad.json");
    await writeFile(file, JSON.stringify({ source: { account: "1", region: "us-east-1" } }));
    const result = await lakesync("config", "validate", file, "--json");
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      file,
      valid: false,
      issues: [
        {
          path: "source.account",
          message: 'expected a 12-digit AWS account id like "123456789012", got "1"',
        },
        { path: "targets", message: "required: expected an array" },
        { path: "batch", message: "required: expected an object" },
      ],
    });
    expect(result.stderr).toBe(`lakesync: ${file} is not valid (3 problems)\n`);
    expect(JSON.parse((await lakesync("config", "validate", examplePath, "--json")).stdout)).toEqual({
      file: examplePath,
      valid: true,
      issues: [],
    });
  });

  it("reads ./lakesync.config.json by default", async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await lakesync("config", "validate")).toEqual({
        code: 1,
        stdout: "",
        stderr: "lakesync: lakesync.config.json: file not found\n",
      });
      await writeFile(join(dir, "lakesync.config.json"), readFileSync(examplePath));
      expect((await lakesync("config", "validate")).code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe("lakesync config schema", () => {
  it("prints the JSON Schema", async () => {
    const result = await lakesync("config", "schema");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(configJsonSchema());
  });
});

describe("lakesync config import", () => {
  it("prints the draft and warns about each unmapped item on stderr", async () => {
    const seed = fixture("glue-lf-config.conf");
    const result = await lakesync("config", "import", seed);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      source: { region: "us-east-1" },
      targets: [{ name: "dr-us-west-2", region: "us-west-2" }],
      realtime: { lookbackMinutes: 60 },
    });
    expect(result.stderr.split("\n")).toEqual([
      "warning: source.account: required, and the seed files have no account ids (the seeds ran inside the source account): set the source's 12-digit account id",
      "warning: targets[0].account: required, and the seed files have no account ids (the seeds replicated within one account): set it to the source account for a same-account DR copy, or to the DR account",
      "warning: batch.backupBucket: required, and the realtime seed made no backups: name the S3 bucket for lakesync's catalog backups",
      `imported the realtime seed config ${seed}: printed the draft; 3 item(s) not mapped; fill in the fields above, then run \`lakesync config validate\``,
      "",
    ]);
  });

  it("imports the data-mesh seed's variables.json into a mesh section", async () => {
    const seed = fixture("variables.json");
    const result = await lakesync("config", "import", seed);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).mesh).toMatchObject({
      lfTags: { joe_test: ["test_demo_tag"] },
      consumers: [{ account: "901228589034", resourceLinks: { database: "joe_consumer_catalog_db" } }],
    });
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^warning: mesh\.central\.account: required/);
    expect(lines.at(-1)).toBe(
      `imported the mesh seed config ${seed}: printed the draft; 12 item(s) not mapped; fill in the fields above, then run \`lakesync config validate\``,
    );
  });

  it("prints {config, unmapped} with --json", async () => {
    const result = await lakesync("config", "import", fixture("glue_config.conf"), "--json");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(["config", "unmapped"]);
    expect(report.config.batch.backupBucket).toBe("s3use1src");
    expect(report.unmapped.map((u: { key: string }) => u.key)).toEqual([
      "DEFAULT.aws_region_list",
      "Operation.delete_target_catalog_objects",
      "AwsDataCatalog.backup_file_filename",
      "LakeFormationPermissions.lf_storage_bucket",
      "LakeFormationPermissions.lf_storage_file_folder",
      "LakeFormationPermissions.lf_storage_file_name",
      "source.account",
      "targets[0].account",
    ]);
  });

  it("writes the draft with --out, and will not overwrite without --force", async () => {
    const out = join(dir, "lakesync.config.json");
    const first = await lakesync("config", "import", fixture("glue_config.conf"), "--out", out);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe("");
    expect(first.stderr).toContain(`wrote ${out}; 8 item(s) not mapped`);
    const written = JSON.parse(readFileSync(out, "utf8"));
    expect(written.$schema).toBe("./lakesync.config.schema.json");
    expect(written.mapping.buckets).toEqual({
      "mybucket-us-east1": "mybucket-ap-south-1",
      "sampledb-data-use1": "sampledb-data-aps1",
    });

    const again = await lakesync("config", "import", fixture("glue_config.conf"), "--out", out);
    expect(again).toEqual({
      code: 1,
      stdout: "",
      stderr: `lakesync: ${out} exists; pass --force to overwrite it\n`,
    });
    expect(
      (await lakesync("config", "import", fixture("glue-lf-config.conf"), "--out", out, "--force")).code,
    ).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).realtime).toEqual({ lookbackMinutes: 60 });

    // The written draft fails validation exactly on the fields the import reported.
    const validation = await lakesync("config", "validate", out, "--json");
    expect(validation.code).toBe(1);
    expect(JSON.parse(validation.stdout).issues.map((i: { path: string }) => i.path)).toEqual([
      "source.account",
      "targets[0].account",
      "batch.backupBucket",
    ]);
  });

  it("explains files it cannot import", async () => {
    const missing = join(dir, "missing.conf");
    expect(await lakesync("config", "import", missing)).toEqual({
      code: 1,
      stdout: "",
      stderr: `lakesync: ${missing}: file not found\n`,
    });
    const broken = join(dir, "broken.conf");
    await writeFile(broken, "source_region = us-east-1\n");
    expect(await lakesync("config", "import", broken)).toEqual({
      code: 1,
      stdout: "",
      stderr: `lakesync: ${broken}: line 1: option outside any [section]: "source_region = us-east-1"\n`,
    });
    expect(existsSync(join(dir, "lakesync.config.json"))).toBe(false);
  });
});
