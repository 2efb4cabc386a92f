// CLI flags and config -> source, targets and MappingRules for the batch commands (pure).
import { describe, expect, it } from "vitest";
import { BATCH_ENV, parseBatchEnv } from "../../modules/batch/env.ts";
import { describeDifference, syncedKinds } from "../../modules/batch/reconcile.ts";
import { parseDatabases, resolveBatchSettings } from "../../modules/batch/settings.ts";
import { parseConfig } from "../../modules/config/load.ts";
import { parsePairs } from "../../modules/config/targets.ts";

const source = "111122223333";
const other = "444455556666";

describe("resolveBatchSettings without a config file", () => {
  it("turns override flags into one target with its MappingRules", () => {
    const settings = resolveBatchSettings(
      undefined,
      {
        sourceRegion: "us-east-1",
        sourceAccount: source,
        targetRegion: "eu-west-1",
        targetAccount: other,
        bucketMap: ["lake=lake-dr", "raw=raw-dr"],
        principalMap: [`arn:aws:iam::${source}:role/analyst=arn:aws:iam::${other}:role/dr-analyst`],
        databases: "sales, hr",
        delete: true,
        bucket: "backups",
        prefix: "bk",
      },
      { needTargets: true },
    );
    expect(settings.source).toEqual({ name: "source", account: source, region: "us-east-1" });
    expect(settings.targets).toEqual([
      {
        location: { name: "target", account: other, region: "eu-west-1" },
        rules: {
          sourceAccount: source,
          sourceRegion: "us-east-1",
          targetAccount: other,
          targetRegion: "eu-west-1",
          buckets: { lake: "lake-dr", raw: "raw-dr" },
          accounts: {},
          principals: { [`arn:aws:iam::${source}:role/analyst`]: `arn:aws:iam::${other}:role/dr-analyst` },
          filters: { include: [], exclude: [] },
          protectedAdmins: [],
        },
      },
    ]);
    expect(settings).toMatchObject({
      databases: ["sales", "hr"],
      deleteSync: true,
      backup: { bucket: "backups", prefix: "bk/", keep: 14 },
    });
  });

  it("defaults the target account to the source's and the source account to the caller's", () => {
    const settings = resolveBatchSettings(
      undefined,
      { sourceRegion: "us-east-1", targetRegion: "us-west-2" },
      { needTargets: true, callerAccount: source },
    );
    expect(settings.targets[0]?.location).toEqual({ name: "target", account: source, region: "us-west-2" });
    expect(settings.deleteSync).toBe(false);
    expect(settings.databases).toBe("all");
  });

  it("says what is missing or malformed", () => {
    expect(() => resolveBatchSettings(undefined, { sourceAccount: source }, { needTargets: false })).toThrow(
      /no source region/,
    );
    expect(() =>
      resolveBatchSettings(
        undefined,
        { sourceRegion: "us-east-1", sourceAccount: source },
        { needTargets: true },
      ),
    ).toThrow(/no target/);
    expect(() =>
      resolveBatchSettings(
        undefined,
        { sourceRegion: "us-east-1", sourceAccount: source, targetRegion: "us-east-1" },
        { needTargets: true },
      ),
    ).toThrow(/is the source/);
    expect(() =>
      resolveBatchSettings(
        undefined,
        { sourceRegion: "us-east-1", sourceAccount: "12" },
        { needTargets: false },
      ),
    ).toThrow(/12-digit/);
    expect(() => parsePairs(["nobucket"], "--bucket-map")).toThrow(/--bucket-map: expected SRC=DST/);
    expect(() =>
      resolveBatchSettings(
        undefined,
        { sourceRegion: "us-east-1", sourceAccount: source, keep: "0" },
        { needTargets: false },
      ),
    ).toThrow(/--keep/);
  });

  it("parses --databases", () => {
    expect(parseDatabases("all")).toBe("all");
    expect(parseDatabases("a,b")).toEqual(["a", "b"]);
    expect(parseDatabases(undefined)).toBeUndefined();
    expect(() => parseDatabases(" , ")).toThrow(/--databases/);
  });
});

