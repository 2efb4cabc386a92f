import { describe, expect, it } from "vitest";
import { type ExecuteDeps, execute, planSummary } from "../../modules/operations/executor.ts";
import { Phase, resourceKeys, type TargetOperation } from "../../modules/operations/operation.ts";
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
import { awsError, MemoryAws } from "./memory-aws.ts";

const at = target();

function deps(aws: MemoryAws, overrides: Partial<ExecuteDeps> = {}) {
  const sleeps: number[] = [];
  const value: ExecuteDeps = {
    run: aws.run,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    maxAttempts: 4,
    ...overrides,
  };
  return { deps: value, sleeps };
}

const statuses = (report: Awaited<ReturnType<typeof execute>>) => report.results.map((r) => r.outcome.status);

describe("ordering", () => {
  it("creates parents before children and deletes children before parents", async () => {
    const aws = new MemoryAws();
    aws.databases.set("old", {});
    aws.tables.set("old.t", {});
    aws.partitions.set('old.t["1"]', {});
    const ops = [
      deleteDatabase(at, "old"),
      createPartitions(at, "sales", "orders", [["2026-01-01"]]),
      deleteTable(at, "old", "t"),
      createTable(at, "sales", "orders", ["id"]),
      deletePartitions(at, "old", "t", [["1"]]),
      createDatabase(at, "sales"),
    ];
    const report = await execute(ops, deps(aws).deps);

    expect(aws.operations()).toEqual([
      "CreateDatabase",
      "CreateTable",
      "BatchCreatePartition",
      "BatchDeletePartition",
      "DeleteTable",
      "DeleteDatabase",
    ]);
    expect(statuses(report)).toEqual(["applied", "applied", "applied", "applied", "applied", "applied"]);
    expect(report.results.map((r) => r.operation)).toEqual(ops);
    expect(report.summary).toMatchObject({ total: 6, applied: 6, failed: 0 });
  });

  it("keeps operations on one resource in input order whatever their phase", async () => {
    const aws = new MemoryAws();
    aws.databases.set("sales", {});
    aws.tables.set("sales.orders", { Name: "orders" });
    // A realtime "drop and recreate": the delete must run before the create of the same key,
    // although removals normally run after additions.
    const ops = [deleteTable(at, "sales", "orders"), createTable(at, "sales", "orders", ["id", "total"])];
    const report = await execute(ops, deps(aws).deps);

    expect(aws.operations()).toEqual(["DeleteTable", "CreateTable"]);
    expect(statuses(report)).toEqual(["applied", "applied"]);
    expect(aws.tables.get("sales.orders")?.StorageDescriptor.Columns).toHaveLength(2);
  });

  it("bounds concurrency within a stage and never overlaps operations on one key", async () => {
    const aws = new MemoryAws();
    const ops = Array.from({ length: 12 }, (_, i) => createDatabase(at, `db${i}`));
    const limited = await execute(ops, deps(aws, { concurrency: 3 }).deps);
    expect(aws.maxInFlight).toBe(3);
    expect(limited.summary.applied).toBe(12);

    const sameKey = new MemoryAws();
    const chain = [createDatabase(at, "one"), deleteDatabase(at, "one"), createDatabase(at, "one")].map(
      (op) => ({
        ...op,
        resourceKey: resourceKeys.database(at.account, "one"),
      }),
    );
    const report = await execute(chain, deps(sameKey, { concurrency: 5 }).deps);
    expect(sameKey.maxInFlight).toBe(1);
    expect(sameKey.operations()).toEqual(["CreateDatabase", "DeleteDatabase", "CreateDatabase"]);
    expect(statuses(report)).toEqual(["applied", "applied", "applied"]);
  });

  it("skips later operations on a key after one fails, and reports progress for every operation", async () => {
    const aws = new MemoryAws().failWith(
      (op) => op.operation === "DeleteTable",
      () => awsError("AccessDeniedException", "not allowed", 403),
    );
    aws.databases.set("sales", {});
    aws.tables.set("sales.orders", {});
    const seen: number[] = [];
    const report = await execute(
      [deleteTable(at, "sales", "orders"), createTable(at, "sales", "orders", ["id"])],
      deps(aws, { onProgress: (p) => seen.push(p.done) }).deps,
    );
    expect(report.results[0]?.outcome).toMatchObject({ status: "failed", retryable: false, attempts: 1 });
    expect(report.results[1]?.outcome).toMatchObject({ status: "skipped" });
    expect(aws.operations()).toEqual(["DeleteTable"]);
    expect(seen).toEqual([1, 2]);
  });
  it("skips a later operation on a failed key even when it belongs to a later stage", async () => {
    const aws = new MemoryAws().failWith(
      (op) => op.operation === "CreateTable",
      () => awsError("InvalidInputException", "bad table"),
    );
    aws.databases.set("sales", {});
    const report = await execute(
      [createTable(at, "sales", "t", ["id"]), deleteTable(at, "sales", "t"), createDatabase(at, "other")],
      deps(aws).deps,
    );
    expect(statuses(report)).toEqual(["failed", "skipped", "applied"]);
    expect(report.results[1]?.outcome).toEqual({
      status: "skipped",
      reason: `an earlier operation on ${resourceKeys.table(at.account, "sales", "t")} failed: create table sales.t`,
    });
    expect(aws.operations()).not.toContain("DeleteTable");
  });
});

