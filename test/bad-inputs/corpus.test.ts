// Runs the bad-input corpus (the *.json files beside this one) through the real CLI against local
// AWS. Every input must end clearly: refused with exit 1 and one stderr line that names the field,
// file or flag (no stack trace), or a stated terminal outcome; and nothing may be written: the
// target catalog and the backup bucket are compared before and after the whole corpus.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { CreateDatabaseCommand, CreatePartitionCommand } from "@aws-sdk/client-glue";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalFaults } from "../../modules/local/faults.ts";
import { createSampleCatalog, snapshot } from "../batch/catalog-support.ts";
import { cli } from "../support/cli.ts";
import { client, endpoint, testLocation } from "../support/local-aws.ts";
import { type BadInputCase, type FileSpec, loadCorpus } from "./corpus.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const corpus = loadCorpus(here);
const dir = mkdtempSync(join(tmpdir(), "lakesync-bad-inputs-"));

// source: the sample lake; target: the sample lake too, so a wrongful write or delete shows;
// tiny: one database (a sync --delete from it deletes most of the target); empty: no catalog.
const source = testLocation("us-east-1");
const target = testLocation("us-west-2");
const tiny = testLocation("us-east-1");
const empty = testLocation("us-east-1");
// Targets without permissions (local AWS answers as AWS does, see the access-denied fault kind):
// unassumable: its role cannot be assumed; denied: the role is assumed but may not call Glue or
// Lake Formation. Each holds one database, which must be there, unchanged, after the corpus.
const unassumable = testLocation("us-west-2");
const denied = testLocation("us-west-2");
const faults = new LocalFaults(endpoint());
const permissionsScope = `bad-inputs-permissions-${process.pid}`;
const backupBucket = `lakesync-bad-inputs-${source.account}`;
const s3 = client("s3", source);

/** Backup variants the corpus names as {backup:NAME}: each a copy of one good backup, damaged. */
const backups = new Map<string, string>();

const placeholders = (): Record<string, string> => ({
  "source.account": source.account,
  "source.region": source.region,
  "target.account": target.account,
  "target.region": target.region,
  "tiny.account": tiny.account,
  "empty.account": empty.account,
  "unassumable.account": unassumable.account,
  "denied.account": denied.account,
  bucket: backupBucket,
  dir,
});

function fill(text: string, files: Record<string, string>): string {
  const values = placeholders();
  return text.replace(/\{(file|backup):([^}]+)\}|\{([a-z.]+)\}/g, (whole, kind, name, key) => {
    if (kind === "file") return files[name] ?? whole;
    if (kind === "backup") {
      const url = backups.get(name);
      if (!url) throw new Error(`no backup variant ${name}`);
      return url;
    }
    return values[key] ?? whole;
  });
}

function fillDeep(value: unknown, files: Record<string, string>): unknown {
  if (typeof value === "string") return fill(value, files);
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, files));
  // {"$repeat": "d", "times": 2000000}: a long value without a long data file.
  if (value && typeof value === "object" && "$repeat" in value) {
    const { $repeat, times } = value as { $repeat: string; times: number };
    return $repeat.repeat(times);
  }
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, files)]));
  return value;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown, remove = false): void {
  const parts = path.split(".");
  let node: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) {
    if (node[part] === null || typeof node[part] !== "object") node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  const last = parts.at(-1)!;
  if (remove) delete node[last];
  else node[last] = value;
}

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(
      name === "config"
        ? join(here, "../../lakesync.config.example.json")
        : join(here, `../fixtures/cloudtrail/${name}.json`),
      "utf8",
    ),
  );

function render(spec: FileSpec, files: Record<string, string>): Buffer | "dir" {
  if ("dir" in spec) return "dir";
  if ("text" in spec) return Buffer.from(fill(spec.text, files));
  if ("repeat" in spec) return Buffer.from(spec.repeat.repeat(spec.times));
  if ("gzip" in spec) {
    const inner = render(spec.gzip, files);
    if (inner === "dir") throw new Error("cannot gzip a directory");
    const zipped = gzipSync(inner);
    return spec.truncate ? zipped.subarray(0, spec.truncate) : zipped;
  }
  if ("fixture" in spec) {
    const record = fixture(spec.fixture);
    for (const [path, value] of Object.entries(spec.set ?? {})) setPath(record, path, fillDeep(value, files));
    for (const path of spec.unset ?? []) setPath(record, path, undefined, true);
    const copies = Array.from({ length: spec.copies ?? 1 }, (_, i) =>
      spec.copies
        ? { ...record, eventID: `${String(record.eventID).slice(0, 28)}${String(i).padStart(8, "0")}` }
        : record,
    );
    const wrapped =
      spec.wrap === "records"
        ? { Records: copies }
        : spec.wrap === "array"
          ? copies
          : spec.wrap === "eventbridge"
            ? {
                "detail-type": "AWS API Call via CloudTrail",
                source: "aws.glue",
                account: record.recipientAccountId,
                detail: record,
              }
            : spec.wrap === "lookup-entry"
              ? {
                  EventId: record.eventID,
                  EventName: record.eventName,
                  CloudTrailEvent: JSON.stringify(record),
                }
              : spec.wrap === "lookup-page"
                ? { Events: copies.map((r) => ({ EventId: r.eventID, CloudTrailEvent: JSON.stringify(r) })) }
                : record;
    return Buffer.from(JSON.stringify(wrapped));
  }
  return Buffer.from(JSON.stringify(fillDeep(spec.json, files)));
}

