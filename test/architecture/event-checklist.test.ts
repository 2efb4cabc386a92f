// The checklist for a replicated event (modules/README.md), checked for every event the replicator
// supports (modules/replication/change.ts): it decodes to its CatalogChange kind, has a planner,
// maps to a snapshot kind the batch path reads (or says why none), calls only APIs the writer
// role's actions are derived from (modules/operations/apis.ts), is recorded by the local
// CloudTrail (scripts/localaws/cloudtrail), and has an end-to-end case under test/replicator/.
// Each check reads the code's own tables and files, so a missing piece fails here.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { Difference } from "../../modules/catalog/diff.ts";
import { differencesToOperations } from "../../modules/catalog/diff-to-operations.ts";
import { type SnapshotKind, type SnapshotRecord, snapshotKinds } from "../../modules/catalog/model.ts";
import {
  databaseRecord,
  dataCellsFilterRecord,
  dataLakeSettingsRecord,
  lfTagRecord,
  partitionIndexRecord,
  partitionRecord,
  permissionRecord,
  registeredLocationRecord,
  tableRecord,
  tagAssignmentRecords,
} from "../../modules/catalog/normalise.ts";
import {
  GLUE_READ_APIS,
  GLUE_WRITE_APIS,
  LAKE_FORMATION_READ_APIS,
  LAKE_FORMATION_WRITE_APIS,
} from "../../modules/operations/apis.ts";
import type { TargetOperation } from "../../modules/operations/operation.ts";
import { type EventName, glueEvents, supportedEvents } from "../../modules/replication/change.ts";
import { parseCloudTrailInput } from "../../modules/replication/cloudtrail-record.ts";
import { planChange } from "../../modules/replication/planner.ts";
import { toChange } from "../../modules/replication/to-change.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const read = (path: string) => readFileSync(join(repo, path), "utf8");

const SRC = "111111111111";
const target = { name: "target", account: "222222222222", region: "us-west-2" };
const rules = {
  sourceAccount: SRC,
  sourceRegion: "us-east-1",
  targetAccount: target.account,
  targetRegion: target.region,
  buckets: {},
  accounts: {},
  principals: {},
  filters: { include: [], exclude: [] },
  protectedAdmins: [],
};

/**
 * The snapshot kind (modules/catalog/model.ts) whose records carry what each event changes, so
 * the batch path (backup, restore, diff, sync) covers the event too; `{ none: why }` for an event
 * the batch path cannot see. Adding an event means adding its row.
 */
const snapshotKindOf: Record<EventName, SnapshotKind | { none: string }> = {
  CreateDatabase: "database",
  UpdateDatabase: "database",
  DeleteDatabase: "database",
  CreateTable: "table",
  UpdateTable: "table",
  DeleteTable: "table",
  BatchDeleteTable: "table",
  CreatePartition: "partition",
  BatchCreatePartition: "partition",
  UpdatePartition: "partition",
  BatchUpdatePartition: "partition",
  DeletePartition: "partition",
  BatchDeletePartition: "partition",
  GrantPermissions: "permission",
  RevokePermissions: "permission",
  BatchGrantPermissions: "permission",
  BatchRevokePermissions: "permission",
  CreateLFTag: "lfTag",
  UpdateLFTag: "lfTag",
  DeleteLFTag: "lfTag",
  AddLFTagsToResource: "tagAssignment",
  RemoveLFTagsFromResource: "tagAssignment",
  PutDataLakeSettings: "dataLakeSettings",
  RegisterResource: "registeredLocation",
  DeregisterResource: "registeredLocation",
  CreateDataCellsFilter: "dataCellsFilter",
  UpdateDataCellsFilter: "dataCellsFilter",
  DeleteDataCellsFilter: "dataCellsFilter",
};

/** One record of each kind, built by the reader's own normalisers. */
const sampleRecord: Record<SnapshotKind, SnapshotRecord> = {
  dataLakeSettings: dataLakeSettingsRecord({ DataLakeAdmins: [{ DataLakePrincipalIdentifier: "admin" }] }),
  registeredLocation: registeredLocationRecord({ ResourceArn: "arn:aws:s3:::lake/data" }),
  database: databaseRecord({ Name: "db" }),
  table: tableRecord("db", { Name: "t" }),
  partition: partitionRecord("db", "t", { Values: ["1"] }),
  partitionIndex: partitionIndexRecord("db", "t", { IndexName: "i", Keys: [{ Name: "k" }] }),
  lfTag: lfTagRecord({ TagKey: "tier", TagValues: ["gold"] }),
  dataCellsFilter: dataCellsFilterRecord({
    TableCatalogId: target.account,
    DatabaseName: "db",
    TableName: "t",
    Name: "f",
  }),
  tagAssignment: tagAssignmentRecords("db", undefined, {
    LFTagOnDatabase: [{ TagKey: "tier", TagValues: ["gold"] }],
  })[0]!,
  permission: permissionRecord(
    {
      Principal: { DataLakePrincipalIdentifier: "p" },
      Resource: { Database: { Name: "db" } },
      Permissions: ["ALTER"],
    },
    target.account,
  ),
};

/** The phases the batch path writes a kind in, for a created and a deleted record. */
function batchPhases(kind: SnapshotKind): Set<number> {
  const record = sampleRecord[kind];
  const differences = [
    { kind, key: record.key, change: "create", source: record.value, desired: record.value, kept: false },
    { kind, key: record.key, change: "delete", target: record.value, kept: false },
  ] as Difference[];
  return new Set(differencesToOperations(differences, target).map((op) => op.phase));
}