describe("retries", () => {
  it("retries throttling with exponential backoff and jitter, then applies", async () => {
    const aws = new MemoryAws().failWith(
      (op) => op.operation === "CreateDatabase",
      () => awsError("ThrottlingException", "Rate exceeded"),
      2,
    );
    const { deps: d, sleeps } = deps(aws);
    const report = await execute([createDatabase(at, "sales")], d);
    expect(report.results[0]).toMatchObject({ outcome: { status: "applied" }, attempts: 3 });
    // random() = 0.5 of ceilings 100, 200.
    expect(sleeps).toEqual([50, 100]);
    expect(aws.databases.has("sales")).toBe(true);
  });

  it("counts retries and throttled calls, its own and the SDK's, per operation and in the summary", async () => {
    const aws = new MemoryAws().failWith(
      (op) => op.operation === "CreateDatabase",
      // The SDK's adaptive retry already tried twice more before giving up on this call.
      () => Object.assign(awsError("ThrottlingException", "Rate exceeded"), { $metadata: { attempts: 3 } }),
      1,
    );
    const run: ExecuteDeps["run"] = async (op) => {
      const output = await aws.run(op);
      // A call the SDK answered on its second attempt.
      return op.operation === "CreateTable" ? { ...output, $metadata: { attempts: 2 } } : output;
    };
    const report = await execute([createDatabase(at, "sales"), createTable(at, "sales", "t", ["id"])], {
      ...deps(aws).deps,
      run,
    });
    expect(report.results.map((r) => [r.retries, r.throttled])).toEqual([
      [3, 3],
      [1, 0],
    ]);
    expect(report.summary).toMatchObject({ applied: 2, retries: 4, throttled: 3 });
  });

  it("fails as retryable after maxAttempts of transient errors, with the attempts made", async () => {
    const aws = new MemoryAws().failWith(
      () => true,
      () => awsError("InternalServiceException", "boom", 500),
      99,
    );
    const { deps: d, sleeps } = deps(aws, { maxAttempts: 5 });
    const report = await execute([createDatabase(at, "sales")], d);
    expect(report.results[0]?.outcome).toEqual({
      status: "failed",
      reason: "Retryable: InternalServiceException: boom",
      attempts: 5,
      retryable: true,
    });
    // Capped at maxDelayMs (1000) * 0.5.
    expect(sleeps).toEqual([50, 100, 200, 400]);
    expect(report.summary).toMatchObject({ failed: 1, retryable: 1 });
  });

  it("retries a create whose parent is missing until the parent exists", async () => {
    const aws = new MemoryAws();
    const create = createTable(at, "sales", "orders", ["id"]);
    // The database appears between attempts (another event, another executor).
    const report = await execute([create], {
      ...deps(aws).deps,
      sleep: async () => {
        aws.databases.set("sales", {});
      },
    });
    expect(report.results[0]).toMatchObject({ outcome: { status: "applied" }, attempts: 2 });
    expect(aws.tables.has("sales.orders")).toBe(true);
  });

  it("fails invalid input and access denied at once, without retrying", async () => {
    const aws = new MemoryAws()
      .failWith(
        (op) => op.operation === "CreateDatabase",
        () => awsError("InvalidInputException", "Name is invalid"),
      )
      .failWith(
        (op) => op.operation === "GrantPermissions",
        () => awsError("AccessDeniedException", "Insufficient Lake Formation permission(s)", 403),
      );
    aws.databases.set("sales", {});
    aws.tables.set("sales.orders", {});
    const { deps: d, sleeps } = deps(aws);
    const report = await execute(
      [createDatabase(at, "bad"), grantOnTable(at, "role/a", "sales", "orders", ["SELECT"])],
      d,
    );
    expect(report.results.map((r) => r.outcome)).toEqual([
      {
        status: "failed",
        reason: "Invalid: InvalidInputException: Name is invalid",
        attempts: 1,
        retryable: false,
      },
      {
        status: "failed",
        reason: "AccessDenied: AccessDeniedException: Insufficient Lake Formation permission(s)",
        attempts: 1,
        retryable: false,
      },
    ]);
    expect(sleeps).toEqual([]);
  });

  it("does not retry NotFound for an update (the object itself is missing)", async () => {
    const aws = new MemoryAws();
    aws.databases.set("sales", {});
    const update = createTable(at, "sales", "orders", ["id"]).onExists as TargetOperation;
    const report = await execute([update], deps(aws).deps);
    expect(report.results[0]?.outcome).toMatchObject({ status: "failed", attempts: 1, retryable: false });
  });
});