let written = 0;
function materialise(testCase: BadInputCase): Record<string, string> {
  const files: Record<string, string> = {};
  const folder = join(dir, String(written++));
  mkdirSync(folder);
  for (const name of Object.keys(testCase.files ?? {})) files[name] = join(folder, name);
  for (const [name, spec] of Object.entries(testCase.files ?? {})) {
    const body = render(spec, files);
    if (body === "dir") mkdirSync(files[name]!);
    else writeFileSync(files[name]!, body);
  }
  return files;
}

const listBucket = async () =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: backupBucket }))).Contents ?? [])
    .map((o) => `${o.Key} ${o.ETag}`)
    .sort();

async function makeBackupVariants(): Promise<void> {
  const made = await cli([
    "backup",
    "--source-region",
    source.region,
    "--source-account",
    source.account,
    "--bucket",
    backupBucket,
    "--prefix",
    "good/",
    "--json",
  ]);
  if (made.code !== 0) throw new Error(`backup for the corpus failed: ${made.stderr}`);
  const { url } = JSON.parse(made.stdout) as { url: string };
  const folder = url.replace(`s3://${backupBucket}/`, "");
  backups.set("good", url);
  const tinyBackup = await cli([
    "backup",
    "--source-region",
    tiny.region,
    "--source-account",
    tiny.account,
    "--bucket",
    backupBucket,
    "--prefix",
    "tiny/",
    "--json",
  ]);
  if (tinyBackup.code !== 0) throw new Error(`backup for the corpus failed: ${tinyBackup.stderr}`);
  backups.set("one-database", (JSON.parse(tinyBackup.stdout) as { url: string }).url);
  const keys = (
    (await s3.send(new ListObjectsV2Command({ Bucket: backupBucket, Prefix: folder }))).Contents ?? []
  ).map((o) => o.Key!);
  const read = async (key: string) =>
    Buffer.from(
      await (
        await s3.send(new GetObjectCommand({ Bucket: backupBucket, Key: key }))
      ).Body!.transformToByteArray(),
    );
  const manifestKey = keys.find((k) => k.endsWith("manifest.json"))!;
  const manifest = JSON.parse((await read(manifestKey)).toString("utf8")) as {
    formatVersion: number;
    parts: { name: string; sha256: string; records: number }[];
  };
  const firstPart = manifest.parts[0]!;
  const partBody = await read(`${folder}${firstPart.name}`);
  const { createHash } = await import("node:crypto");
  const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

  /** A copy of the good backup under damaged/<name>/, with `change` applied to its objects. */
  const variant = async (
    name: string,
    change: (objects: Map<string, Buffer | undefined>, m: typeof manifest) => void,
  ) => {
    const to = folder.replace(/^good\//, `damaged-${name}/`);
    const objects = new Map<string, Buffer | undefined>();
    for (const key of keys) objects.set(key.slice(folder.length), await read(key));
    const m = structuredClone(manifest);
    const manifestBefore = JSON.stringify(m);
    change(objects, m);
    // A change to the manifest's fields is written back; a change to its bytes is kept as made.
    if (JSON.stringify(m) !== manifestBefore) objects.set("manifest.json", Buffer.from(JSON.stringify(m)));
    for (const [key, body] of objects)
      if (body !== undefined)
        await s3.send(new PutObjectCommand({ Bucket: backupBucket, Key: `${to}${key}`, Body: body }));
    backups.set(name, `s3://${backupBucket}/${to}`);
  };
  const { gunzipSync } = await import("node:zlib");
  const withLines = (m: typeof manifest, objects: Map<string, Buffer | undefined>, lines: string[]) => {
    const body = gzipSync(Buffer.from(lines.join("\n")));
    objects.set(firstPart.name, body);
    m.parts[0] = { ...firstPart, sha256: sha(body), records: lines.filter(Boolean).length };
  };
  const goodLines = gunzipSync(partBody).toString("utf8").split("\n");
  await variant("bad-checksum", (objects) => {
    const body = Buffer.from(partBody);
    body[body.length - 5] = (body[body.length - 5]! + 1) % 256;
    objects.set(firstPart.name, body);
  });
  await variant("truncated-part", (objects, m) => {
    const body = partBody.subarray(0, Math.floor(partBody.length / 2));
    objects.set(firstPart.name, body);
    m.parts[0] = { ...firstPart, sha256: sha(body) };
  });
  await variant("future-format", (_objects, m) => {
    m.formatVersion = 9;
  });
  await variant("missing-part", (objects) => objects.delete(firstPart.name));
  await variant("no-manifest", (objects) => objects.set("manifest.json", undefined));
  await variant("manifest-not-json", (objects) => objects.set("manifest.json", Buffer.from("{ not json")));
  await variant("record-not-json", (objects, m) => withLines(m, objects, ["{oops", ...goodLines.slice(1)]));
  await variant("record-unknown-kind", (objects, m) =>
    withLines(m, objects, ['{"kind":"bogus","key":"x","value":{}}', ...goodLines.slice(1)]),
  );
  await variant("record-missing-name", (objects, m) =>
    withLines(m, objects, [
      ...goodLines.slice(0, 1),
      '{"kind":"database","key":"x","value":{}}',
      ...goodLines.slice(1),
    ]),
  );
  await variant("record-count-mismatch", (_objects, m) => {
    m.parts[0] = { ...firstPart, records: firstPart.records + 1 };
  });
  await variant("bad-sha-format", (_objects, m) => {
    m.parts[0] = { ...firstPart, sha256: "xyz" };
  });
}

const stackTrace = /^\s+at .+[(:]\d+/m;
const outcomes = { refused: 0, terminal: 0 };
let tried = 0;
let before: { target: string; bucket: string[]; withoutPermissions: string };

beforeAll(async () => {
  await Promise.all([createSampleCatalog(source), createSampleCatalog(target)]);
  await client("glue", tiny).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "only_db" } }));
  // A hostile partition value in the source: the diff must print it on one line, escaped.
  await client("glue", source).send(
    new CreatePartitionCommand({
      DatabaseName: "sampledb",
      TableName: "elb_logs",
      PartitionInput: { Values: ["2026\n+ table sampledb/forged", "01"] },
    }),
  );
  await s3.send(new CreateBucketCommand({ Bucket: backupBucket }));
  await makeBackupVariants();
  for (const location of [unassumable, denied])
    await client("glue", location).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "kept_db" } }));
  before = {
    target: JSON.stringify(await snapshot(target)),
    bucket: await listBucket(),
    withoutPermissions: JSON.stringify([await snapshot(unassumable), await snapshot(denied)]),
  };
  await faults.set(permissionsScope, [
    { kind: "access-denied", operation: "AssumeRole", account: unassumable.account },
    { kind: "access-denied", service: ["glue", "lakeformation"], account: denied.account },
  ]);
}, 120_000);

