// Done-when of issue 9, on local AWS with three accounts (central, producer, consumer), through
// the CLI a user runs: `mesh apply` puts the declared mesh in place (tags, assignments, grants,
// RAM shares, resource links, consumer grants); `mesh explain` says the consumer's analyst can
// SELECT a shared table and names the missing grant once it is revoked by hand; a table created
// later in central (as a crawler would) is tagged and linked on the next apply; a second apply
// plans nothing; `--prune` after removing the consumer revokes exactly its grants and links.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateDatabaseCommand,
  CreateTableCommand,
  GetTableCommand,
  GetTablesCommand,
} from "@aws-sdk/client-glue";
import {
  GetDataLakeSettingsCommand,
  GetResourceLFTagsCommand,
  ListLFTagsCommand,
  ListPermissionsCommand,
  RevokePermissionsCommand,
} from "@aws-sdk/client-lakeformation";
import { GetResourceShareInvitationsCommand } from "@aws-sdk/client-ram";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../modules/config/load.ts";
import { meshCrawlerRoleArn } from "../../modules/deploy/naming.ts";
import { stableJson } from "../../modules/operations/operation.ts";
import { cli } from "../support/cli.ts";
import { client, type TestLocation, testLocation } from "../support/local-aws.ts";

const central = testLocation();
const producer = testLocation();
const consumer = testLocation();
const role = (where: TestLocation, name: string) => `arn:aws:iam::${where.account}:role/${name}`;
const analyst = role(consumer, "analysts");
const DB = "sales_refined";

function meshConfig(withConsumer: boolean) {
  const consumers = withConsumer
    ? [
        {
          name: "analytics",
          account: consumer.account,
          roleArn: role(consumer, "lakesync-deploy"),
          principals: [analyst],
          resourceLinks: { database: "shared_sales" },
        },
      ]
    : [];
  const readers = withConsumer ? [producer.account, consumer.account] : [producer.account];
  return {
    source: { name: "prod", account: central.account, region: central.region },
    targets: [{ name: "dr", account: central.account, region: "us-west-2" }],
    batch: { backupBucket: "unused-backups" },
    mesh: {
      central: {
        account: central.account,
        region: central.region,
        roleArn: role(central, "lakesync-deploy"),
        admins: [role(central, "DataLakeAdmin")],
      },
      lfTags: { domain: ["sales", "hr"], confidentiality: ["public", "pii"] },
      tagAssignments: [
        { resource: "sales_*", lfTags: { domain: "sales" } },
        { resource: "sales_*.*", lfTags: { confidentiality: "public" } },
        { resource: "sales_*.*customers", columns: ["email"], lfTags: { confidentiality: "pii" } },
      ],
      producers: [
        {
          name: "sales",
          account: producer.account,
          roleArn: role(producer, "lakesync-deploy"),
          buckets: [{ name: "acme-sales-data", prefixes: ["refined/"] }],
          crawlers: [
            {
              name: "sales-refined",
              database: DB,
              prefixes: ["s3://acme-sales-data/refined/"],
              tablePrefix: "sales_",
            },
          ],
        },
      ],
      consumers,
      grants: [
        {
          lfTags: { domain: ["sales"] },
          resourceType: "DATABASE",
          principals: readers,
          permissions: ["DESCRIBE"],
          permissionsWithGrantOption: ["DESCRIBE"],
        },
        {
          lfTags: { domain: ["sales"], confidentiality: ["public"] },
          principals: readers,
          permissions: ["SELECT", "DESCRIBE"],
          permissionsWithGrantOption: ["SELECT", "DESCRIBE"],
        },
      ],
    },
  };
}

let file = "";
const crawlerRole = () => {
  const config = parseConfig(meshConfig(true), "test config");
  return meshCrawlerRoleArn(config, config.mesh!);
};
const writeConfig = (withConsumer: boolean) => writeFileSync(file, JSON.stringify(meshConfig(withConsumer)));