describe("idempotency classes", () => {
  it("create of an existing object is a noop, or runs onExists", async () => {
    const aws = new MemoryAws();
    aws.databases.set("sales", {});
    aws.tables.set("sales.orders", { Name: "orders" });
    const report = await execute(
      [createDatabase(at, "sales"), createTable(at, "sales", "orders", ["id", "total"])],
      deps(aws).deps,
    );
    expect(report.results[0]?.outcome).toEqual({
      status: "noop",
      reason: "already exists (AlreadyExistsException: Database already exists.)",
    });
    expect(report.results[1]).toMatchObject({ outcome: { status: "applied" }, attempts: 2 });
    expect(aws.operations()).toEqual(["CreateDatabase", "CreateTable", "UpdateTable"]);
    expect(
      aws.tables.get("sales.orders")?.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name),
    ).toEqual(["id", "total"]);
  });

  it("delete of a missing object is a noop", async () => {
    const aws = new MemoryAws();
    const report = await execute([deleteDatabase(at, "gone")], deps(aws).deps);
    expect(report.results[0]?.outcome).toMatchObject({
      status: "noop",
      reason: expect.stringMatching(/^already absent/),
    });
  });

  it("grant of a held permission and revoke of a missing one are noops", async () => {
    const aws = new MemoryAws().failWith(
      (op) => op.operation === "GrantPermissions",
      () => awsError("InvalidInputException", "Permissions modification is invalid."),
    );
    const report = await execute(
      [
        grantOnTable(at, "role/a", "sales", "orders", ["SELECT"]),
        revokeOnTable(at, "role/b", "sales", "orders", ["SELECT"]),
      ],
      deps(aws).deps,
    );
    expect(report.results.map((r) => r.outcome)).toEqual([
      {
        status: "noop",
        reason: "already granted (InvalidInputException: Permissions modification is invalid.)",
      },
      {
        status: "noop",
        reason:
          "not granted (InvalidInputException: No permissions revoked. Grantee has no permissions and no grantable permissions on resource)",
      },
    ]);
  });

  it("reports operations the runner has no command for as unsupported", async () => {
    const aws = new MemoryAws();
    // Not a TargetOperation by type; operations from outside (a journal replay) are not typed.
    const op = { ...createDatabase(at, "x"), operation: "CreateCrawler" } as unknown as TargetOperation;
    const report = await execute([op], deps(aws).deps);
    expect(report.results[0]?.outcome).toEqual({
      status: "unsupported",
      reason: "no memory command for operation CreateCrawler",
    });
    expect(report.summary.unsupported).toBe(1);
  });
});

