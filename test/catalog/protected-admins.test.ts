// Regression (issue 8): `sync --delete` removed the target's own data lake admins — its writer role
// and break-glass admins — because the diff wrote every target-only admin out of the settings. Driven on
// local AWS through the lowest stable path: snapshot read -> diff -> operations -> executor.
import { beforeAll, describe, expect, it } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import { readCatalogSnapshot } from "../../modules/aws/catalog-reader.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { createOperationRunner } from "../../modules/aws/operation-runner.ts";
import { collect, type Difference, diffSnapshots, mapSnapshot } from "../../modules/catalog/diff.ts";
import { differencesToOperations } from "../../modules/catalog/diff-to-operations.ts";
import { identityRules, type MappingRules } from "../../modules/mapping/mapping.ts";
import { execute } from "../../modules/operations/executor.ts";
import type { TargetOperation } from "../../modules/operations/operation.ts";
import { adminsOf, putAdmins } from "../support/data-lake-admins.ts";
import { type TestLocation, testLocation } from "../support/local-aws.ts";

const source = testLocation("eu-west-1");
const copy = testLocation("eu-west-1");
const clients = new AwsClients(allClients, { maxAttempts: 1 });
const role = (location: TestLocation, name: string) => `arn:aws:iam::${location.account}:role/${name}`;
const writer = role(copy, "lakesync-writer");
const breakGlass = role(copy, "BreakGlass");

const read = (location: TestLocation) =>
  collect(readCatalogSnapshot(clients, location, { databases: "all", scope: "catalog" }));

async function deleteSyncPlan(protectedAdmins: string[]) {
  const rules: MappingRules = {
    ...identityRules(source.account, source.region),
    targetAccount: copy.account,
    protectedAdmins,
  };
  const differences: Difference[] = await collect(
    diffSnapshots(mapSnapshot(await read(source), rules), await read(copy), {
      deleteSync: true,
      protectedAdmins: rules.protectedAdmins,
    }),
  );
  const operations: TargetOperation[] = differencesToOperations(differences, { name: "copy", ...copy });
  return { differences, operations };
}

describe("sync --delete and the target's protected admins", () => {
  beforeAll(async () => {
    await putAdmins(source, [role(source, "LakeAdmin")]);
    await putAdmins(copy, [writer, breakGlass]);
  });

  it("without the rule, a delete-sync would remove the writer role and the break-glass admin", async () => {
    const { operations } = await deleteSyncPlan([]);
    const put = operations.find((op) => op.operation === "PutDataLakeSettings");
    expect(put?.input.DataLakeSettings?.DataLakeAdmins).toEqual([
      { DataLakePrincipalIdentifier: role(copy, "LakeAdmin") },
    ]);
    expect(put?.input).not.toHaveProperty("__merge");
    expect(put?.description).toBe(`put data lake settings; removes admins ${breakGlass}, ${writer}`);
  });

  it("keeps every protected admin, says so in the plan, and converges", async () => {
    const { differences, operations } = await deleteSyncPlan([writer, breakGlass]);
    const settings = differences.filter((d) => d.kind === "dataLakeSettings");
    // Protected admins stay whatever deleteSync says: they are expected, not kept drift.
    expect(settings).toMatchObject([
      { change: "update", kept: false, protectedAdmins: [breakGlass, writer] },
    ]);
    const put = operations.filter((op) => op.operation === "PutDataLakeSettings");
    expect(put).toHaveLength(1);
    expect(put[0]!.description).toBe(
      `put data lake settings; keeps protected admins ${breakGlass}, ${writer} (lakesync's own roles or configured protectedAdmins)`,
    );
    expect(put[0]!.input.__merge).toEqual({ keepAdmins: [breakGlass, writer] });

    const report = await execute(operations, {
      run: createOperationRunner(clients),
      sleep: async () => undefined,
      maxAttempts: 2,
    });
    expect(report.summary.failed).toBe(0);
    expect(await adminsOf(copy)).toEqual([breakGlass, role(copy, "LakeAdmin"), writer].sort());

    // Converged: the protected admins are expected in the target, so no difference and no operation.
    const again = await deleteSyncPlan([writer, breakGlass]);
    expect(again.differences.filter((d) => d.kind === "dataLakeSettings")).toEqual([]);
    expect(again.operations.filter((op) => op.operation === "PutDataLakeSettings")).toEqual([]);
  });
});