/** A table as the crawler writes it into the central database. */
async function crawl(name: string) {
  await client("glue", central).send(
    new CreateTableCommand({
      DatabaseName: DB,
      TableInput: {
        Name: name,
        StorageDescriptor: {
          Location: `s3://acme-sales-data/refined/${name}/`,
          Columns: [
            { Name: "id", Type: "bigint" },
            { Name: "email", Type: "string" },
          ],
        },
      },
    }),
  );
}

const tableTags = async (table: string) => {
  const answer = await client("lakeformation", central).send(
    new GetResourceLFTagsCommand({ Resource: { Table: { DatabaseName: DB, Name: table } } }),
  );
  const pairs = (list: { TagKey?: string; TagValues?: string[] }[] | undefined) =>
    (list ?? []).map((t) => `${t.TagKey}=${t.TagValues?.join("|")}`).sort();
  return {
    table: pairs(answer.LFTagsOnTable),
    columns: Object.fromEntries((answer.LFTagsOnColumns ?? []).map((c) => [c.Name, pairs(c.LFTags)])),
  };
};

const grantsIn = async (where: TestLocation, principal: string) => {
  const answer = await client("lakeformation", where).send(new ListPermissionsCommand({}));
  return (answer.PrincipalResourcePermissions ?? [])
    .filter((p) => p.Principal?.DataLakePrincipalIdentifier === principal)
    .map((p) => `${stableJson(p.Resource)} ${[...(p.Permissions ?? [])].sort().join(",")}`)
    .sort();
};

const links = async () => {
  const answer = await client("glue", consumer).send(new GetTablesCommand({ DatabaseName: "shared_sales" }));
  return (answer.TableList ?? [])
    .map(
      (t) => `${t.Name} -> ${t.TargetTable?.CatalogId}:${t.TargetTable?.DatabaseName}.${t.TargetTable?.Name}`,
    )
    .sort();
};

const explain = (table: string) =>
  cli(["mesh", "explain", "--config", file, "--principal", analyst, "--table", table, "--json"]);

beforeAll(async () => {
  file = join(mkdtempSync(join(tmpdir(), "lakesync-mesh-")), "lakesync.config.json");
  writeConfig(true);
  await client("glue", central).send(new CreateDatabaseCommand({ DatabaseInput: { Name: DB } }));
  await crawl("sales_customers");
  await crawl("sales_orders");
});