/** The event's recorded CloudTrail fixture, decoded. */
function decoded(event: EventName) {
  const path = `test/fixtures/cloudtrail/${event}.json`;
  if (!existsSync(join(repo, path))) throw new Error(`${event}: no recorded CloudTrail fixture ${path}`);
  return toChange(parseCloudTrailInput(read(path))[0]!);
}

function realtimePlan(event: EventName): TargetOperation[] {
  const result = decoded(event);
  if (result.outcome !== "change") throw new Error(`${event}: decodes to ${result.outcome}`);
  const plan = planChange(result.change, target, rules);
  expect(plan.outcome, `${event}: ${plan.reason ?? ""}`).toBe("apply");
  return plan.operations;
}

/** Every API a plan can call: its operations, their onExists fallbacks and the merge reads. */
const mergeReads: Record<string, string> = {
  PutDataLakeSettings: "GetDataLakeSettings",
  CreateLFTag: "GetLFTag",
  UpdateLFTag: "GetLFTag",
};
function apisOf(operations: readonly TargetOperation[]): string[] {
  return operations.flatMap((op) => {
    const calls = [op, ...(op.onExists ? [op.onExists] : [])];
    return calls.flatMap((call) => [
      `${call.service}:${call.operation}`,
      ...(call.idempotency === "merge" ? [`${call.service}:${mergeReads[call.operation]}`] : []),
    ]);
  });
}
const targetApis = new Set([
  ...[...GLUE_WRITE_APIS, ...GLUE_READ_APIS].map((api) => `glue:${api}`),
  ...[...LAKE_FORMATION_WRITE_APIS, ...LAKE_FORMATION_READ_APIS].map((api) => `lakeformation:${api}`),
]);

// The local CloudTrail (scripts/localaws/cloudtrail): which services it records (EVENT_SOURCES),
// which calls it records as read-only (by name prefix), and the botocore models it records from.
const recordPy = read("scripts/localaws/cloudtrail/record.py");
const recordedSources = [...recordPy.matchAll(/"(glue|lakeformation)": "([a-z]+\.amazonaws\.com)"/g)].map(
  (m) => m[1],
);
const readOnlyPrefixes = [
  ...(/_READ_ONLY_PREFIXES = \(([^)]*)\)/.exec(recordPy)?.[1] ?? "").matchAll(/"(\w+)"/g),
].map((m) => m[1]!);
function botocoreOperations(service: "glue" | "lakeformation"): Set<string> {
  const lib = join(repo, ".venv/lib");
  const python = readdirSync(lib).find((dir) => dir.startsWith("python3"));
  const data = join(lib, python ?? "python3", "site-packages/botocore/data", service);
  const version = readdirSync(data).sort().at(-1)!;
  const model = JSON.parse(gunzipSync(readFileSync(join(data, version, "service-2.json.gz"))).toString());
  return new Set(Object.keys(model.operations));
}
const serviceOf = (event: EventName) =>
  (glueEvents as readonly string[]).includes(event) ? "glue" : ("lakeformation" as const);

// End-to-end cases: test/replicator/ files that make the source call and run the replicator.
const endToEndFiles = readdirSync(join(repo, "test/replicator"))
  .filter((file) => file.endsWith(".test.ts"))
  .map((file) => ({ file, text: read(`test/replicator/${file}`) }))
  .filter(({ text }) => /replicateOnce\(|\.drain\(|cli\(\["replicate"/.test(text));

describe.each(supportedEvents.map((event) => [event]))("replicated event %s", (event) => {
  it("decodes its recorded CloudTrail record to a CatalogChange of its kind", () => {
    const result = decoded(event);
    expect(result.outcome).toBe("change");
    expect(result.outcome === "change" && result.change.kind).toBe(event);
  });

  it("has a planner that plans it", () => {
    expect(realtimePlan(event).length).toBeGreaterThan(0);
  });

  it("has a snapshot kind the batch path reads and writes in the same phase, or a reason for none", () => {
    const kind = snapshotKindOf[event];
    expect(kind, `${event}: add its row to snapshotKindOf`).toBeDefined();
    if (typeof kind === "object") {
      expect(kind.none.length).toBeGreaterThan(0);
      return;
    }
    expect(snapshotKinds).toContain(kind);
    const phases = new Set(realtimePlan(event).map((op) => op.phase));
    expect([...phases].every((phase) => batchPhases(kind).has(phase))).toBe(true);
  });

  it("calls only APIs of modules/operations/apis.ts (the writer role's actions come from there)", () => {
    const missing = apisOf(realtimePlan(event)).filter((api) => !targetApis.has(api));
    expect(missing).toEqual([]);
  });

  it("is recorded by the local CloudTrail as a write", () => {
    const service = serviceOf(event);
    expect(recordedSources).toContain(service);
    expect(readOnlyPrefixes.length).toBeGreaterThan(0);
    expect(readOnlyPrefixes.some((prefix) => event.startsWith(prefix))).toBe(false);
    expect(botocoreOperations(service).has(event)).toBe(true);
  });

  it("has an end-to-end case under test/replicator/", () => {
    const cases = endToEndFiles.filter(({ text }) => text.includes(`new ${event}Command(`));
    expect(cases.map(({ file }) => file)).not.toEqual([]);
  });
});

it("README.md counts the replicated events", () => {
  const counts = [
    ...read("README.md").matchAll(/\b(\d+) (?:Glue and Lake Formation write events|replicated)\b/g),
  ];
  expect(counts.length).toBeGreaterThan(0);
  expect(counts.map((m) => Number(m[1]))).toEqual(counts.map(() => supportedEvents.length));
});
