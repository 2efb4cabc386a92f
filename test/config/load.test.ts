import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  checkConfig,
  effectiveMapping,
  formatPath,
  loadConfig,
  parseConfig,
} from "../../modules/config/load.ts";

const examplePath = new URL("../../lakesync.config.example.json", import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: the cases below edit arbitrary JSON
const example = (): Record<string, any> => JSON.parse(readFileSync(examplePath, "utf8"));

/** The smallest valid file: everything else defaults. */
const minimal = () => ({
  source: { account: "111122223333", region: "us-east-1" },
  targets: [{ name: "dr", account: "111122223333", region: "us-west-2" }],
  batch: { backupBucket: "acme-backups" },
});

/** The issues of a file, as `path: message` lines. */
function problems(data: unknown): string[] {
  const result = checkConfig(data);
  if (result.ok) return [];
  return result.issues.map((issue) => `${issue.path}: ${issue.message}`);
}

describe("the example config", () => {
  it("validates, points editors at the schema and keeps what it says", async () => {
    const config = await loadConfig(examplePath.pathname);
    expect(config.$schema).toBe("./lakesync.config.schema.json");
    expect(config.targets.map((t) => [t.name, t.account, t.region])).toEqual([
      ["dr-west", "111122223333", "us-west-2"],
      ["dr-vault", "444455556666", "us-west-2"],
    ]);
    expect(config.filters).toEqual({
      include: ["sales_*", "marketing", "hr.employees"],
      exclude: ["tmp_*", "sales_scratch.*"],
    });
    expect(config.snowflake?.stages["ANALYTICS.SALES.RAW_STAGE"]).toBe("s3://acme-datalake-raw-use1/sales/");
    expect(config.deployment.backend).toEqual({
      type: "s3",
      bucket: "acme-terraform-state-use1",
      key: "lakesync/terraform.tfstate",
      region: "us-east-1",
    });
  });
});

describe("defaults", () => {
  it("fills every optional section of a minimal file", () => {
    expect(parseConfig(JSON.stringify(minimal()), "min.json")).toEqual({
      source: { name: "source", account: "111122223333", region: "us-east-1" },
      targets: [{ name: "dr", account: "111122223333", region: "us-west-2", protectedAdmins: [] }],
      mapping: { buckets: {}, accounts: {}, principals: {} },
      filters: { include: [], exclude: [] },
      replicate: {
        catalog: true,
        permissions: true,
        lfTags: true,
        dataLakeSettings: true,
        dataCellsFilters: true,
        deletes: true,
      },
      realtime: {
        journalTable: "lakesync-events",
        pollScheduleMinutes: 5,
        lookbackMinutes: 20,
        maxAttempts: 5,
        journalRetentionDays: 30,
      },
      batch: {
        backupBucket: "acme-backups",
        backupPrefix: "lakesync/backups/",
        keepBackups: 14,
        databases: "all",
        syncCatalog: true,
        syncPermissions: true,
        deleteSync: false,
        maxDeleteShare: 0.5,
        concurrency: 8,
      },
      deployment: {
        backend: { type: "local" },
        retention: { logDays: 365, noncurrentObjectDays: 30 },
        alarms: { replicationLagSeconds: 900, eventBridgeSilentHours: 6, subscriptions: [] },
        lambda: {
          runtime: "nodejs22.x",
          architecture: "arm64",
          memoryMb: 512,
          timeoutSeconds: 300,
          traceSdkCalls: false,
        },
        tags: {},
      },
    });
  });

  it("fills defaults inside partly written sections", () => {
    const config = parseConfig(
      {
        ...minimal(),
        realtime: { pollScheduleMinutes: 10, lookbackMinutes: 30 },
        snowflake: {
          account: "ACME-ANALYTICS",
          user: "SVC",
          role: "R",
          warehouse: "WH",
          secretArn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:sf-key",
        },
        deployment: {
          backend: { type: "remote", organization: "acme", workspaces: { prefix: "lakesync-" } },
        },
      },
      "partial.json",
    );
    expect(config.realtime).toEqual({
      journalTable: "lakesync-events",
      pollScheduleMinutes: 10,
      lookbackMinutes: 30,
      maxAttempts: 5,
      journalRetentionDays: 30,
    });
    expect(config.snowflake).toMatchObject({
      databaseSchemaSeparator: "__",
      stages: {},
      dropOnDelete: false,
      compat: false,
    });
    expect(config.deployment.backend).toEqual({
      type: "remote",
      hostname: "app.terraform.io",
      organization: "acme",
      workspaces: { prefix: "lakesync-" },
    });
  });
});

describe("invalid files", () => {
  // Each case: a change to the valid example, and exactly the lines it must produce.
  // biome-ignore lint/suspicious/noExplicitAny: the cases edit arbitrary JSON
  const cases: [string, (c: Record<string, any>) => void, string[]][] = [
    [
      "a short account id",
      (c) => {
        c.targets[1].account = "44445555666";
      },
      ['targets[1].account: expected a 12-digit AWS account id like "123456789012", got "44445555666"'],
    ],
    [
      "a made-up region",
      (c) => {
        c.targets[1].region = "us-west-9x";
      },
      ['targets[1].region: expected an AWS region name like "us-west-2", got "us-west-9x"'],
    ],
    [
      "an account id given as a number",
      (c) => {
        c.source.account = 111122223333;
      },
      ["source.account: expected a string, got 111122223333"],
    ],
    [
      "a missing required field",
      (c) => {
        delete c.batch.backupBucket;
      },
      ["batch.backupBucket: required: expected a string"],
    ],
    [
      "a misspelt field",
      (c) => {
        c.source.acount = c.source.account;
      },
      ["source.acount: unknown field (see lakesync.config.schema.json for the allowed fields)"],
    ],
    [
      "a role that is not an IAM role ARN",
      (c) => {
        c.targets[1].roleArn = "arn:aws:iam::444455556666:user/bob";
      },
      [
        'targets[1].roleArn: expected an IAM role ARN like "arn:aws:iam::123456789012:role/name", got "arn:aws:iam::444455556666:user/bob"',
      ],
    ],
    [
      "an s3:// URL in the bucket map",
      (c) => {
        c.mapping.buckets["s3://acme-raw"] = "acme-raw-usw2";
      },
      [
        'mapping.buckets["s3://acme-raw"]: expected a bucket name only (no s3:// scheme, no key prefix), got "s3://acme-raw"',
      ],
    ],
    [
      "an upper-case bucket name",
      (c) => {
        c.batch.backupBucket = "Acme_Backups";
      },
      [
        'batch.backupBucket: expected a bucket name of lower-case letters, digits, dots and hyphens, got "Acme_Backups"',
      ],
    ],
    [
      "a bucket name shaped like an IP address",
      (c) => {
        c.targets[1].mapping.buckets["acme-datalake-raw-use1"] = "192.168.5.4";
      },
      [
        'targets[1].mapping.buckets["acme-datalake-raw-use1"]: expected a bucket name that is not an IP address, got "192.168.5.4"',
      ],
    ],
    [
      "a bucket name with a reserved suffix",
      (c) => {
        c.batch.backupBucket = "backups-s3alias";
      },
      [
        'batch.backupBucket: expected a bucket name that does not end with the reserved suffix "-s3alias", got "backups-s3alias"',
      ],
    ],
    [
      "a bucket name with adjacent dots",
      (c) => {
        c.batch.backupBucket = "acme..backups";
      },
      ['batch.backupBucket: expected a bucket name without two adjacent dots, got "acme..backups"'],
    ],
    [
      "an account map with a bad id",
      (c) => {
        c.mapping.accounts = { "111122223333": "4444" };
      },
      [
        'mapping.accounts["111122223333"]: expected a 12-digit AWS account id like "123456789012", got "4444"',
      ],
    ],
    [
      "a principal that is neither ARN nor account",
      (c) => {
        c.mapping.principals = { analysts: "arn:aws:iam::444455556666:role/a" };
      },
      [
        'mapping.principals.analysts: expected a principal ARN (arn:aws:iam::123456789012:role/name), a 12-digit account id or IAM_ALLOWED_PRINCIPALS, got "analysts"',
      ],
    ],
    [
      "a glob with upper case and two dots",
      (c) => {
        c.filters.exclude = ["Sales.*", "a.b.c"];
      },
      [
        'filters.exclude[0]: expected a "database" or "database.table" glob of lower-case names with * and ? wildcards, got "Sales.*"',
        'filters.exclude[1]: expected a "database" or "database.table" glob of lower-case names with * and ? wildcards, got "a.b.c"',
      ],
    ],
    [
      "two targets with one name",
      (c) => {
        c.targets[1].name = "dr-west";
      },
      ['targets[1].name: expected a unique target name, "dr-west" is also used by targets[0]'],
    ],
    [
      "two targets in one account and region",
      (c) => {
        c.targets[1] = { name: "dr-again", account: "111122223333", region: "us-west-2" };
      },
      [
        'targets[1].region: expected a unique account and region per target, "111122223333 us-west-2" is also used by targets[0]',
      ],
    ],
    [
      "a target that is the source",
      (c) => {
        c.targets[0].region = "us-east-1";
      },
      [
        "targets[0].region: expected a target that differs from the source (account 111122223333, region us-east-1) in account or region",
      ],
    ],
    [
      "an account map that contradicts the target",
      (c) => {
        c.targets[1].mapping.accounts = { "111122223333": "777788889999" };
      },
      [
        "targets[1].account: targets[1].mapping.accounts maps the source account 111122223333 to 777788889999, but this target's account is 444455556666",
      ],
    ],
    [
      "no targets",
      (c) => {
        c.targets = [];
      },
      ["targets: expected at least one target"],
    ],
    [
      "a lookback shorter than CloudTrail's delivery delay",
      (c) => {
        c.realtime.lookbackMinutes = 10;
      },
      ["realtime.lookbackMinutes: expected at least 15, got 10"],
    ],
    [
      "a lookback that does not cover the poll interval",
      (c) => {
        c.realtime.pollScheduleMinutes = 15;
      },
      [
        "realtime.lookbackMinutes: expected at least realtime.pollScheduleMinutes + 15 (30) so consecutive polls overlap by CloudTrail's delivery delay, got 20",
      ],
    ],
    [
      "a fractional attempt count",
      (c) => {
        c.realtime.maxAttempts = 2.5;
      },
      ["realtime.maxAttempts: expected a whole number, got 2.5"],
    ],
    [
      "a bad alert email",
      (c) => {
        c.realtime.alertEmail = "oncall";
      },
      ['realtime.alertEmail: expected an email address, got "oncall"'],
    ],
    [
      "a schedule that is neither cron nor rate",
      (c) => {
        c.batch.schedule = "daily";
      },
      [
        'batch.schedule: expected an EventBridge schedule like "cron(0 3 * * ? *)" or "rate(1 day)", got "daily"',
      ],
    ],
    [
      "databases spelt ALL",
      (c) => {
        c.batch.databases = "ALL";
      },
      ['batch.databases: expected "all" or a list of database names, got "ALL"'],
    ],
    [
      "a database name with a space",
      (c) => {
        c.batch.databases = ["sales", "Bad Name"];
      },
      [
        'batch.databases[1]: expected a Glue database name (lower-case letters, digits, _ and -), got "Bad Name"',
      ],
    ],
    [
      "an unknown Lambda architecture",
      (c) => {
        c.deployment.lambda.architecture = "arm";
      },
      ['deployment.lambda.architecture: expected "arm64" or "x86_64", got "arm"'],
    ],
    [
      "an unknown backend type",
      (c) => {
        c.deployment.backend = { type: "gcs" };
      },
      ['deployment.backend.type: expected "type" to be "local", "s3", "remote" or "cloud", got "gcs"'],
    ],
    [
      "a backend given as a bare string",
      (c) => {
        c.deployment.backend = "local";
      },
      ['deployment.backend: expected an object like {"type": "local"}, got "local"'],
    ],
    [
      "a remote backend without workspaces",
      (c) => {
        c.deployment.backend = { type: "remote", organization: "acme", workspaces: {} };
      },
      ['deployment.backend.workspaces: expected {"name": "<workspace>"} or {"prefix": "<workspace prefix>"}'],
    ],
    [
      "a Snowflake stage that is not db.schema.stage",
      (c) => {
        c.snowflake.stages = { "SALES.RAW": "s3://acme-raw/sales/" };
      },
      ['snowflake.stages["SALES.RAW"]: expected a stage name "database.schema.stage", got "SALES.RAW"'],
    ],
    [
      "a Snowflake stage URL with a bad bucket",
      (c) => {
        c.snowflake.stages = { "A.B.C": "s3://Acme/sales/" };
      },
      [
        'snowflake.stages["A.B.C"]: expected a bucket name of lower-case letters, digits, dots and hyphens, got "Acme" (in "s3://Acme/sales/")',
      ],
    ],
    [
      "a Snowflake account without the organization",
      (c) => {
        c.snowflake.account = "xy12345";
      },
      ['snowflake.account: expected a Snowflake account identifier "ORGNAME-ACCOUNTNAME", got "xy12345"'],
    ],
    [
      "a tag key in the aws: namespace",
      (c) => {
        c.deployment.tags = { "aws:owner": "me" };
      },
      [
        'deployment.tags["aws:owner"]: expected a tag key of 1-128 characters not starting with "aws:", got "aws:owner"',
      ],
    ],
  ];

  it.each(cases)("reports %s", (_name, change, expected) => {
    const config = example();
    change(config);
    expect(problems(config)).toEqual(expected);
  });

  it("lists every problem at once, one line each, naming the file", () => {
    const config = example();
    delete config.source.account;
    config.targets[1].region = "mars-1";
    config.batch.concurrency = 0;
    expect(() => parseConfig(JSON.stringify(config), "prod/lakesync.config.json")).toThrow(ConfigError);
    try {
      parseConfig(config, "prod/lakesync.config.json");
    } catch (error) {
      expect((error as ConfigError).message.split("\n")).toEqual([
        "prod/lakesync.config.json: source.account: required: expected a string",
        'prod/lakesync.config.json: targets[1].region: expected an AWS region name like "us-west-2", got "mars-1"',
        "prod/lakesync.config.json: batch.concurrency: expected at least 1, got 0",
      ]);
      expect((error as ConfigError).file).toBe("prod/lakesync.config.json");
    }
  });

  it("reports JSON syntax errors and missing sections", () => {
    // Node 22 appends "(line 1 column 3)" to JSON.parse's message; Node 20 does not.
    expect(problems("{ source: 1 }")).toEqual([
      expect.stringMatching(/^\(root\): invalid JSON: Expected property name or '}' in JSON at position 2/),
    ]);
    expect(problems({})).toEqual([
      "source: required: expected an object",
      "targets: required: expected an array",
      "batch: required: expected an object",
    ]);
    expect(problems([])).toEqual(["(root): expected an object, got an array"]);
  });

  it("names a file that cannot be read", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lakesync-config-"));
    await expect(loadConfig(join(dir, "missing.json"))).rejects.toThrow(
      `${join(dir, "missing.json")}: (root): cannot read the config: file not found`,
    );
    await writeFile(join(dir, "ok.json"), JSON.stringify(minimal()));
    expect((await loadConfig(join(dir, "ok.json"))).batch.backupBucket).toBe("acme-backups");
  });
});