describe("batch APIs", () => {
  it("treats existing partitions as noop entries and the batch as applied", async () => {
    const aws = new MemoryAws();
    aws.databases.set("sales", {});
    aws.tables.set("sales.orders", {});
    aws.partitions.set('sales.orders["b"]', { Values: ["b"], Parameters: { old: "1" } });
    const report = await execute(
      [createPartitions(at, "sales", "orders", [["a"], ["b"], ["c"]])],
      deps(aws).deps,
    );
    const [result] = report.results;
    expect(result?.outcome).toEqual({ status: "applied" });
    expect(result?.entries?.map((e) => [e.entry, e.outcome.status])).toEqual([
      ['["a"]', "applied"],
      ['["b"]', "noop"],
      ['["c"]', "applied"],
    ]);
    expect(aws.partitions.get('sales.orders["b"]')?.Parameters).toEqual({ old: "1" });

    const replay = await execute(
      [createPartitions(at, "sales", "orders", [["a"], ["b"], ["c"]])],
      deps(aws).deps,
    );
    expect(replay.results[0]?.outcome).toEqual({ status: "noop", reason: "all 3 entries already in place" });
  });

  it("updates existing partitions through BatchUpdatePartition when onExists says so", async () => {
    const aws = new MemoryAws();
    aws.databases.set("sales", {});
    aws.tables.set("sales.orders", {});
    aws.partitions.set('sales.orders["b"]', { Values: ["b"], Parameters: { old: "1" } });
    const op = createPartitions(at, "sales", "orders", [["a"], ["b"]], {
      updateExisting: true,
      parameters: { v: "2" },
    });
    const report = await execute([op], deps(aws).deps);
    expect(report.results[0]?.outcome).toEqual({ status: "applied" });
    expect(report.results[0]?.entries?.map((e) => e.outcome.status)).toEqual(["applied", "applied"]);
    expect(aws.calls.at(-1)).toMatchObject({
      operation: "BatchUpdatePartition",
      input: {
        Entries: [{ PartitionValueList: ["b"], PartitionInput: { Values: ["b"], Parameters: { v: "2" } } }],
      },
    });
    expect(aws.partitions.get('sales.orders["b"]')?.Parameters).toEqual({ v: "2" });
  });

  it("resends only the entries that failed transiently, and fails naming the entries that stay failed", async () => {
    const aws = new MemoryAws();
    aws.databases.set("sales", {});
    aws.tables.set("sales.orders", {});
    let calls = 0;
    const run: ExecuteDeps["run"] = async (op) => {
      calls += 1;
      const out = await aws.run(op);
      const list = op.input.PartitionInputList as { Values: string[] }[];
      // First call: entry "b" is throttled (not stored); entry "bad" is always invalid.
      const errors = list
        .filter((p) => (calls === 1 && p.Values[0] === "b") || p.Values[0] === "bad")
        .map((p) => ({
          PartitionValues: p.Values,
          ErrorDetail:
            p.Values[0] === "bad"
              ? { ErrorCode: "InvalidInputException", ErrorMessage: "Partition values are invalid" }
              : { ErrorCode: "ThrottlingException", ErrorMessage: "Rate exceeded" },
        }));
      for (const e of errors) aws.partitions.delete(`sales.orders${JSON.stringify(e.PartitionValues)}`);
      return { ...out, Errors: errors };
    };
    const report = await execute([createPartitions(at, "sales", "orders", [["a"], ["b"], ["bad"]])], {
      ...deps(aws).deps,
      run,
    });
    expect(
      aws.calls.map((c) => c.input.PartitionInputList.map((p: { Values: string[] }) => p.Values[0])),
    ).toEqual([["a", "b", "bad"], ["b"]]);
    expect(report.results[0]?.outcome).toEqual({
      status: "failed",
      reason: '1 of 3 entries failed: ["bad"]: Invalid: InvalidInputException: Partition values are invalid',
      attempts: 2,
      retryable: false,
    });
    expect([...aws.partitions.keys()].sort()).toEqual(['sales.orders["a"]', 'sales.orders["b"]']);
  });

  it("splits batches at the API's entry limit", async () => {
    const aws = new MemoryAws();
    aws.databases.set("sales", {});
    aws.tables.set("sales.orders", {});
    const values = Array.from({ length: 250 }, (_, i) => [String(i)]);
    const report = await execute([createPartitions(at, "sales", "orders", values)], deps(aws).deps);
    expect(aws.calls.map((c) => c.input.PartitionInputList.length)).toEqual([100, 100, 50]);
    expect(report.results[0]?.outcome.status).toBe("applied");
    expect(aws.partitions.size).toBe(250);
  });

  it("handles BatchGrantPermissions failures entry by entry", async () => {
    const aws = new MemoryAws();
    const entry = (Id: string, principal?: string) => ({
      Id,
      ...(principal ? { Principal: { DataLakePrincipalIdentifier: principal } } : {}),
      Resource: { Database: { Name: "sales" } },
      Permissions: ["DESCRIBE" as const],
    });
    const batch = (
      operation: "BatchGrantPermissions" | "BatchRevokePermissions",
      idempotency: "grant" | "revoke",
      entries: ReturnType<typeof entry>[],
    ): TargetOperation => ({
      target: at,
      service: "lakeformation",
      operation,
      input: { Entries: entries },
      resourceKey: `permissions:batch:${operation}`,
      idempotency,
      phase: Phase.permissions,
      description: `${operation} ${entries.length}`,
    });
    const report = await execute(
      [
        batch("BatchGrantPermissions", "grant", [entry("1", "role/a"), entry("2")]),
        batch("BatchRevokePermissions", "revoke", [entry("3", "role/never-granted")]),
      ],
      deps(aws).deps,
    );
    expect(report.results[0]?.outcome).toEqual({
      status: "failed",
      reason: "1 of 2 entries failed: 2: Invalid: InvalidInputException: Principal is required",
      attempts: 1,
      retryable: false,
    });
    expect(report.results[0]?.entries?.[0]).toEqual({ entry: "1", outcome: { status: "applied" } });
    expect(report.results[1]?.outcome).toEqual({ status: "noop", reason: "all 1 entries already in place" });
    expect([...aws.permissions]).toEqual(['role/a|{"Database":{"Name":"sales"}}|DESCRIBE']);
  });
});

