// The executor with the real operation runner against the run's local AWS, in a fresh account:
// asserts on the catalog state read back with the SDK, not on what the executor says it did.
import {
  GetDatabasesCommand,
  GetPartitionCommand,
  GetPartitionsCommand,
  GetTableCommand,
  GetTablesCommand,
} from "@aws-sdk/client-glue";
import {
  GetDataLakeSettingsCommand,
  GetLFTagCommand,
  ListPermissionsCommand,
  PutDataLakeSettingsCommand,
} from "@aws-sdk/client-lakeformation";
import { afterAll, describe, expect, it } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { createOperationRunner } from "../../modules/aws/operation-runner.ts";
import { batchGrantPermissions } from "../../modules/operations/build/index.ts";
import { type ExecuteDeps, execute } from "../../modules/operations/executor.ts";
import { Phase, resourceKeys, type TargetOperation } from "../../modules/operations/operation.ts";
import { UnsupportedOperationError } from "../../modules/operations/runner.ts";
import { client, testLocation } from "../support/local-aws.ts";
import {
  createDatabase,
  createPartitions,
  createTable,
  deleteDatabase,
  deletePartitions,
  deleteTable,
  grantOnTable,
  mergeAdmins,
  revokeOnTable,
  target,
} from "./builders.ts";

const location = testLocation("us-east-1");
const at = target(location.account, location.region);
const clients = new AwsClients(allClients, { maxAttempts: 1 });
afterAll(() => clients.destroy());

const glue = client("glue", location);
const lakeformation = client("lakeformation", location);

const deps: ExecuteDeps = {
  run: createOperationRunner(clients),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  maxAttempts: 3,
  baseDelayMs: 10,
  concurrency: 4,
};

const statuses = (report: Awaited<ReturnType<typeof execute>>) => report.results.map((r) => r.outcome.status);
const columnsOf = async (db: string, name: string) =>
  (
    (await glue.send(new GetTableCommand({ DatabaseName: db, Name: name }))).Table?.StorageDescriptor
      ?.Columns ?? []
  ).map((c) => c.Name);
const partitionValues = async (db: string, table: string) =>
  ((await glue.send(new GetPartitionsCommand({ DatabaseName: db, TableName: table }))).Partitions ?? [])
    .map((p) => p.Values?.join("/"))
    .sort();

