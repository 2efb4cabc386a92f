// The scheduled mesh reconciler (handlers/mesh-reconcile.ts) wired from its environment as the
// central stack sets it: it applies the mesh (tags a table a crawler made), a second run plans
// nothing, and a bad environment fails naming the variable.
import { CreateDatabaseCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import { GetResourceLFTagsCommand } from "@aws-sdk/client-lakeformation";
import { beforeAll, describe, expect, it } from "vitest";
import { handler, MESH_RECONCILE_ENV } from "../../handlers/mesh-reconcile.ts";
import { parseMeshReconcileEnv } from "../../modules/mesh/env.ts";
import { client, testLocation } from "../support/local-aws.ts";

const central = testLocation();
const mesh = {
  central: {
    account: central.account,
    region: central.region,
    roleArn: `arn:aws:iam::${central.account}:role/lakesync-mesh`,
  },
  lfTags: { domain: ["sales"] },
  tagAssignments: [{ resource: "sales_*.*", lfTags: { domain: "sales" } }],
};

beforeAll(async () => {
  const glue = client("glue", central);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "sales_raw" } }));
  await glue.send(new CreateTableCommand({ DatabaseName: "sales_raw", TableInput: { Name: "orders" } }));
  process.env[MESH_RECONCILE_ENV.mesh] = JSON.stringify(mesh);
});

describe("mesh reconcile handler", () => {
  it("applies the mesh on schedule; the next run plans nothing", async () => {
    expect(await handler()).toEqual({ planned: 3, failed: 0 });
    const tags = await client("lakeformation", central).send(
      new GetResourceLFTagsCommand({ Resource: { Table: { DatabaseName: "sales_raw", Name: "orders" } } }),
    );
    expect(tags.LFTagsOnTable).toEqual([
      { CatalogId: central.account, TagKey: "domain", TagValues: ["sales"] },
    ]);
    expect(await handler()).toEqual({ planned: 0, failed: 0 });
  });

  it("a bad environment names the variable", () => {
    expect(() => parseMeshReconcileEnv({ AWS_REGION: "us-east-1" })).toThrow(
      `invalid mesh reconciler configuration: ${MESH_RECONCILE_ENV.mesh}:`,
    );
    expect(() =>
      parseMeshReconcileEnv({
        AWS_REGION: "us-east-1",
        [MESH_RECONCILE_ENV.mesh]: JSON.stringify({ lfTags: {} }),
      }),
    ).toThrow(`${MESH_RECONCILE_ENV.mesh}: central:`);
  });
});
