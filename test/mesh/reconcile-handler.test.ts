// The scheduled mesh reconciler (handlers/mesh-reconcile.ts) wired from its environment as the
// central stack sets it (modules/deploy/mesh-env.ts): it applies the mesh through the account
// roles it is given (tags a table a crawler made), and the next run plans nothing.
import { CreateDatabaseCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import { GetResourceLFTagsCommand } from "@aws-sdk/client-lakeformation";
import { beforeAll, describe, expect, it } from "vitest";
import { handler, MESH_RECONCILE_ENV } from "../../handlers/mesh-reconcile.ts";
import { parseConfig } from "../../modules/config/load.ts";
import { encodeMeshConfig } from "../../modules/deploy/mesh-env.ts";
import { client, testLocation } from "../support/local-aws.ts";

const central = testLocation();
const writer = `arn:aws:iam::${central.account}:role/lakesync-mesh-writer`;
const config = parseConfig(
  {
    source: { name: "prod", account: central.account, region: central.region },
    targets: [{ name: "dr", account: central.account, region: "us-west-2" }],
    batch: { backupBucket: "unused-backups" },
    mesh: {
      central: {
        account: central.account,
        region: central.region,
        roleArn: `arn:aws:iam::${central.account}:role/lakesync-deploy`,
      },
      lfTags: { domain: ["sales"] },
      tagAssignments: [{ resource: "sales_*.*", lfTags: { domain: "sales" } }],
    },
  },
  "test config",
);

beforeAll(async () => {
  const glue = client("glue", central);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "sales_raw" } }));
  await glue.send(new CreateTableCommand({ DatabaseName: "sales_raw", TableInput: { Name: "orders" } }));
  Object.assign(process.env, {
    [MESH_RECONCILE_ENV.mesh]: encodeMeshConfig(config.mesh!),
    [MESH_RECONCILE_ENV.accountRoles]: JSON.stringify({ [central.account]: writer }),
    [MESH_RECONCILE_ENV.accountRoleTemplate]: "arn:aws:iam::{account}:role/lakesync-mesh-writer",
    [MESH_RECONCILE_ENV.alertTopicArn]: `arn:aws:sns:${central.region}:${central.account}:mesh-alerts`,
  });
});

describe("mesh reconcile handler", () => {
  it("applies the mesh on schedule; the next run plans nothing", async () => {
    expect(await handler()).toEqual({ planned: 3, applied: 3, failed: 0, failures: [] });
    const tags = await client("lakeformation", central).send(
      new GetResourceLFTagsCommand({ Resource: { Table: { DatabaseName: "sales_raw", Name: "orders" } } }),
    );
    expect(tags.LFTagsOnTable).toEqual([
      { CatalogId: central.account, TagKey: "domain", TagValues: ["sales"] },
    ]);
    expect(await handler()).toEqual({ planned: 0, applied: 0, failed: 0, failures: [] });
  });
});
