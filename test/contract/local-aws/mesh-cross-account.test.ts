// Contract: what links accounts in a data mesh behaves on local AWS as on AWS (fixes in
// scripts/localaws/fixes/cross_account.py): RAM shares and invitations for grants to other
// accounts, grants seen by the grantee, tag-policy grants listed for a table, resource links.
import { CreateDatabaseCommand, CreateTableCommand, GetTableCommand } from "@aws-sdk/client-glue";
import {
  AddLFTagsToResourceCommand,
  CreateLFTagCommand,
  GrantPermissionsCommand,
  ListPermissionsCommand,
  RevokePermissionsCommand,
} from "@aws-sdk/client-lakeformation";
import {
  AcceptResourceShareInvitationCommand,
  GetResourceShareInvitationsCommand,
  GetResourceSharesCommand,
} from "@aws-sdk/client-ram";
import { beforeAll, describe, expect, it } from "vitest";
import { client, testLocation } from "../../support/local-aws.ts";

const central = testLocation();
const consumer = testLocation();
const analyst = `arn:aws:iam::${consumer.account}:role/analyst`;
const orders = { Table: { CatalogId: central.account, DatabaseName: "sales", Name: "orders" } };
const policy = {
  LFTagPolicy: {
    CatalogId: central.account,
    ResourceType: "TABLE" as const,
    Expression: [{ TagKey: "domain", TagValues: ["sales"] }],
  },
};

beforeAll(async () => {
  const glue = client("glue", central);
  const lakeformation = client("lakeformation", central);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "sales" } }));
  for (const Name of ["orders", "refunds"]) {
    await glue.send(
      new CreateTableCommand({
        DatabaseName: "sales",
        TableInput: { Name, StorageDescriptor: { Columns: [{ Name: "id", Type: "bigint" }] } },
      }),
    );
  }
  await lakeformation.send(new CreateLFTagCommand({ TagKey: "domain", TagValues: ["sales", "hr"] }));
  await lakeformation.send(
    new AddLFTagsToResourceCommand({
      Resource: { Database: { Name: "sales" } },
      LFTags: [{ TagKey: "domain", TagValues: ["sales"] }],
    }),
  );
});

