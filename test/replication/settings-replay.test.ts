// A realtime PutDataLakeSettings replay on local AWS writes the source's settings as a whole, as
// PutDataLakeSettings did in the source, except that every protected admin of the mapping rules the
// target has — lakesync's roles and the configured break-glass admins — stays. A protected admin the
// target lacks is not added, and an admin that is not protected follows the source.
import { GetDataLakeSettingsCommand, PutDataLakeSettingsCommand } from "@aws-sdk/client-lakeformation";
import { describe, expect, it } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { createOperationRunner } from "../../modules/aws/operation-runner.ts";
import { execute } from "../../modules/operations/executor.ts";
import { planRecord } from "../../modules/replication/planner.ts";
import { client, testLocation } from "../support/local-aws.ts";
import { fixture, rules, SRC } from "./fixtures.ts";

const target = { name: "dr", ...testLocation("us-west-2") };
const role = (name: string) => `arn:aws:iam::${target.account}:role/${name}`;
const lf = client("lakeformation", target);

describe("a PutDataLakeSettings replay and the protected admins", () => {
  it("keeps the protected admins the target has; every other admin follows the source", async () => {
    const writer = role("lakesync-writer");
    const breakGlass = role("BreakGlass");
    const batchWorker = role("lakesync-batch"); // protected, but not an admin of the target
    await lf.send(
      new PutDataLakeSettingsCommand({
        DataLakeSettings: {
          DataLakeAdmins: [writer, breakGlass, role("dr-admin")].map((id) => ({
            DataLakePrincipalIdentifier: id,
          })),
        },
      }),
    );
    // The source lists only its LakeAdmin; the protected admins are nowhere in the source.
    const record = fixture("PutDataLakeSettings", (raw) => {
      const settings = (raw.requestParameters as { dataLakeSettings: Record<string, unknown> })
        .dataLakeSettings;
      settings.dataLakeAdmins = [{ dataLakePrincipalIdentifier: `arn:aws:iam::${SRC}:role/LakeAdmin` }];
      settings.externalDataFilteringAllowList = [];
    });
    const plan = planRecord(
      record,
      target,
      rules({
        targetAccount: target.account,
        targetRegion: target.region,
        protectedAdmins: [writer, breakGlass, batchWorker],
      }),
    );
    expect(plan.outcome).toBe("apply");
    expect(plan.operations).toHaveLength(1);
    expect(plan.operations[0]!.input.__merge).toEqual({ keepAdmins: [writer, breakGlass, batchWorker] });
    expect(plan.operations[0]!.description).toContain(
      `keeps protected admins ${writer}, ${breakGlass}, ${batchWorker} when present (lakesync's own roles or configured protectedAdmins)`,
    );

    const report = await execute(plan.operations, {
      run: createOperationRunner(new AwsClients(allClients, { maxAttempts: 1 })),
      sleep: async () => undefined,
      maxAttempts: 2,
    });
    expect(report.summary.failed).toBe(0);
    const { DataLakeSettings } = await lf.send(new GetDataLakeSettingsCommand({}));
    expect((DataLakeSettings?.DataLakeAdmins ?? []).map((a) => a.DataLakePrincipalIdentifier).sort()).toEqual(
      [breakGlass, role("LakeAdmin"), writer].sort(),
    );
  });
});