afterAll(async () => {
  await faults.clear(permissionsScope);
  // The README's "bad inputs tried" figure comes from this line.
  process.stdout.write(
    `bad-input corpus: ${tried} inputs tried in ${corpus.length} categories: ${outcomes.refused} refused with one line (exit 1), ${outcomes.terminal} clear terminal outcomes\n`,
  );
});

for (const category of corpus) {
  describe(`bad inputs: ${category.category}`, () => {
    // One test per category keeps the run short (the cases share the process and local AWS).
    it(`${category.cases.length} inputs end clearly (${category.about})`, async () => {
      const problems: string[] = [];
      for (const testCase of category.cases) {
        const files = materialise(testCase);
        const run = await cli(testCase.args.map((arg) => fill(arg, files)));
        tried += 1;
        const stderrLines = run.stderr.split("\n").filter((l) => l.trim() !== "");
        const stdoutLines = run.stdout.split("\n").filter((l) => l.trim() !== "");
        const expectedStderrLines = testCase.stderrLines ?? (testCase.exit === 1 ? 1 : 0);
        const wrong: string[] = [];
        if (run.code !== testCase.exit) wrong.push(`exit ${run.code}, expected ${testCase.exit}`);
        if (stackTrace.test(run.stderr) || stackTrace.test(run.stdout)) wrong.push("printed a stack trace");
        if (stderrLines.length !== expectedStderrLines)
          wrong.push(`${stderrLines.length} stderr line(s), expected ${expectedStderrLines}`);
        if (testCase.stderr && !new RegExp(fill(testCase.stderr, files)).test(run.stderr))
          wrong.push(`stderr does not match /${testCase.stderr}/`);
        if (testCase.stdout && !new RegExp(testCase.stdout).test(run.stdout))
          wrong.push(`stdout does not match /${testCase.stdout}/`);
        if (testCase.stdoutLines !== undefined && stdoutLines.length !== testCase.stdoutLines)
          wrong.push(`${stdoutLines.length} stdout line(s), expected ${testCase.stdoutLines}`);
        if (wrong.length > 0) {
          problems.push(
            `${testCase.name}: ${wrong.join("; ")}\n    stderr: ${run.stderr.slice(0, 400)}\n    stdout: ${run.stdout.slice(0, 300)}`,
          );
        } else if (testCase.exit === 1) outcomes.refused += 1;
        else outcomes.terminal += 1;
      }
      expect(problems, problems.join("\n")).toEqual([]);
    }, 120_000);
  });
}

describe("bad inputs: nothing written", () => {
  it("left the target catalog and the backup bucket as they were", async () => {
    expect(JSON.stringify(await snapshot(target))).toBe(before.target);
    expect(await listBucket()).toEqual(before.bucket);
  });

  it("left the targets without permissions as they were", async () => {
    await faults.clear(permissionsScope);
    expect(JSON.stringify([await snapshot(unassumable), await snapshot(denied)])).toBe(
      before.withoutPermissions,
    );
  });
});