describe("grants to another account", () => {
  // https://docs.aws.amazon.com/lake-formation/latest/dg/cross-account-permissions.html
  // https://docs.aws.amazon.com/ram/latest/APIReference/API_GetResourceShareInvitations.html
  // https://docs.aws.amazon.com/ram/latest/APIReference/API_AcceptResourceShareInvitation.html
  it("share through a RAM resource share whose invitation the grantee accepts", async () => {
    await client("lakeformation", central).send(
      new GrantPermissionsCommand({
        Principal: { DataLakePrincipalIdentifier: consumer.account },
        Resource: policy,
        Permissions: ["SELECT", "DESCRIBE"],
        PermissionsWithGrantOption: ["SELECT", "DESCRIBE"],
      }),
    );
    const owned = await client("ram", central).send(new GetResourceSharesCommand({ resourceOwner: "SELF" }));
    const share = owned.resourceShares?.find((s) => s.name === `LakeFormation-V4-${consumer.account}`);
    expect(share?.status).toBe("ACTIVE");

    const ram = client("ram", consumer);
    const { resourceShareInvitations = [] } = await ram.send(new GetResourceShareInvitationsCommand({}));
    expect(resourceShareInvitations.map((i) => [i.senderAccountId, i.receiverAccountId, i.status])).toEqual([
      [central.account, consumer.account, "PENDING"],
    ]);
    const arn = resourceShareInvitations[0]?.resourceShareInvitationArn;
    const accepted = await ram.send(
      new AcceptResourceShareInvitationCommand({ resourceShareInvitationArn: arn }),
    );
    expect(accepted.resourceShareInvitation?.status).toBe("ACCEPTED");
    await expect(
      ram.send(new AcceptResourceShareInvitationCommand({ resourceShareInvitationArn: arn })),
    ).rejects.toMatchObject({ name: "ResourceShareInvitationAlreadyAcceptedException" });
    const received = await ram.send(new GetResourceSharesCommand({ resourceOwner: "OTHER-ACCOUNTS" }));
    expect(received.resourceShares?.map((s) => s.resourceShareArn)).toEqual([share?.resourceShareArn]);
    await expect(
      ram.send(new AcceptResourceShareInvitationCommand({ resourceShareInvitationArn: `${arn}x` })),
    ).rejects.toMatchObject({ name: "UnknownResourceException" });
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListPermissions.html (CatalogId)
  it("are listed in the grantee account with CatalogId = the grantor, and not in its own catalog", async () => {
    const lakeformation = client("lakeformation", consumer);
    const received = await lakeformation.send(new ListPermissionsCommand({ CatalogId: central.account }));
    expect(
      received.PrincipalResourcePermissions?.map((p) => [
        p.Principal?.DataLakePrincipalIdentifier,
        p.Resource,
      ]),
    ).toEqual([[consumer.account, policy]]);
    const own = await lakeformation.send(new ListPermissionsCommand({}));
    expect(own.PrincipalResourcePermissions).toEqual([]);
  });

  // https://docs.aws.amazon.com/lake-formation/latest/dg/cross-account-permissions.html
  it("leave the share when the last one is revoked", async () => {
    const lakeformation = client("lakeformation", central);
    const entry = {
      Principal: { DataLakePrincipalIdentifier: analyst },
      Resource: orders,
      Permissions: ["SELECT" as const],
    };
    await lakeformation.send(new GrantPermissionsCommand(entry));
    await lakeformation.send(new RevokePermissionsCommand(entry));
    const shareOf = async () =>
      (
        await client("ram", central).send(new GetResourceSharesCommand({ resourceOwner: "SELF" }))
      ).resourceShares?.find((s) => s.name === `LakeFormation-V4-${consumer.account}`);
    expect(await shareOf()).toBeDefined();
    await lakeformation.send(
      new RevokePermissionsCommand({
        Principal: { DataLakePrincipalIdentifier: consumer.account },
        Resource: policy,
        Permissions: ["SELECT", "DESCRIBE"],
      }),
    );
    const received = await client("lakeformation", consumer).send(
      new ListPermissionsCommand({ CatalogId: central.account }),
    );
    expect(received.PrincipalResourcePermissions).toEqual([]);
    // Granted again for the tests below.
    await lakeformation.send(
      new GrantPermissionsCommand({
        Principal: { DataLakePrincipalIdentifier: consumer.account },
        Resource: policy,
        Permissions: ["SELECT", "DESCRIBE"],
      }),
    );
  });
});

describe("tag-policy grants for a table", () => {
  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListPermissions.html (IncludeRelated)
  // https://docs.aws.amazon.com/lake-formation/latest/dg/tag-based-access-control.html
  it("are listed with IncludeRelated when the table's inherited tags satisfy the expression", async () => {
    const lakeformation = client("lakeformation", central);
    const related = await lakeformation.send(
      new ListPermissionsCommand({
        Resource: { Table: { DatabaseName: "sales", Name: "orders" } },
        IncludeRelated: "TRUE",
      }),
    );
    const policies = (rows: typeof related.PrincipalResourcePermissions) =>
      (rows ?? []).filter((p) => p.Resource?.LFTagPolicy).map((p) => p.Resource?.LFTagPolicy?.Expression);
    expect(policies(related.PrincipalResourcePermissions)).toEqual([policy.LFTagPolicy.Expression]);
    await lakeformation.send(
      new AddLFTagsToResourceCommand({
        Resource: { Table: { DatabaseName: "sales", Name: "orders" } },
        LFTags: [{ TagKey: "domain", TagValues: ["hr"] }],
      }),
    );
    const overridden = await lakeformation.send(
      new ListPermissionsCommand({
        Resource: { Table: { DatabaseName: "sales", Name: "orders" } },
        IncludeRelated: "TRUE",
      }),
    );
    expect(policies(overridden.PrincipalResourcePermissions)).toEqual([]);
    const plain = await lakeformation.send(
      new ListPermissionsCommand({ Resource: { Table: { DatabaseName: "sales", Name: "refunds" } } }),
    );
    expect(policies(plain.PrincipalResourcePermissions)).toEqual([]);
  });
});

describe("resource links", () => {
  // https://docs.aws.amazon.com/lake-formation/latest/dg/resource-links-about.html
  // https://docs.aws.amazon.com/glue/latest/webapi/API_TableInput.html (TargetTable)
  // https://docs.aws.amazon.com/glue/latest/webapi/API_DatabaseInput.html (TargetDatabase)
  it("a table link keeps its target; a database link and CatalogId read the central catalog", async () => {
    const glue = client("glue", consumer);
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "links" } }));
    const TargetTable = { CatalogId: central.account, DatabaseName: "sales", Name: "refunds" };
    await glue.send(
      new CreateTableCommand({ DatabaseName: "links", TableInput: { Name: "refunds", TargetTable } }),
    );
    const link = await glue.send(new GetTableCommand({ DatabaseName: "links", Name: "refunds" }));
    expect(link.Table?.TargetTable).toEqual(TargetTable);

    const direct = await glue.send(
      new GetTableCommand({ CatalogId: central.account, DatabaseName: "sales", Name: "refunds" }),
    );
    expect(direct.Table?.StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual(["id"]);

    await glue.send(
      new CreateDatabaseCommand({
        DatabaseInput: {
          Name: "sales_link",
          TargetDatabase: { CatalogId: central.account, DatabaseName: "sales" },
        },
      }),
    );
    const through = await glue.send(new GetTableCommand({ DatabaseName: "sales_link", Name: "orders" }));
    expect(through.Table?.StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual(["id"]);
    await expect(
      glue.send(new GetTableCommand({ DatabaseName: "sales", Name: "refunds" })),
    ).rejects.toMatchObject({
      name: "EntityNotFoundException",
    });
  });
});