describe("a declared mesh on three accounts", () => {
  it("mesh apply puts tags, assignments, grants, shares, resource links and consumer grants in place", async () => {
    const plan = await cli(["mesh", "plan", "--config", file]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain(
      `grant DESCRIBE, SELECT on table ${central.account}:${DB}.sales_orders to ${analyst}`,
    );
    expect(plan.lastLine).toMatch(/^mesh plan: \d+ operation\(s\) planned, nothing changed$/);

    const apply = await cli(["mesh", "apply", "--config", file]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain(" 0 failed");

    const settings = await client("lakeformation", central).send(new GetDataLakeSettingsCommand({}));
    expect(settings.DataLakeSettings?.Parameters?.CROSS_ACCOUNT_VERSION).toBe("4");
    expect(settings.DataLakeSettings?.CreateTableDefaultPermissions).toEqual([]);
    expect(settings.DataLakeSettings?.DataLakeAdmins).toEqual([
      { DataLakePrincipalIdentifier: role(central, "DataLakeAdmin") },
    ]);
    const tags = await client("lakeformation", central).send(new ListLFTagsCommand({}));
    expect(tags.LFTags?.map((t) => `${t.TagKey}=${t.TagValues?.join("|")}`).sort()).toEqual([
      "confidentiality=public|pii",
      "domain=sales|hr",
    ]);
    expect(await tableTags("sales_customers")).toEqual({
      table: ["confidentiality=public", "domain=sales"],
      columns: {
        email: ["confidentiality=pii", "domain=sales"],
        id: ["confidentiality=public", "domain=sales"],
      },
    });

    const policy = (type: string, expression: object) =>
      stableJson({ LFTagPolicy: { CatalogId: central.account, ResourceType: type, Expression: expression } });
    const centralGrants = await grantsIn(central, consumer.account);
    expect(centralGrants).toEqual(
      [
        `${policy("DATABASE", [{ TagKey: "domain", TagValues: ["sales"] }])} DESCRIBE`,
        `${policy("TABLE", [
          { TagKey: "confidentiality", TagValues: ["public"] },
          { TagKey: "domain", TagValues: ["sales"] },
        ])} DESCRIBE,SELECT`,
      ].sort(),
    );
    expect((await grantsIn(central, producer.account)).length).toBe(2);
    // The central stack's crawler role (named from the config) may write the crawled tables.
    const crawler = await grantsIn(central, crawlerRole());
    expect(crawler).toEqual(
      expect.arrayContaining([
        `${stableJson({ Database: { CatalogId: central.account, Name: DB } })} ALTER,CREATE_TABLE,DESCRIBE`,
        `${stableJson({ DataLocation: { CatalogId: central.account, ResourceArn: "arn:aws:s3:::acme-sales-data/refined" } })} DATA_LOCATION_ACCESS`,
      ]),
    );
    const producerInvitations = await client("ram", producer).send(
      new GetResourceShareInvitationsCommand({}),
    );
    expect(producerInvitations.resourceShareInvitations?.map((i) => i.status)).toEqual(["ACCEPTED"]);

    const invitations = await client("ram", consumer).send(new GetResourceShareInvitationsCommand({}));
    // The grants made the share and its invitation; the same apply accepted it in the consumer.
    expect(invitations.resourceShareInvitations?.map((i) => [i.senderAccountId, i.status])).toEqual([
      [central.account, "ACCEPTED"],
    ]);
    expect(apply.stdout).toContain(
      `accept RAM share LakeFormation-V4-${consumer.account} from ${central.account}`,
    );

    expect(await links()).toEqual([
      `sales_customers -> ${central.account}:${DB}.sales_customers`,
      `sales_orders -> ${central.account}:${DB}.sales_orders`,
    ]);
    const target = (name: string) =>
      stableJson({ Table: { CatalogId: central.account, DatabaseName: DB, Name: name } });
    const link = (name: string) =>
      stableJson({ Table: { CatalogId: consumer.account, DatabaseName: "shared_sales", Name: name } });
    expect(await grantsIn(consumer, analyst)).toEqual(
      [
        `${stableJson({ Database: { CatalogId: consumer.account, Name: "shared_sales" } })} DESCRIBE`,
        `${link("sales_customers")} DESCRIBE`,
        `${link("sales_orders")} DESCRIBE`,
        `${target("sales_customers")} DESCRIBE,SELECT`,
        `${target("sales_orders")} DESCRIBE,SELECT`,
      ].sort(),
    );
  });

  it("mesh explain: the consumer's analyst can SELECT a shared table; a grant revoked by hand is named", async () => {
    const allowed = await explain("shared_sales.sales_orders");
    expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
    const verdict = JSON.parse(allowed.stdout);
    expect(verdict).toMatchObject({ allowed: true, target: `${central.account}:${DB}.sales_orders` });
    expect(verdict.select.via).toContainEqual(
      expect.stringContaining("LF-Tag policy confidentiality=public, domain=sales"),
    );

    await client("lakeformation", consumer).send(
      new RevokePermissionsCommand({
        Principal: { DataLakePrincipalIdentifier: analyst },
        Resource: { Table: { CatalogId: central.account, DatabaseName: DB, Name: "sales_orders" } },
        Permissions: ["SELECT"],
      }),
    );
    const denied = await explain("shared_sales.sales_orders");
    expect(denied.code).toBe(2);
    const after = JSON.parse(denied.stdout);
    expect(after.describe.allowed).toBe(true);
    expect(after.select.missing).toEqual([
      `SELECT on ${central.account}:${DB}.sales_orders (CatalogId ${central.account}) granted to ${analyst} in ${consumer.account}`,
    ]);
    const human = await cli([
      "mesh",
      "explain",
      "--config",
      file,
      "--principal",
      analyst,
      "--table",
      "shared_sales.sales_orders",
    ]);
    expect(human.stdout).toContain("  SELECT: not allowed");
    expect(human.lastLine).toBe("access denied");

    const status = await cli(["mesh", "status", "--config", file]);
    expect(status.code).toBe(2);
    expect(status.stdout).toContain(`consumer ${consumer.account}: 1 operation(s) to apply`);
    const repair = await cli(["mesh", "apply", "--config", file]);
    expect(repair.code, repair.stdout).toBe(0);
    expect((await explain("shared_sales.sales_orders")).code).toBe(0);
  });

  it("a table the crawler creates later is tagged and linked on the next apply", async () => {
    await crawl("sales_refunds");
    const plan = await cli(["mesh", "plan", "--config", file]);
    expect(plan.stdout).toContain(`add LF tags confidentiality to Table ${DB}.sales_refunds`);
    expect(plan.stdout).toContain("create table shared_sales.sales_refunds");
    const apply = await cli(["mesh", "apply", "--config", file]);
    expect(apply.code, apply.stdout).toBe(0);
    expect((await tableTags("sales_refunds")).table).toEqual(["confidentiality=public", "domain=sales"]);
    const link = await client("glue", consumer).send(
      new GetTableCommand({ DatabaseName: "shared_sales", Name: "sales_refunds" }),
    );
    expect(link.Table?.TargetTable).toEqual({
      CatalogId: central.account,
      DatabaseName: DB,
      Name: "sales_refunds",
    });
    expect((await explain("shared_sales.sales_refunds")).code).toBe(0);
  });

  it("a second apply plans nothing", async () => {
    const plan = await cli(["mesh", "plan", "--config", file]);
    expect(plan.stdout).toContain("total: 0 (nothing to do)");
    const apply = await cli(["mesh", "apply", "--config", file]);
    expect(apply.code).toBe(0);
    expect(apply.lastLine).toBe("mesh apply: nothing to do");
    const status = await cli(["mesh", "status", "--config", file]);
    expect(status.code, status.stdout).toBe(0);
    expect(status.lastLine).toBe("mesh in place");
    const json = await cli(["mesh", "status", "--config", file, "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ mode: "status", inPlace: true });
  });

  it("--prune after removing the consumer revokes exactly its grants and links", async () => {
    writeConfig(false);
    const unpruned = await cli(["mesh", "plan", "--config", file]);
    expect(unpruned.stdout).toContain("total: 0 (nothing to do)");

    const plan = await cli(["mesh", "plan", "--config", file, "--prune"]);
    expect(plan.stdout).toContain(
      `revoke DESCRIBE, SELECT on tables tagged confidentiality=public AND domain=sales from ${consumer.account}`,
    );
    expect(plan.stdout).toContain("delete table shared_sales.sales_orders");
    const producerBefore = await grantsIn(central, producer.account);
    const apply = await cli(["mesh", "apply", "--config", file, "--prune"]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);

    expect(await grantsIn(central, consumer.account)).toEqual([]);
    expect(await grantsIn(central, producer.account)).toEqual(producerBefore);
    expect(await grantsIn(consumer, analyst)).toEqual([]);
    await expect(
      client("glue", consumer).send(new GetTablesCommand({ DatabaseName: "shared_sales" })),
    ).rejects.toMatchObject({ name: "EntityNotFoundException" });
    expect((await tableTags("sales_orders")).table).toEqual(["confidentiality=public", "domain=sales"]);

    const again = await cli(["mesh", "plan", "--config", file, "--prune"]);
    expect(again.stdout).toContain("total: 0 (nothing to do)");
  });
});
