// Pure parts of the at-scale run: how a run is split into units (large tables become units of
// their own and leave their database's unit), which records belong to which unit, and a dry run
// of the windowed reconcile streaming every difference without executing anything.
import { describe, expect, it } from "vitest";
import { reconcileInWindows } from "../../modules/batch/reconcile.ts";
import { belongsToUnit, planRun, unitScope, type WorkUnit } from "../../modules/batch/units.ts";
import type { Difference } from "../../modules/catalog/diff.ts";
import type { SnapshotRecord } from "../../modules/catalog/model.ts";
import {
  databaseRecord,
  dataLakeSettingsRecord,
  partitionRecord,
  tableRecord,
} from "../../modules/catalog/normalise.ts";
import { identityRules } from "../../modules/mapping/mapping.ts";

const source = { account: "123456789012", region: "us-east-1" };
const plan = () =>
  planRun({
    now: new Date("2026-11-22T10:00:00Z"),
    source,
    bucket: "backups",
    prefix: "b/",
    keepBackups: 3,
    databases: "all",
    databaseNames: ["sales", "hr", "web"],
    largeTables: [
      { database: "web", table: "clicks" },
      { database: "sales", table: "orders" },
      { database: "web", table: "views" },
      { database: "gone", table: "x" },
    ],
  });

describe("planRun", () => {
  it("makes each large table a unit after the database units, listed on its database's unit", () => {
    const run = plan();
    const label = (u: WorkUnit) => [
      u.index,
      u.database ?? "-",
      u.table ?? "-",
      (u.partitionsElsewhere ?? []).join(","),
    ];
    expect(run.units.map(label)).toEqual([
      [0, "-", "-", ""],
      [1, "hr", "-", ""],
      [2, "sales", "-", "orders"],
      [3, "web", "-", "clicks,views"],
      [4, "sales", "orders", ""],
      [5, "web", "clicks", ""],
      [6, "web", "views", ""],
    ]);
    expect(new Set(run.units.map((u) => u.unitCount))).toEqual(new Set([7]));
    expect(run.plan.units[3]).toEqual({
      index: 3,
      database: "web",
      partitionsElsewhere: ["clicks", "views"],
    });
    expect(unitScope(run.units[3]!)).toEqual({
      kind: "database",
      database: "web",
      partitionsElsewhere: ["clicks", "views"],
    });
    expect(unitScope(run.units[5]!)).toEqual({ kind: "table", database: "web", table: "clicks" });
    expect(unitScope(run.units[0]!)).toEqual({ kind: "catalog" });
  });

  it("gives every record to exactly one unit", () => {
    const run = plan();
    const records: SnapshotRecord[] = [
      dataLakeSettingsRecord({}),
      databaseRecord({ Name: "web" }),
      tableRecord("web", { Name: "clicks", PartitionKeys: [{ Name: "d", Type: "string" }] }),
      partitionRecord("web", "clicks", { Values: ["1"] }),
      partitionRecord("web", "small", { Values: ["1"] }),
      partitionRecord("sales", "orders", { Values: ["1"] }),
    ];
    const owners = records.map((r) =>
      run.units.filter((u) => belongsToUnit(r, u)).map((u) => u.table ?? u.database ?? "catalog"),
    );
    expect(owners).toEqual([["catalog"], ["web"], ["web"], ["clicks"], ["web"], ["orders"]]);
  });
});

describe("reconcileInWindows", () => {
  it("streams every difference of a dry run and executes nothing", async () => {
    const target = { name: "dr", account: "210987654321", region: "us-west-2" };
    const rules = identityRules(source.account, source.region);
    const sourceRecords: SnapshotRecord[] = [
      databaseRecord({ Name: "web" }),
      tableRecord("web", { Name: "clicks", PartitionKeys: [{ Name: "d", Type: "string" }] }),
      ...Array.from({ length: 250 }, (_, i) =>
        partitionRecord("web", "clicks", { Values: [String(i).padStart(3, "0")] }),
      ),
    ];
    const seen: Difference[] = [];
    const result = await reconcileInWindows(
      {
        source: sourceRecords,
        target: [databaseRecord({ Name: "old" }), databaseRecord({ Name: "web" })],
        rules: { ...rules, targetAccount: target.account, targetRegion: target.region },
        location: target,
        deleteSync: true,
      },
      {
        dryRun: true,
        execute: () => Promise.reject(new Error("a dry run executes nothing")),
        onDifference: (d) => seen.push(d),
      },
    );
    expect(seen.map((d) => `${d.change} ${d.kind}`).slice(0, 3)).toEqual([
      "delete database",
      "create table",
      "create partition",
    ]);
    expect(result).toMatchObject({ differences: 252, kept: 0, operations: 5, heldRemovals: 0 });
    expect(result.summary.total).toBe(0);
  });
});
