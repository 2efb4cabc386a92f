// The delete-sync guard's rule (modules/batch/delete-guard.ts); the CLI and the batch worker
// applying it against local AWS are cases of the bad-input corpus (test/bad-inputs/).
import { describe, expect, it } from "vitest";
import { massDeleteProblem } from "../../modules/batch/delete-guard.ts";

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