describe("resolveBatchSettings with a config file", () => {
  const configFile = {
    source: { account: source, region: "us-east-1" },
    targets: [
      {
        name: "dr-west",
        account: source,
        region: "us-west-2",
        mapping: { buckets: { lake: "lake-west" } },
      },
      {
        name: "dr-eu",
        account: other,
        region: "eu-west-1",
        roleArn: `arn:aws:iam::${other}:role/lakesync`,
      },
    ],
    mapping: { buckets: { lake: "lake-dr" }, principals: {} },
    filters: { include: ["sales*"], exclude: [] },
    batch: {
      backupBucket: "backups",
      keepBackups: 3,
      databases: ["sales"],
      deleteSync: true,
      syncPermissions: false,
    },
  };
  const config = parseConfig(configFile, "test.json");

  it("uses every configured target with its effective mapping, flags merged over it", () => {
    const settings = resolveBatchSettings(config, { bucketMap: ["raw=raw-dr"] }, { needTargets: true });
    expect(settings.targets.map((t) => t.location.name)).toEqual(["dr-west", "dr-eu"]);
    expect(settings.targets[0]?.rules.buckets).toEqual({ lake: "lake-west", raw: "raw-dr" });
    expect(settings.targets[1]?.rules.buckets).toEqual({ lake: "lake-dr", raw: "raw-dr" });
    expect(settings.targets[1]?.location.roleArn).toBe(`arn:aws:iam::${other}:role/lakesync`);
    expect(settings.targets[0]?.rules.filters.include).toEqual(["sales*"]);
    expect(settings).toMatchObject({
      databases: ["sales"],
      deleteSync: true,
      syncPermissions: false,
      backup: { bucket: "backups", prefix: "lakesync/backups/", keep: 3 },
    });
  });

  it("chooses one target with --target and lets flags override the file", () => {
    const settings = resolveBatchSettings(
      config,
      { target: "dr-eu", databases: "all", delete: false, sourceRegion: "us-east-2" },
      { needTargets: true },
    );
    expect(settings.targets.map((t) => t.location.name)).toEqual(["dr-eu"]);
    expect(settings).toMatchObject({ databases: "all", deleteSync: false, source: { region: "us-east-2" } });
    expect(() => resolveBatchSettings(config, { target: "nope" }, { needTargets: true })).toThrow(
      /no target named "nope"/,
    );
  });

  /** The targets as the batch handlers read them back from the environment the stack writes. */
  const throughHandlerEnvironment = (targets: unknown) =>
    parseBatchEnv({
      [BATCH_ENV.sourceAccount]: source,
      [BATCH_ENV.sourceRegion]: "us-east-1",
      [BATCH_ENV.backupBucket]: "backups",
      [BATCH_ENV.targets]: JSON.stringify(targets),
    }).targets;

  it("gives each target's rules its protected admins, which survive the batch handlers' environment", () => {
    const settings = resolveBatchSettings(config, {}, { needTargets: true });
    const eu = settings.targets[1]!;
    expect(eu.rules.protectedAdmins).toEqual([
      `arn:aws:iam::${other}:role/lakesync`,
      `arn:aws:iam::${source}:role/lakesync-source-replicate-role`,
      `arn:aws:iam::${source}:role/lakesync-source-batch-worker-role`,
    ]);
    expect(throughHandlerEnvironment(settings.targets)).toEqual(settings.targets);
  });

  it("keeps a target's Iceberg mode through the batch handlers' environment", () => {
    // The scheduled job once dropped it there, and rewrote Iceberg trees a target set to skip.
    const withIceberg = parseConfig(
      { ...configFile, targets: configFile.targets.map((t) => ({ ...t, iceberg: "pointer-only" })) },
      "test.json",
    );
    const settings = resolveBatchSettings(withIceberg, {}, { needTargets: true });
    expect(settings.targets.map((t) => t.rules.iceberg)).toEqual(["pointer-only", "pointer-only"]);
    expect(throughHandlerEnvironment(settings.targets)).toEqual(settings.targets);
  });

  it("with one configured target, --target-region moves it and keeps its mapping", () => {
    const one = parseConfig({ ...configFile, targets: [configFile.targets[0]] }, "one.json");
    const settings = resolveBatchSettings(one, { targetRegion: "eu-west-1" }, { needTargets: true });
    expect(settings.targets.map((t) => [t.location, t.rules.buckets])).toEqual([
      [{ name: "dr-west", account: source, region: "eu-west-1" }, { lake: "lake-west" }],
    ]);
    expect(() => resolveBatchSettings(config, { targetRegion: "eu-west-1" }, { needTargets: true })).toThrow(
      /pass --target NAME/,
    );
  });

  it("leaves permissions out of the synced kinds when syncPermissions is off", () => {
    expect(syncedKinds({ syncCatalog: true, syncPermissions: true })).toBeUndefined();
    expect(syncedKinds({ syncCatalog: true, syncPermissions: false })).not.toContain("permission");
    expect(syncedKinds({ syncCatalog: false, syncPermissions: true })).not.toContain("table");
  });
});

describe("describeDifference", () => {
  it("marks creates, updates and kept deletes", () => {
    const value = { Name: "x" };
    expect(
      describeDifference({
        kind: "database",
        key: "x",
        change: "create",
        source: value,
        desired: value,
        kept: false,
      }),
    ).toBe("+ database x");
    expect(
      describeDifference({ kind: "database", key: "x", change: "delete", target: value, kept: true }),
    ).toBe("- database x (kept: delete-sync off)");
  });
});
