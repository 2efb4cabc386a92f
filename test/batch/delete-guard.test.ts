// The delete-sync guard's rule (modules/batch/delete-guard.ts); the CLI and the batch worker
// applying it against local AWS are cases of the bad-input corpus (test/bad-inputs/).
import { describe, expect, it } from "vitest";
import { MassDeleteError, massDeleteProblem } from "../../modules/batch/delete-guard.ts";
import { checkDeleteGuard, reconcileInWindows } from "../../modules/batch/reconcile.ts";
import { databaseRecord, tableRecord } from "../../modules/catalog/normalise.ts";
import { identityRules } from "../../modules/mapping/mapping.ts";
import { summarize } from "../../modules/operations/executor.ts";
import type { TargetOperation } from "../../modules/operations/operation.ts";

const guard = { maxDeleteShare: 0.5, allowMassDelete: false };

describe("delete-sync guard", () => {
  it("refuses any delete from a source with no catalog objects", () => {
    expect(massDeleteProblem({ sourceCatalogObjects: 0, targetObjects: 40, deletes: 1 }, guard)).toMatch(
      /refusing 1 delete\(s\) of 40 target object\(s\): the source has no catalog objects.*--allow-mass-delete/,
    );
  });

  it("refuses deletes over batch.maxDeleteShare of the target", () => {
    expect(massDeleteProblem({ sourceCatalogObjects: 3, targetObjects: 10, deletes: 6 }, guard)).toMatch(
      /6 delete\(s\) of 10 target object\(s\) \(60%, over batch.maxDeleteShare 0.5\)/,
    );
  });

  it("lets deletes within the share, no deletes, or --allow-mass-delete through", () => {
    expect(
      massDeleteProblem({ sourceCatalogObjects: 3, targetObjects: 10, deletes: 5 }, guard),
    ).toBeUndefined();
    expect(
      massDeleteProblem({ sourceCatalogObjects: 0, targetObjects: 10, deletes: 0 }, guard),
    ).toBeUndefined();
    expect(
      massDeleteProblem(
        { sourceCatalogObjects: 0, targetObjects: 10, deletes: 10 },
        { ...guard, allowMassDelete: true },
      ),
    ).toBeUndefined();
  });

  it("skips the empty-source rule for a work unit of catalog-wide records only", () => {
    expect(
      massDeleteProblem(
        { sourceCatalogObjects: 0, targetObjects: 10, deletes: 1 },
        { ...guard, emptySourceCheck: false },
      ),
    ).toBeUndefined();
  });
});

describe("delete-sync guard on a reconcile", () => {
  const location = { name: "dr", account: "210987654321", region: "us-west-2" };
  const rules = {
    ...identityRules("123456789012", "us-east-1"),
    targetAccount: location.account,
    targetRegion: location.region,
  };
  const source = () => [databaseRecord({ Name: "web" }), tableRecord("web", { Name: "clicks" })];
  const target = () => ["hr", "ops", "sales", "web"].map((Name) => databaseRecord({ Name }));
  const input = (allowMassDelete: boolean) => ({
    source: source(),
    target: target(),
    rules,
    location,
    deleteSync: true,
    deleteGuard: { maxDeleteShare: 0.5, allowMassDelete },
  });

  it("is decided before any write: 3 deletes of 4 target objects are refused", async () => {
    await expect(checkDeleteGuard(input(false))).rejects.toThrow(
      new MassDeleteError(
        "dr: refusing 3 delete(s) of 4 target object(s) (75%, over batch.maxDeleteShare 0.5); pass --allow-mass-delete to apply them",
      ),
    );
    await expect(checkDeleteGuard(input(true))).resolves.toBeUndefined();
  });

  it("never sends a refused delete, even when the pre-check was skipped", async () => {
    const executed: TargetOperation[] = [];
    const execute = async (operations: TargetOperation[]) => {
      executed.push(...operations);
      return {
        results: [],
        summary: summarize([]),
      };
    };
    await expect(reconcileInWindows(input(false), { execute })).rejects.toThrow(MassDeleteError);
    expect(executed.map((op) => op.operation)).toEqual(["CreateTable"]);
  });
});
