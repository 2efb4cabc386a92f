// The one target resolver: config + flags -> targets (location, mapping, filters, protected admins),
// and the MappingRules of a target for one source.
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../modules/config/load.ts";
import { mappingRules } from "../../modules/config/resolved-target.ts";
import { resolveTargets, SettingsError } from "../../modules/config/targets.ts";

const SRC = "111122223333";
const DR = "444455556666";
const source = { account: SRC, region: "us-east-1" };
const breakGlass = `arn:aws:iam::${DR}:role/BreakGlass`;

const file = (overrides: Record<string, unknown> = {}) => ({
  source: { name: "lake", account: SRC, region: "us-east-1" },
  targets: [
    {
      name: "vault",
      account: DR,
      region: "us-west-2",
      roleArn: `arn:aws:iam::${DR}:role/custom-writer`,
      protectedAdmins: [breakGlass],
      mapping: { buckets: { raw: "raw-vault" } },
    },
    { name: "west", account: SRC, region: "us-west-2" },
  ],
  mapping: { buckets: { raw: "raw-dr", lake: "lake-dr" } },
  filters: { include: ["sales*"], exclude: [] },
  batch: { backupBucket: "backups" },
  ...overrides,
});

describe("resolveTargets with a config", () => {
  const config = parseConfig(file(), "test.json");

  it("protects the configured admins and lakesync's own roles: writer, replicator, batch worker", () => {
    const [vault, west] = resolveTargets(config, {}, source);
    expect(vault!.protectedAdmins).toEqual([
      breakGlass,
      `arn:aws:iam::${DR}:role/custom-writer`,
      `arn:aws:iam::${SRC}:role/lakesync-lake-replicate-role`,
      `arn:aws:iam::${SRC}:role/lakesync-lake-batch-worker-role`,
    ]);
    // Without a configured role the writer is the one TargetAccessStack creates.
    expect(west!.protectedAdmins).toEqual([
      `arn:aws:iam::${SRC}:role/lakesync-lake-west-writer`,
      `arn:aws:iam::${SRC}:role/lakesync-lake-replicate-role`,
      `arn:aws:iam::${SRC}:role/lakesync-lake-batch-worker-role`,
    ]);
  });

  it("takes the replicator role from --replicator-role, else realtime.replicatorRoleArn", () => {
    const ownRole = `arn:aws:iam::${SRC}:role/own-replicator`;
    const withRole = parseConfig(file({ realtime: { replicatorRoleArn: ownRole } }), "test.json");
    expect(resolveTargets(withRole, {}, source)[1]!.protectedAdmins).toContain(ownRole);
    const flagRole = `arn:aws:iam::${SRC}:role/flag-replicator`;
    const [, west] = resolveTargets(withRole, { replicatorRole: flagRole }, source);
    expect(west!.protectedAdmins).toContain(flagRole);
    expect(west!.protectedAdmins).not.toContain(ownRole);
  });

  it("merges the target's mapping over the shared one and the flags over both", () => {
    const [vault, west] = resolveTargets(config, { bucketMap: ["lake=lake-flag"] }, source);
    expect(vault!.mapping.buckets).toEqual({ raw: "raw-vault", lake: "lake-flag" });
    expect(west!.mapping.buckets).toEqual({ raw: "raw-dr", lake: "lake-flag" });
    expect(west!.filters).toEqual({ include: ["sales*"], exclude: [] });
  });

  it("--target picks one; --target-region moves it; another --target-account drops its role", () => {
    const [moved] = resolveTargets(config, { target: "vault", targetRegion: "eu-west-1" }, source);
    expect(moved!.location).toEqual({
      name: "vault",
      account: DR,
      region: "eu-west-1",
      roleArn: `arn:aws:iam::${DR}:role/custom-writer`,
    });
    const [elsewhere] = resolveTargets(config, { target: "west", targetAccount: DR }, source);
    expect(elsewhere!.location).toEqual({ name: "west", account: DR, region: "us-west-2" });
    expect(elsewhere!.protectedAdmins[0]).toBe(`arn:aws:iam::${DR}:role/lakesync-lake-west-writer`);
  });

  it("says which flag is wrong, in one line", () => {
    expect(() => resolveTargets(config, { targetRegion: "eu-west-1" }, source)).toThrow(
      "--target-region/--target-account move one target, the config has 2 (vault, west): pass --target NAME",
    );
    expect(() => resolveTargets(config, { target: "east" }, source)).toThrow(
      'no target named "east" in the config (targets: vault, west)',
    );
    expect(() => resolveTargets(config, { principalMap: ["nope"] }, source)).toThrow(
      '--principal-map: expected SRC=DST, got "nope"',
    );
    expect(() => resolveTargets(config, { target: "west", targetAccount: "12" }, source)).toThrow(
      SettingsError,
    );
  });
});

describe("resolveTargets without a config", () => {
  it("is one target named by the flags, each coordinate defaulting to the source's", () => {
    const replicatorRole = `arn:aws:iam::${SRC}:role/replicator`;
    expect(
      resolveTargets(
        undefined,
        { targetRegion: "us-west-2", bucketMap: ["raw=raw-dr"], replicatorRole },
        source,
      ),
    ).toEqual([
      {
        location: { name: "target", account: SRC, region: "us-west-2" },
        mapping: { buckets: { raw: "raw-dr" }, accounts: {}, principals: {} },
        filters: { include: [], exclude: [] },
        protectedAdmins: [replicatorRole],
      },
    ]);
    expect(resolveTargets(undefined, {}, source)[0]!.location).toEqual({ name: "target", ...source });
    expect(() => resolveTargets(undefined, { target: "dr" }, source)).toThrow(
      /--target: no target named "dr"/,
    );
  });
});

describe("mappingRules", () => {
  it("builds the rules for the given source (an event's, or the configured one) with the protected admins", () => {
    const [vault] = resolveTargets(parseConfig(file(), "test.json"), {}, source);
    const fromEvent = mappingRules(vault!, { account: "999999999999", region: "eu-central-1" });
    expect(fromEvent).toEqual({
      sourceAccount: "999999999999",
      sourceRegion: "eu-central-1",
      targetAccount: DR,
      targetRegion: "us-west-2",
      buckets: { raw: "raw-vault", lake: "lake-dr" },
      accounts: {},
      principals: {},
      filters: { include: ["sales*"], exclude: [] },
      protectedAdmins: vault!.protectedAdmins,
    });
    expect(mappingRules(vault!, source)).toMatchObject({ sourceAccount: SRC, sourceRegion: "us-east-1" });
  });
});

describe("targets[].protectedAdmins in the config", () => {
  it("accepts IAM role and user ARNs and names a bad entry", () => {
    const user = `arn:aws:iam::${DR}:user/ops`;
    const ok = parseConfig(
      file({
        targets: [{ name: "dr", account: DR, region: "us-west-2", protectedAdmins: [breakGlass, user] }],
      }),
      "ok.json",
    );
    expect(ok.targets[0]!.protectedAdmins).toEqual([breakGlass, user]);
    const bad = () =>
      parseConfig(
        file({
          targets: [{ name: "dr", account: DR, region: "us-west-2", protectedAdmins: ["BreakGlass"] }],
        }),
        "bad.json",
      );
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(
      'bad.json: targets[0].protectedAdmins[0]: expected an IAM role or user ARN like "arn:aws:iam::123456789012:role/BreakGlass", got "BreakGlass"',
    );
  });
});
