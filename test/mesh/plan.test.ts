// The mesh reconciler's pure planner: the declared mesh against live catalogs (test/mesh/support.ts
// applies its operations as AWS would), so plan -> apply -> plan shows idempotency, crawler-made
// tables, and what --prune removes and leaves.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recordKeys } from "../../modules/catalog/model.ts";
import type { LiveCatalog } from "../../modules/mesh/live.ts";
import { LINK_DATABASE_MARK, MeshPlanError, planMesh } from "../../modules/mesh/plan.ts";
import type { MeshConsumer, MeshSpec } from "../../modules/mesh/spec.ts";
import { applyOperations, catalogWith } from "./support.ts";

const CENTRAL = "111111111111";
const PRODUCER = "222222222222";
const CONSUMER = "333333333333";
const OTHER = "444444444444";
const analyst = (account: string) => `arn:aws:iam::${account}:role/analysts`;

const consumer = (account: string, extra: Partial<MeshConsumer> = {}): MeshConsumer => ({
  account,
  region: "us-east-1",
  admins: [],
  principals: [analyst(account)],
  links: { database: "shared", tables: "all" },
  ...extra,
});

function spec(consumers: MeshConsumer[] = [consumer(CONSUMER)]): MeshSpec {
  const readers = [PRODUCER, ...consumers.map((c) => c.account)];
  return {
    central: {
      account: CENTRAL,
      region: "us-east-1",
      admins: [`arn:aws:iam::${CENTRAL}:role/DataLakeAdmin`],
      crossAccountVersion: 4,
      databases: ["sales_raw"],
    },
    producers: [{ account: PRODUCER, region: "us-east-1" }],
    sameOrganization: false,
    lfTags: { domain: ["sales", "hr"], tier: ["public", "pii"] },
    assignments: [
      { databases: "sales_*", tags: { domain: "sales" } },
      { databases: "sales_*", tables: "*", tags: { tier: "public" } },
      { databases: "sales_*", tables: "*customers", columns: ["email"], tags: { tier: "pii" } },
    ],
    grants: readers.map((principal) => ({
      principal,
      resourceType: "TABLE" as const,
      expression: { domain: ["sales"], tier: ["public"] },
      permissions: ["DESCRIBE", "SELECT"],
      permissionsWithGrantOption: ["DESCRIBE", "SELECT"],
    })),
    consumers,
  };
}

const defaults = [
  { Principal: { DataLakePrincipalIdentifier: "IAM_ALLOWED_PRINCIPALS" }, Permissions: ["ALL"] },
];

function world(tables = ["customers", "orders"]): Map<string, LiveCatalog> {
  return new Map([
    [
      CENTRAL,
      catalogWith(
        CENTRAL,
        { sales_raw: tables, hr: ["salaries"] },
        {
          DataLakeAdmins: [{ DataLakePrincipalIdentifier: `arn:aws:iam::${CENTRAL}:role/lakesync-writer` }],
          CreateDatabaseDefaultPermissions: defaults,
          CreateTableDefaultPermissions: defaults,
        },
      ),
    ],
    [CONSUMER, catalogWith(CONSUMER)],
    [PRODUCER, catalogWith(PRODUCER)],
    [OTHER, catalogWith(OTHER)],
  ]);
}

const descriptions = (plan: ReturnType<typeof planMesh>) => plan.operations.map((op) => op.description);

