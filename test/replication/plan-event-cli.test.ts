// `lakesync plan-event`: the dry run prints, per event, exactly
// {eventId, eventName, outcome, reason?, operations:[{region, account, service, operation, input}]}.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cli } from "../support/cli.ts";
import { DST, fixturePath, rawFixture, replicatorRoleArn, SRC } from "./fixtures.ts";

const run = cli;

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

const lines = (text: string) =>
  text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

afterEach(() => vi.restoreAllMocks());

describe("lakesync plan-event --json", () => {
  it("prints exactly the documented keys, mapped by the flags", async () => {
    const { code, stdout } = await run([
      "plan-event",
      "--event",
      fixturePath("CreateDatabase"),
      "--target-region",
      "us-west-2",
      "--target-account",
      DST,
      "--bucket-map",
      "lake-east=lake-west",
      "--json",
    ]);
    expect(code).toBe(0);
    const [result] = lines(stdout);
    expect(result).toEqual({
      eventId: rawFixture("CreateDatabase").eventID,
      eventName: "CreateDatabase",
      outcome: "apply",
      operations: [
        {
          region: "us-west-2",
          account: DST,
          service: "glue",
          operation: "CreateDatabase",
          input: {
            CatalogId: DST,
            DatabaseInput: {
              Name: "sales",
              Description: "Sales domain",
              LocationUri: "s3://lake-west/sales/",
              Parameters: { CreatedBy: "DataPlatform", owner: "Sales Team" },
              CreateTableDefaultPermissions: [
                {
                  Principal: { DataLakePrincipalIdentifier: "IAM_ALLOWED_PRINCIPALS" },
                  Permissions: ["ALL"],
                },
              ],
            },
          },
        },
      ],
    });
  });

  it("without a config or target flags, the target is the event's own account and region", async () => {
    const { code, stdout } = await run(["plan-event", "--event", fixturePath("DeleteLFTag"), "--json"]);
    expect(code).toBe(0);
    expect(lines(stdout)[0]!.operations).toEqual([
      {
        region: "us-east-1",
        account: SRC,
        service: "lakeformation",
        operation: "DeleteLFTag",
        input: { TagKey: "Obsolete" },
      },
    ]);
  });

  it("principal map and replicator role: the settings input is the pure SDK shape (executor directive stripped)", async () => {
    const { stdout } = await run([
      "plan-event",
      "--event",
      fixturePath("PutDataLakeSettings"),
      "--target-account",
      DST,
      "--principal-map",
      `arn:aws:iam::${SRC}:role/LakeAdmin=arn:aws:iam::${DST}:role/DrLakeAdmin`,
      "--replicator-role",
      replicatorRoleArn,
      "--json",
    ]);
    const [op] = lines(stdout)[0]!.operations as { input: { DataLakeSettings: Record<string, unknown> } }[];
    expect(Object.keys(op!.input)).toEqual(["DataLakeSettings"]);
    // The replicator role is protected (kept when the target has it), not added to the desired admins.
    expect(op!.input.DataLakeSettings.DataLakeAdmins).toEqual([
      { DataLakePrincipalIdentifier: `arn:aws:iam::${DST}:role/DrLakeAdmin` },
    ]);
  });

  it("reads target, mapping, filters, switches and replicator role from --config; flags win", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-event-"));
    const config = join(dir, "lakesync.config.json");
    writeFileSync(
      config,
      JSON.stringify({
        source: { account: SRC, region: "us-east-1" },
        targets: [{ name: "dr-west", account: DST, region: "us-west-2" }],
        mapping: { buckets: { "lake-east": "lake-west" } },
        filters: { include: [], exclude: ["sales.orders"] },
        replicate: { permissions: false },
        realtime: { replicatorRoleArn },
        batch: { backupBucket: "lakesync-backups-east" },
      }),
    );
    const table = lines(
      (await run(["plan-event", "--event", fixturePath("CreateTable"), "--config", config, "--json"])).stdout,
    );
    expect(table[0]).toEqual({
      eventId: rawFixture("CreateTable").eventID,
      eventName: "CreateTable",
      outcome: "ignore",
      reason: "table sales.orders is excluded by the filters",
      operations: [],
    });
    const grant = lines(
      (await run(["plan-event", "--event", fixturePath("GrantPermissions"), "--config", config, "--json"]))
        .stdout,
    );
    expect(grant[0]).toMatchObject({ outcome: "ignore", reason: "replicate.permissions is off" });
    const db = lines(
      (
        await run([
          "plan-event",
          "--event",
          fixturePath("CreateDatabase"),
          "--config",
          config,
          "--target-region",
          "eu-west-1",
          "--json",
        ])
      ).stdout,
    );
    expect(db[0]!.operations).toMatchObject([
      {
        region: "eu-west-1",
        account: DST,
        input: { DatabaseInput: { LocationUri: "s3://lake-west/sales/" } },
      },
    ]);
    // The configured replicator role is a protected admin: the plan line says it is kept.
    const settings = await run([
      "plan-event",
      "--event",
      fixturePath("PutDataLakeSettings"),
      "--config",
      config,
    ]);
    const kept = /keeps protected admins ([^(]*) when present/.exec(settings.stdout)?.[1]?.split(", ");
    expect(kept).toContain(replicatorRoleArn);
  });

  it("a log file prints one JSON object per line, in order", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-event-"));
    const file = join(dir, "log.json");
    writeFileSync(
      file,
      JSON.stringify({
        Records: [
          rawFixture("CreateLFTag"),
          rawFixture("DeleteTable"),
          { ...rawFixture("CreateTable"), eventName: "CreateConnection" },
        ],
      }),
    );
    const { code, stdout } = await run(["plan-event", "--event", file, "--json"]);
    expect(code).toBe(0);
    expect(lines(stdout).map((l) => [l.eventName, l.outcome])).toEqual([
      ["CreateLFTag", "apply"],
      ["DeleteTable", "apply"],
      ["CreateConnection", "unsupported"],
    ]);
    for (const line of lines(stdout)) {
      expect(Object.keys(line).sort()).toEqual(
        (line.reason === undefined
          ? ["eventId", "eventName", "operations", "outcome"]
          : ["eventId", "eventName", "operations", "outcome", "reason"]
        ).sort(),
      );
    }
  });

  it("a read-only call ends ignore, like a failed call, not unsupported", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-event-"));
    const file = join(dir, "reads.json");
    const getTable = {
      ...rawFixture("CreateTable"),
      eventID: "read-get-table",
      eventName: "GetTable",
      readOnly: true,
      requestParameters: { databaseName: "sales", name: "orders" },
    };
    const { readOnly: _unsaid, ...searchTables } = {
      ...getTable,
      eventID: "read-search-tables",
      eventName: "SearchTables",
      requestParameters: { searchText: "orders" },
    };
    const failed = {
      ...rawFixture("CreateTable"),
      eventID: "failed-create",
      errorCode: "AlreadyExistsException",
    };
    writeFileSync(file, JSON.stringify({ Records: [getTable, searchTables, failed] }));
    const { code, stdout } = await run(["plan-event", "--event", file, "--json"]);
    expect(code).toBe(0);
    expect(lines(stdout)).toEqual([
      {
        eventId: getTable.eventID,
        eventName: "GetTable",
        outcome: "ignore",
        reason: "GetTable is a read-only event",
        operations: [],
      },
      {
        eventId: searchTables.eventID,
        eventName: "SearchTables",
        outcome: "ignore",
        reason: "SearchTables is a read-only event",
        operations: [],
      },
      {
        eventId: failed.eventID,
        eventName: "CreateTable",
        outcome: "ignore",
        reason: "the source call failed (AlreadyExistsException); nothing changed",
        operations: [],
      },
    ]);
  });

  it("refetch prints the source reads against the source account and region", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-event-"));
    const file = join(dir, "omitted.json");
    const raw = rawFixture("UpdateTable");
    raw.requestParameters = {
      catalogId: SRC,
      databaseName: "sales",
      tableInput: { omitted: true, originalSize: 204800 },
      name: "orders",
    };
    writeFileSync(file, JSON.stringify({ "detail-type": "AWS API Call via CloudTrail", detail: raw }));
    const { stdout } = await run(["plan-event", "--event", file, "--target-account", DST, "--json"]);
    expect(lines(stdout)[0]).toMatchObject({
      outcome: "refetch",
      operations: [
        {
          region: "us-east-1",
          account: SRC,
          service: "glue",
          operation: "GetTable",
          input: { CatalogId: SRC, DatabaseName: "sales", Name: "orders" },
        },
      ],
    });
  });

  it("invalid input exits 1 naming the bad field; an unknown member exits 1 naming its path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-event-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ ...rawFixture("CreateTable"), recipientAccountId: "nope" }));
    const invalid = await run(["plan-event", "--event", bad, "--json"]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("recipientAccountId");

    const unknown = join(dir, "unknown.json");
    const raw = rawFixture("DeleteTable");
    raw.requestParameters = { databaseName: "sales", name: "t", purge: true };
    writeFileSync(unknown, JSON.stringify(raw));
    const failed = await run(["plan-event", "--event", unknown, "--json"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe("");
    expect(failed.stderr).toContain("requestParameters.purge: unknown member of DeleteTableRequest");

    const missing = await run(["plan-event", "--event", join(dir, "absent.json")]);
    expect(missing.code).toBe(1);
  });

  it("without --json prints one readable line per operation", async () => {
    const { code, stdout } = await run([
      "plan-event",
      "--event",
      fixturePath("CreateLFTag"),
      "--target-account",
      DST,
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      `CreateLFTag ${rawFixture("CreateLFTag").eventID}: apply\n  ${DST}/us-east-1 lakeformation:CreateLFTag - create LF tag Domain = Sales, Marketing, HR\n`,
    );
  });

  it("reads the event from stdin with --event -", () => {
    const result = spawnSync(
      process.execPath,
      ["scripts/lakesync.mjs", "plan-event", "--event", "-", "--json"],
      {
        cwd: repoRoot,
        input: readFileSync(fixturePath("DeleteDataCellsFilter"), "utf8"),
        encoding: "utf8",
      },
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      eventId: rawFixture("DeleteDataCellsFilter").eventID,
      eventName: "DeleteDataCellsFilter",
      outcome: "apply",
      operations: [
        {
          region: "us-east-1",
          account: SRC,
          service: "lakeformation",
          operation: "DeleteDataCellsFilter",
          input: { TableCatalogId: SRC, DatabaseName: "sales", TableName: "orders", Name: "EuOnly" },
        },
      ],
    });
  });
});