describe("executor against local AWS", () => {
  const catalog: TargetOperation[] = [
    createPartitions(at, "sales", "orders", [["2026-01-01"], ["2026-01-02"]]),
    createTable(at, "sales", "orders", ["id"]),
    createDatabase(at, "sales"),
  ];

  it("creates database, table and partitions in dependency order when given out of order", async () => {
    const report = await execute(catalog, deps);
    expect(statuses(report)).toEqual(["applied", "applied", "applied"]);
    expect((await glue.send(new GetDatabasesCommand({}))).DatabaseList?.map((d) => d.Name)).toEqual([
      "sales",
    ]);
    expect(await columnsOf("sales", "orders")).toEqual(["id"]);
    expect(await partitionValues("sales", "orders")).toEqual(["2026-01-01", "2026-01-02"]);
  });

  it("replays the same operations as noop/applied with no duplicates", async () => {
    const report = await execute(catalog, deps);
    expect(report.results.map((r) => r.outcome)).toEqual([
      { status: "noop", reason: "all 2 entries already in place" },
      { status: "applied" }, // CreateTable -> AlreadyExists -> its onExists UpdateTable
      { status: "noop", reason: expect.stringMatching(/^already exists \(AlreadyExistsException/) },
    ]);
    expect((await glue.send(new GetDatabasesCommand({}))).DatabaseList).toHaveLength(1);
    expect((await glue.send(new GetTablesCommand({ DatabaseName: "sales" }))).TableList).toHaveLength(1);
    expect(await partitionValues("sales", "orders")).toEqual(["2026-01-01", "2026-01-02"]);
  });

  it("falls back to UpdateTable when the table exists, leaving the new columns", async () => {
    const report = await execute([createTable(at, "sales", "orders", ["id", "total", "currency"])], deps);
    expect(report.results[0]).toMatchObject({ outcome: { status: "applied" }, attempts: 2 });
    expect(await columnsOf("sales", "orders")).toEqual(["id", "total", "currency"]);
  });

  it("creates only the missing partitions of a batch, and updates existing ones when asked", async () => {
    const some = await execute(
      [createPartitions(at, "sales", "orders", [["2026-01-02"], ["2026-01-03"]])],
      deps,
    );
    expect(some.results[0]?.outcome).toEqual({ status: "applied" });
    expect(some.results[0]?.entries?.map((e) => [e.entry, e.outcome.status])).toEqual([
      ['["2026-01-02"]', "noop"],
      ['["2026-01-03"]', "applied"],
    ]);
    expect(await partitionValues("sales", "orders")).toEqual(["2026-01-01", "2026-01-02", "2026-01-03"]);

    const update = createPartitions(at, "sales", "orders", [["2026-01-03"], ["2026-01-04"]], {
      updateExisting: true,
      parameters: { refreshed: "yes" },
    });
    const updated = await execute([update], deps);
    expect(updated.results[0]?.entries?.map((e) => e.outcome.status)).toEqual(["applied", "applied"]);
    const partition = await glue.send(
      new GetPartitionCommand({
        DatabaseName: "sales",
        TableName: "orders",
        PartitionValues: ["2026-01-03"],
      }),
    );
    expect(partition.Partition?.Parameters).toEqual({ refreshed: "yes" });
    expect(await partitionValues("sales", "orders")).toEqual([
      "2026-01-01",
      "2026-01-02",
      "2026-01-03",
      "2026-01-04",
    ]);
  });

  it("grants with grant options, and a re-grant leaves one permission entry", async () => {
    const principal = `arn:aws:iam::${location.account}:role/analyst`;
    const grant = grantOnTable(at, principal, "sales", "orders", ["SELECT", "DESCRIBE"], ["SELECT"]);
    const first = await execute([grant], deps);
    expect(statuses(first)).toEqual(["applied"]);
    // AWS answers a re-grant with success (and some accounts with "Permissions modification is
    // invalid", which the executor reads as noop); either way nothing is duplicated.
    const again = await execute([grant], deps);
    expect(["applied", "noop"]).toContain(again.results[0]?.outcome.status);

    const listed = await lakeformation.send(
      new ListPermissionsCommand({ Resource: { Table: { DatabaseName: "sales", Name: "orders" } } }),
    );
    const mine = (listed.PrincipalResourcePermissions ?? []).filter(
      (p) => p.Principal?.DataLakePrincipalIdentifier === principal,
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]?.Permissions?.sort()).toEqual(["DESCRIBE", "SELECT"]);
    expect(mine[0]?.PermissionsWithGrantOption).toEqual(["SELECT"]);
  });

  it("revokes a held permission, then reads a repeated revoke as noop", async () => {
    const principal = `arn:aws:iam::${location.account}:role/analyst`;
    const revoke = revokeOnTable(at, principal, "sales", "orders", ["SELECT"]);
    const first = await execute([revoke], deps);
    expect(statuses(first)).toEqual(["applied"]);
    const again = await execute([revoke], deps);
    expect(again.results[0]?.outcome).toMatchObject({
      status: "noop",
      reason: expect.stringMatching(/^not granted/),
    });

    const listed = await lakeformation.send(
      new ListPermissionsCommand({ Resource: { Table: { DatabaseName: "sales", Name: "orders" } } }),
    );
    const mine = (listed.PrincipalResourcePermissions ?? []).filter(
      (p) => p.Principal?.DataLakePrincipalIdentifier === principal,
    );
    expect(mine.map((p) => [p.Permissions, p.PermissionsWithGrantOption])).toEqual([[["DESCRIBE"], []]]);
  });

  it("replaces data lake settings, keeping the target's protected admin only, and replays as noop", async () => {
    const targetAdmin = `arn:aws:iam::${location.account}:role/target-admin`;
    const replicator = `arn:aws:iam::${location.account}:role/lakesync-replicator`;
    const sourceAdmin = `arn:aws:iam::${location.account}:role/mapped-source-admin`;
    await lakeformation.send(
      new PutDataLakeSettingsCommand({
        DataLakeSettings: {
          DataLakeAdmins: [targetAdmin, replicator].map((id) => ({ DataLakePrincipalIdentifier: id })),
          CreateDatabaseDefaultPermissions: [
            { Principal: { DataLakePrincipalIdentifier: "IAM_ALLOWED_PRINCIPALS" }, Permissions: ["ALL"] },
          ],
          TrustedResourceOwners: [],
        },
      }),
    );
    const op = mergeAdmins(at, [sourceAdmin], [replicator]);
    const report = await execute([op], deps);
    expect(statuses(report)).toEqual(["applied"]);
    const settings = (await lakeformation.send(new GetDataLakeSettingsCommand({}))).DataLakeSettings;
    expect(settings?.DataLakeAdmins?.map((a) => a.DataLakePrincipalIdentifier)).toEqual([
      sourceAdmin,
      replicator,
    ]);
    // The desired settings name no default permissions: they are cleared, as in the source.
    expect(settings?.CreateDatabaseDefaultPermissions ?? []).toEqual([]);
    expect(settings).not.toHaveProperty("__merge");

    const replay = await execute([op], deps);
    expect(replay.results[0]?.outcome).toEqual({
      status: "noop",
      reason: "data lake settings already in place",
    });
  });

  it("converges LF tag values: creates a missing tag, adds only missing values, then noops", async () => {
    const converge = (values: string[]): TargetOperation => ({
      target: at,
      service: "lakeformation",
      operation: "UpdateLFTag",
      input: { TagKey: "domain", TagValuesToAdd: values },
      resourceKey: resourceKeys.lfTag(location.account, "domain"),
      idempotency: "merge",
      phase: Phase.lfTags,
      description: `converge LF tag domain ${values.join(",")}`,
    });
    const created = await execute([converge(["sales"])], deps);
    expect(created.results[0]?.outcome.status).toBe("applied");
    const added = await execute([converge(["sales", "finance"])], deps);
    expect(added.results[0]?.outcome.status).toBe("applied");
    const replay = await execute([converge(["finance"])], deps);
    expect(replay.results[0]?.outcome).toEqual({
      status: "noop",
      reason: "LF tag domain already has every value",
    });
    const tag = await lakeformation.send(new GetLFTagCommand({ TagKey: "domain" }));
    expect(tag.TagValues?.sort()).toEqual(["finance", "sales"]);
  });

  it("batch-grants entry by entry and replays without duplicates", async () => {
    const entry = (Id: string, role: string) => ({
      Id,
      Principal: { DataLakePrincipalIdentifier: `arn:aws:iam::${location.account}:role/${role}` },
      Resource: { Database: { Name: "sales" } },
      Permissions: ["DESCRIBE"],
      PermissionsWithGrantOption: ["DESCRIBE"],
    });
    const [batch] = batchGrantPermissions({ target: at }, [entry("a", "reader-a"), entry("b", "reader-b")]);
    if (!batch) throw new Error("two entries make one batch");
    const first = await execute([batch], deps);
    expect(first.results[0]?.entries?.map((e) => e.outcome.status)).toEqual(["applied", "applied"]);
    await execute([batch], deps);
    const listed = await lakeformation.send(
      new ListPermissionsCommand({ Resource: { Database: { Name: "sales" } } }),
    );
    const readers = (listed.PrincipalResourcePermissions ?? [])
      .filter((p) => p.Principal?.DataLakePrincipalIdentifier?.includes(":role/reader-"))
      .map((p) => [p.Principal?.DataLakePrincipalIdentifier, p.PermissionsWithGrantOption])
      .sort();
    expect(readers).toEqual([
      [`arn:aws:iam::${location.account}:role/reader-a`, ["DESCRIBE"]],
      [`arn:aws:iam::${location.account}:role/reader-b`, ["DESCRIBE"]],
    ]);
  });

  it("treats deletes of missing objects as noops", async () => {
    const report = await execute(
      [
        deletePartitions(at, "sales", "orders", [["1999-01-01"]]),
        deleteTable(at, "sales", "no_such_table"),
        deleteDatabase(at, "no_such_database"),
      ],
      deps,
    );
    expect(statuses(report)).toEqual(["noop", "noop", "noop"]);
    expect(await partitionValues("sales", "orders")).toHaveLength(4);
  });

  it("deletes partitions, tables and databases children first", async () => {
    const report = await execute(
      [
        deleteDatabase(at, "sales"),
        deleteTable(at, "sales", "orders"),
        deletePartitions(at, "sales", "orders", [["2026-01-01"], ["2026-01-02"]]),
      ],
      deps,
    );
    expect(statuses(report)).toEqual(["applied", "applied", "applied"]);
    expect((await glue.send(new GetDatabasesCommand({}))).DatabaseList).toEqual([]);
  });

  it("rejects an operation with no command as an explicit error", async () => {
    const run = createOperationRunner(clients);
    // Not a TargetOperation by type; operations from outside (a journal replay) are not typed.
    const crawler = { ...createDatabase(at, "x"), operation: "CreateCrawler" } as unknown as TargetOperation;
    await expect(run(crawler)).rejects.toBeInstanceOf(UnsupportedOperationError);
    const report = await execute([crawler], deps);
    expect(report.results[0]?.outcome).toEqual({
      status: "unsupported",
      reason: "no glue command for operation CreateCrawler",
    });
  });
});