describe("planMesh", () => {
  it("plans central settings, tags, assignments, grants, and the consumer's links and grants", () => {
    const plan = planMesh(spec(), world(), { prune: false });
    const lines = descriptions(plan);
    expect(lines).toContain(
      `merge data lake settings: admins arn:aws:iam::${CENTRAL}:role/DataLakeAdmin, arn:aws:iam::${CENTRAL}:role/lakesync-writer; IAMAllowedPrincipals defaults removed; cross-account version 4`,
    );
    expect(lines).toContain("create LF tag domain = sales, hr");
    expect(lines).toContain("add LF tags domain to Database sales_raw");
    expect(lines).toContain("add LF tags tier to Table sales_raw.orders");
    expect(lines).toContain("add LF tags tier to TableWithColumns sales_raw.customers");
    expect(lines).not.toContain("add LF tags domain to Database hr");
    expect(lines).toContain(
      `grant DESCRIBE, SELECT (grant option DESCRIBE, SELECT) on tables tagged domain=sales AND tier=public to ${CONSUMER}`,
    );
    expect(lines).toContain("create database shared");
    expect(lines).toContain("create table shared.orders");
    expect(lines).toContain(`grant DESCRIBE on table shared.orders to ${analyst(CONSUMER)}`);
    expect(lines).toContain(
      `grant DESCRIBE, SELECT on table ${CENTRAL}:sales_raw.orders to ${analyst(CONSUMER)}`,
    );

    const link = plan.operations.find((op) => op.description === "create table shared.orders");
    expect(link?.target).toMatchObject({ account: CONSUMER });
    expect(link?.input).toMatchObject({
      DatabaseName: "shared",
      TableInput: {
        Name: "orders",
        TargetTable: { CatalogId: CENTRAL, DatabaseName: "sales_raw", Name: "orders" },
      },
    });
    const database = plan.operations.find((op) => op.description === "create database shared");
    expect(database?.input).toMatchObject({
      DatabaseInput: { Parameters: { [LINK_DATABASE_MARK]: CENTRAL } },
    });
  });

  it("is idempotent: after applying the plan, the next plan is empty (any set of tables)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { maxLength: 6 }), (tables) => {
        const live = world(tables);
        applyOperations(live, planMesh(spec(), live, { prune: false }).operations);
        expect(planMesh(spec(), live, { prune: false }).operations).toEqual([]);
        expect(planMesh(spec(), live, { prune: true }).operations).toEqual([]);
      }),
    );
  });

  it("tags and links a table a crawler adds later, and plans nothing else", () => {
    const live = world();
    applyOperations(live, planMesh(spec(), live, { prune: false }).operations);
    const central = live.get(CENTRAL) as LiveCatalog;
    central.tables.set(recordKeys.table("sales_raw", "refunds"), {
      DatabaseName: "sales_raw",
      TableInput: { Name: "refunds" },
    });
    expect(descriptions(planMesh(spec(), live, { prune: false }))).toEqual([
      "add LF tags tier to Table sales_raw.refunds",
      "create table shared.refunds",
      `grant DESCRIBE on table shared.refunds to ${analyst(CONSUMER)}`,
      `grant DESCRIBE, SELECT on table ${CENTRAL}:sales_raw.refunds to ${analyst(CONSUMER)}`,
    ]);
  });

  it("accepts the central account's pending RAM invitations, unless the accounts share an Organization", () => {
    const live = world();
    const invitation = (arn: string, sender: string, status: string) => ({
      arn,
      shareName: `share-${arn}`,
      sender,
      status,
    });
    (live.get(CONSUMER) as LiveCatalog).invitations = [
      invitation("i-1", CENTRAL, "PENDING"),
      invitation("i-2", CENTRAL, "ACCEPTED"),
      invitation("i-3", OTHER, "PENDING"),
    ];
    const accepts = (plan: ReturnType<typeof planMesh>) =>
      plan.operations.filter((op) => op.operation === "AcceptResourceShareInvitation");
    const plan = planMesh(spec(), live, { prune: false });
    expect(accepts(plan).map((op) => [op.target.account, op.input, op.description])).toEqual([
      [CONSUMER, { resourceShareInvitationArn: "i-1" }, `accept RAM share share-i-1 from ${CENTRAL}`],
    ]);
    expect(accepts(planMesh({ ...spec(), sameOrganization: true }, live, { prune: false }))).toEqual([]);
    applyOperations(live, plan.operations);
    expect(planMesh(spec(), live, { prune: false }).operations).toEqual([]);
  });

  it("producers accept the central account's invitations too", () => {
    const live = world();
    (live.get(PRODUCER) as LiveCatalog).invitations = [
      { arn: "p-1", shareName: "s", sender: CENTRAL, status: "PENDING" },
    ];
    const producer = planMesh(spec(), live, { prune: false }).accounts.find((a) => a.account === PRODUCER);
    expect(producer?.role).toBe("producer");
    expect(producer?.operations.map((op) => op.description)).toEqual([`accept RAM share s from ${CENTRAL}`]);
  });

  it("gives the crawler role its databases and the registered locations", () => {
    const crawler = `arn:aws:iam::${CENTRAL}:role/lakesync-mesh-crawler`;
    const withCrawler = spec();
    withCrawler.central.crawler = {
      roleArn: crawler,
      databases: ["sales_raw"],
      locations: ["arn:aws:s3:::acme/refined"],
    };
    const live = world();
    const plan = planMesh(withCrawler, live, { prune: false });
    expect(descriptions(plan)).toEqual(
      expect.arrayContaining([
        `grant ALTER, CREATE_TABLE, DESCRIBE on database sales_raw to ${crawler}`,
        `grant DATA_LOCATION_ACCESS on location arn:aws:s3:::acme/refined to ${crawler}`,
      ]),
    );
    applyOperations(live, plan.operations);
    expect(planMesh(withCrawler, live, { prune: true }).operations).toEqual([]);
  });

  it("links only the listed tables", () => {
    const listed = spec([consumer(CONSUMER, { links: { database: "shared", tables: ["sales_raw.ord*"] } })]);
    const lines = descriptions(planMesh(listed, world(), { prune: false }));
    expect(lines).toContain("create table shared.orders");
    expect(lines).not.toContain("create table shared.customers");
  });

  it("without --prune leaves a removed consumer alone; with it, revokes exactly its grants and links", () => {
    const live = world();
    const both = spec([consumer(CONSUMER), consumer(OTHER)]);
    applyOperations(live, planMesh(both, live, { prune: false }).operations);
    const remaining = spec([consumer(CONSUMER)]);
    expect(planMesh(remaining, live, { prune: false }).operations).toEqual([]);

    const pruned = planMesh(remaining, live, { prune: true });
    expect(pruned.accounts.map((a) => [a.account, a.role, a.operations.length > 0])).toEqual([
      [CENTRAL, "central", true],
      [CONSUMER, "consumer", false],
      [PRODUCER, "producer", false],
      [OTHER, "removed consumer", true],
    ]);
    expect(descriptions(pruned).sort()).toEqual(
      [
        `revoke DESCRIBE, SELECT on tables tagged domain=sales AND tier=public from ${OTHER}`,
        `revoke DESCRIBE on database shared from ${analyst(OTHER)}`,
        `revoke DESCRIBE on table shared.customers from ${analyst(OTHER)}`,
        `revoke DESCRIBE on table shared.orders from ${analyst(OTHER)}`,
        `revoke DESCRIBE, SELECT on table ${CENTRAL}:sales_raw.customers from ${analyst(OTHER)}`,
        `revoke DESCRIBE, SELECT on table ${CENTRAL}:sales_raw.orders from ${analyst(OTHER)}`,
        "delete table shared.customers",
        "delete table shared.orders",
        "delete database shared",
      ].sort(),
    );
    applyOperations(live, pruned.operations);
    expect(planMesh(remaining, live, { prune: true }).operations).toEqual([]);
  });

  it("--prune keeps admins' and IAMAllowedPrincipals' grants, and grants inside the central account", () => {
    const live = world();
    applyOperations(live, planMesh(spec(), live, { prune: false }).operations);
    const consumerLive = live.get(CONSUMER) as LiveCatalog;
    const admin = `arn:aws:iam::${CONSUMER}:role/Admin`;
    consumerLive.settings = { DataLakeAdmins: [{ DataLakePrincipalIdentifier: admin }] };
    const keep = (principal: string, account: string, Resource: Record<string, unknown>) =>
      (account === CENTRAL ? (live.get(CENTRAL) as LiveCatalog) : consumerLive).permissions.set(
        recordKeys.permission(principal, Resource),
        {
          Principal: { DataLakePrincipalIdentifier: principal },
          Resource,
          Permissions: ["ALL"],
          PermissionsWithGrantOption: [],
        },
      );
    keep(admin, CONSUMER, { Table: { CatalogId: CENTRAL, DatabaseName: "sales_raw", Name: "orders" } });
    keep("IAM_ALLOWED_PRINCIPALS", CONSUMER, { Table: { DatabaseName: "shared", Name: "orders" } });
    keep(`arn:aws:iam::${CENTRAL}:role/crawler`, CENTRAL, {
      LFTagPolicy: { ResourceType: "TABLE", Expression: [{ TagKey: "domain", TagValues: ["sales"] }] },
    });
    expect(planMesh(spec(), live, { prune: true }).operations).toEqual([]);
  });

  it("--prune removes undeclared tag values and keys, and declared-key assignments no rule makes", () => {
    const live = world();
    applyOperations(live, planMesh(spec(), live, { prune: false }).operations);
    const central = live.get(CENTRAL) as LiveCatalog;
    central.lfTags.domain = ["hr", "legacy", "sales"];
    central.lfTags.owner = ["team-a"];
    central.tagAssignments.set(recordKeys.tagAssignment("sales_raw", "orders", "id"), {
      Resource: { TableWithColumns: { DatabaseName: "sales_raw", Name: "orders", ColumnNames: ["id"] } },
      LFTags: [{ TagKey: "tier", TagValues: ["pii"] }],
    });
    expect(descriptions(planMesh(spec(), live, { prune: true }))).toEqual([
      "remove values legacy of LF tag domain",
      "delete LF tag owner",
      "remove LF tags tier from TableWithColumns sales_raw.orders",
    ]);
  });

  it("refuses two shared tables that would share a link name", () => {
    const live = world();
    const central = live.get(CENTRAL) as LiveCatalog;
    central.databases.set("sales_eu", { Name: "sales_eu" });
    central.tables.set(recordKeys.table("sales_eu", "orders"), {
      DatabaseName: "sales_eu",
      TableInput: { Name: "orders" },
    });
    expect(() => planMesh(spec(), live, { prune: false })).toThrow(MeshPlanError);
    expect(() => planMesh(spec(), live, { prune: false })).toThrow(
      "link shared.orders would point at both sales_eu.orders and sales_raw.orders",
    );
  });
});