describe("merge", () => {
  const admin = (id: string) => ({ DataLakePrincipalIdentifier: id });

  it("writes the desired settings as a whole, keeps the protected admins the target has, and replays as a noop", async () => {
    const aws = new MemoryAws();
    aws.settings = {
      DataLakeAdmins: [admin("target-admin"), admin("replicator")],
      TrustedResourceOwners: ["999"],
    };
    const op = mergeAdmins(at, ["source-admin"], ["replicator", "break-glass"]);
    const report = await execute([op], deps(aws).deps);
    expect(report.results[0]).toMatchObject({ outcome: { status: "applied" }, attempts: 2 });
    // target-admin and the trusted owners follow the desired settings; break-glass is not added.
    expect(aws.settings).toEqual({ DataLakeAdmins: [admin("source-admin"), admin("replicator")] });
    // The directive never reaches AWS.
    expect(aws.calls.find((c) => c.operation === "PutDataLakeSettings")?.input).not.toHaveProperty("__merge");

    const replay = await execute([op], deps(aws).deps);
    expect(replay.results[0]?.outcome).toEqual({
      status: "noop",
      reason: "data lake settings already in place",
    });
    expect(aws.operations().filter((o) => o === "PutDataLakeSettings")).toHaveLength(1);
  });

  it("reads omitted lists and flags as empty/off, as AWS lists them, so an equal write is a noop", async () => {
    const aws = new MemoryAws();
    aws.settings = {
      DataLakeAdmins: [admin("b"), admin("a")],
      TrustedResourceOwners: [],
      AllowExternalDataFiltering: false,
    };
    const report = await execute([mergeAdmins(at, ["a", "b"])], deps(aws).deps);
    expect(report.results[0]?.outcome.status).toBe("noop");
    expect(aws.operations()).not.toContain("PutDataLakeSettings");
  });

  it("converges LF tag values by adding only the missing ones, creating the tag if absent", async () => {
    const aws = new MemoryAws();
    aws.lfTags.set("domain", ["sales", "hr"]);
    const tag = (TagKey: string, values: string[]): TargetOperation => ({
      target: at,
      service: "lakeformation",
      operation: "UpdateLFTag",
      input: { TagKey, TagValuesToAdd: values },
      resourceKey: resourceKeys.lfTag(at.account, TagKey),
      idempotency: "merge",
      phase: Phase.lfTags,
      description: `converge LF tag ${TagKey}`,
    });
    const report = await execute(
      [tag("domain", ["hr", "finance"]), tag("tier", ["gold"]), tag("domain", ["sales"])],
      deps(aws).deps,
    );
    expect(statuses(report)).toEqual(["applied", "applied", "noop"]);
    expect(aws.calls.filter((c) => c.operation !== "GetLFTag")).toEqual([
      { operation: "UpdateLFTag", input: { TagKey: "domain", TagValuesToAdd: ["finance"] } },
      { operation: "CreateLFTag", input: { TagKey: "tier", TagValues: ["gold"] } },
    ]);
    expect(aws.lfTags.get("domain")).toEqual(["sales", "hr", "finance"]);
    expect(aws.lfTags.get("tier")).toEqual(["gold"]);
  });
});

describe("planSummary", () => {
  it("groups descriptions by target and stage in execution order, with counts", () => {
    const summary = planSummary([
      deleteTable(at, "old", "t"),
      createTable(at, "sales", "orders", ["id"]),
      createDatabase(at, "sales"),
      grantOnTable(at, "role/a", "sales", "orders", ["SELECT"]),
    ]);
    expect(summary.lines).toEqual([
      "test-target (111122223333, us-east-1): 4 operations",
      "  databases:",
      "    + create database sales",
      "  tables:",
      "    + create table sales.orders",
      "  permissions:",
      "    + grant SELECT to role/a",
      "  tables (removals):",
      "    - delete table old.t",
      "total: 4 (CreateDatabase 1, CreateTable 1, DeleteTable 1, GrantPermissions 1)",
    ]);
    expect(summary.counts).toEqual({
      total: 4,
      byOperation: { DeleteTable: 1, CreateTable: 1, CreateDatabase: 1, GrantPermissions: 1 },
      byIdempotency: { delete: 1, create: 2, grant: 1 },
    });
  });
});