describe("formatPath", () => {
  it("writes paths the way the file reads", () => {
    expect(formatPath(["targets", 1, "region"])).toBe("targets[1].region");
    expect(formatPath(["mapping", "buckets", "a.b-c"])).toBe('mapping.buckets["a.b-c"]');
    expect(formatPath([])).toBe("(root)");
  });
});

describe("effectiveMapping", () => {
  it("merges each target's maps over the top-level maps, target entries winning", () => {
    const config = parseConfig(example(), "example.json");
    expect(effectiveMapping(config, "dr-west")).toEqual({
      buckets: {
        "acme-datalake-raw-use1": "acme-datalake-raw-usw2",
        "acme-datalake-curated-use1": "acme-datalake-curated-usw2",
      },
      accounts: {},
      principals: {},
    });
    const vault = config.targets[1]!;
    expect(effectiveMapping(config, vault)).toEqual({
      buckets: {
        "acme-datalake-raw-use1": "acme-dr-datalake-raw-usw2",
        "acme-datalake-curated-use1": "acme-dr-datalake-curated-usw2",
      },
      accounts: {},
      principals: { "arn:aws:iam::111122223333:role/analysts": "arn:aws:iam::444455556666:role/dr-analysts" },
    });
  });

  it("keeps top-level entries the target does not override", () => {
    const config = parseConfig(
      {
        ...minimal(),
        mapping: {
          buckets: { "raw-use1": "raw-usw2", "logs-use1": "logs-usw2" },
          principals: { "111122223333": "444455556666" },
        },
        targets: [
          {
            name: "dr",
            account: "111122223333",
            region: "us-west-2",
            mapping: { buckets: { "raw-use1": "raw-dr" } },
          },
        ],
      },
      "merge.json",
    );
    expect(effectiveMapping(config, "dr")).toEqual({
      buckets: { "raw-use1": "raw-dr", "logs-use1": "logs-usw2" },
      accounts: {},
      principals: { "111122223333": "444455556666" },
    });
    expect(() => effectiveMapping(config, "nope")).toThrow(
      'no target named "nope" in the config (targets: dr)',
    );
  });
});
