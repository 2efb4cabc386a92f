// The Lake Formation event families end to end (SDK write in the source -> local CloudTrail ->
// poller -> journal -> replicator -> both targets, read back through the SDK): LF tags and their
// assignments, grants and revokes (batch, grant options), data lake settings (protected admins
// kept), registered locations and data cells filters, with principals, accounts and buckets mapped.
import { readFile, writeFile } from "node:fs/promises";
import { CreateDatabaseCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import {
  AddLFTagsToResourceCommand,
  BatchGrantPermissionsCommand,
  BatchRevokePermissionsCommand,
  CreateDataCellsFilterCommand,
  CreateLFTagCommand,
  DeleteDataCellsFilterCommand,
  DeleteLFTagCommand,
  DeregisterResourceCommand,
  DescribeResourceCommand,
  GetDataCellsFilterCommand,
  GetDataLakeSettingsCommand,
  GetLFTagCommand,
  GetResourceLFTagsCommand,
  GrantPermissionsCommand,
  ListPermissionsCommand,
  PutDataLakeSettingsCommand,
  RegisterResourceCommand,
  RemoveLFTagsFromResourceCommand,
  type Resource,
  RevokePermissionsCommand,
  UpdateDataCellsFilterCommand,
  UpdateLFTagCommand,
} from "@aws-sdk/client-lakeformation";
import { beforeAll, describe, expect, it } from "vitest";
import type { TargetOutcome } from "../../modules/replicator/replicate-event.ts";
import type { TestLocation } from "../support/local-aws.ts";
import { glue, type Lake, lf, newLake, nextSecond, replicateOnce } from "./support.ts";

const people: Resource = { Table: { DatabaseName: "hr", Name: "people" } };
const hrDatabase: Resource = { Database: { Name: "hr" } };
const replicatorRole = "arn:aws:iam::999999999999:role/lakesync-replicator";
const drAdmin = (account: string) => `arn:aws:iam::${account}:role/dr-admin`;

/** Adds `targets[].protectedAdmins` (per target account) to the lake's config file. */
async function protectAdmins(lake: Lake, admins: (account: string) => string[]): Promise<void> {
  const config = JSON.parse(await readFile(lake.configFile, "utf8")) as {
    targets: { account: string; protectedAdmins?: string[] }[];
  };
  for (const target of config.targets) target.protectedAdmins = admins(target.account);
  await writeFile(lake.configFile, JSON.stringify(config));
}

async function sourceActivity(source: TestLocation): Promise<void> {
  const role = (name: string) => `arn:aws:iam::${source.account}:role/${name}`;
  const principal = (name: string) => ({ DataLakePrincipalIdentifier: role(name) });
  const g = glue(source);
  const l = lf(source);
  await g.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "hr" } }));
  await g.send(
    new CreateTableCommand({
      DatabaseName: "hr",
      TableInput: {
        Name: "people",
        StorageDescriptor: {
          Columns: ["id", "name", "region"].map((Name) => ({ Name, Type: "string" })),
          Location: "s3://lake-src/hr/people/",
        },
      },
    }),
  );
  await nextSecond();
  await l.send(new CreateLFTagCommand({ TagKey: "domain", TagValues: ["hr", "sales"] }));
  await l.send(new CreateLFTagCommand({ TagKey: "tier", TagValues: ["gold", "silver"] }));
  await l.send(new CreateLFTagCommand({ TagKey: "temp", TagValues: ["x"] }));
  await l.send(
    new AddLFTagsToResourceCommand({
      Resource: people,
      LFTags: [
        { TagKey: "domain", TagValues: ["hr"] },
        { TagKey: "tier", TagValues: ["gold"] },
      ],
    }),
  );
  await l.send(
    new GrantPermissionsCommand({
      Principal: principal("analyst"),
      Resource: people,
      Permissions: ["SELECT"],
      PermissionsWithGrantOption: ["SELECT"],
    }),
  );
  await l.send(
    new GrantPermissionsCommand({
      Principal: principal("etl"),
      Resource: hrDatabase,
      Permissions: ["ALTER"],
    }),
  );
  await l.send(
    new BatchGrantPermissionsCommand({
      Entries: [
        { Id: "1", Principal: principal("analyst"), Resource: hrDatabase, Permissions: ["DESCRIBE"] },
        {
          Id: "2",
          Principal: principal("etl"),
          Resource: people,
          Permissions: ["SELECT"],
          PermissionsWithGrantOption: ["SELECT"],
        },
      ],
    }),
  );
  await l.send(
    new PutDataLakeSettingsCommand({ DataLakeSettings: { DataLakeAdmins: [principal("lake-admin")] } }),
  );
  await l.send(
    new RegisterResourceCommand({ ResourceArn: "arn:aws:s3:::lake-src/hr/", RoleArn: role("lf-access") }),
  );
  await l.send(
    new RegisterResourceCommand({ ResourceArn: "arn:aws:s3:::lake-src/tmp/", RoleArn: role("lf-access") }),
  );
  const filter = {
    TableCatalogId: source.account,
    DatabaseName: "hr",
    TableName: "people",
    RowFilter: { FilterExpression: "region = 'EMEA'" },
  };
  await l.send(
    new CreateDataCellsFilterCommand({ TableData: { ...filter, Name: "emea", ColumnNames: ["id", "name"] } }),
  );
  await l.send(
    new CreateDataCellsFilterCommand({ TableData: { ...filter, Name: "tmp", ColumnWildcard: {} } }),
  );
  await nextSecond();
  await l.send(
    new UpdateLFTagCommand({ TagKey: "domain", TagValuesToAdd: ["finance"], TagValuesToDelete: ["sales"] }),
  );
  await l.send(new DeleteLFTagCommand({ TagKey: "temp" }));
  await l.send(
    new RemoveLFTagsFromResourceCommand({
      Resource: people,
      LFTags: [{ TagKey: "tier", TagValues: ["gold"] }],
    }),
  );
  await l.send(
    new RevokePermissionsCommand({
      Principal: principal("etl"),
      Resource: hrDatabase,
      Permissions: ["ALTER"],
    }),
  );
  await l.send(
    new BatchRevokePermissionsCommand({
      Entries: [
        { Id: "1", Principal: principal("analyst"), Resource: hrDatabase, Permissions: ["DESCRIBE"] },
      ],
    }),
  );
  await l.send(new DeregisterResourceCommand({ ResourceArn: "arn:aws:s3:::lake-src/tmp/" }));
  await l.send(
    new UpdateDataCellsFilterCommand({ TableData: { ...filter, Name: "emea", ColumnNames: ["id"] } }),
  );
  await l.send(
    new DeleteDataCellsFilterCommand({
      TableCatalogId: source.account,
      DatabaseName: "hr",
      TableName: "people",
      Name: "tmp",
    }),
  );
}

const lakeFormationEvents = [
  "GrantPermissions",
  "RevokePermissions",
  "BatchGrantPermissions",
  "BatchRevokePermissions",
  "CreateLFTag",
  "UpdateLFTag",
  "DeleteLFTag",
  "AddLFTagsToResource",
  "RemoveLFTagsFromResource",
  "PutDataLakeSettings",
  "RegisterResource",
  "DeregisterResource",
  "CreateDataCellsFilter",
  "UpdateDataCellsFilter",
  "DeleteDataCellsFilter",
];

interface Target {
  name: string;
  location: TestLocation;
  bucket: string;
  analyst: string;
  etl: string;
}

async function permissionsOf(target: Target, principal: string, resource: Resource) {
  const { PrincipalResourcePermissions } = await lf(target.location).send(
    new ListPermissionsCommand({ Principal: { DataLakePrincipalIdentifier: principal }, Resource: resource }),
  );
  return (PrincipalResourcePermissions ?? []).map((p) => ({
    permissions: [...(p.Permissions ?? [])].sort(),
    grantable: [...(p.PermissionsWithGrantOption ?? [])].sort(),
  }));
}

describe("replicate --once: Lake Formation events", () => {
  let lake: Lake;
  let outcomes: TargetOutcome[];
  let targets: Target[];

  beforeAll(async () => {
    lake = await newLake();
    const { source, west, backup } = lake;
    targets = [
      {
        name: "west",
        location: west,
        bucket: "lake-west",
        analyst: `arn:aws:iam::${source.account}:role/analyst`,
        etl: `arn:aws:iam::${source.account}:role/etl`,
      },
      {
        name: "backup",
        location: backup,
        bucket: "lake-backup",
        // principal map (config), then the implicit source -> target account mapping
        analyst: `arn:aws:iam::${backup.account}:role/analyst-dr`,
        etl: `arn:aws:iam::${backup.account}:role/etl`,
      },
    ];
    // Each target already has its own break-glass admin, configured as protected, and the
    // replicator role as an admin: replication must keep both (protected admins present stay).
    await protectAdmins(lake, (account) => [drAdmin(account)]);
    for (const target of targets) {
      await lf(target.location).send(
        new PutDataLakeSettingsCommand({
          DataLakeSettings: {
            DataLakeAdmins: [drAdmin(target.location.account), replicatorRole].map((id) => ({
              DataLakePrincipalIdentifier: id,
            })),
          },
        }),
      );
    }
    await sourceActivity(source);
    const result = await replicateOnce(lake, ["--replicator-role", replicatorRole]);
    expect(result.run.stderr).toBe("");
    expect(result.run.code).toBe(0);
    outcomes = result.outcomes;
  });

  it.each(lakeFormationEvents)("%s is applied on both targets", (eventName) => {
    const states = outcomes.filter((o) => o.eventName === eventName).map((o) => `${o.target}: ${o.state}`);
    expect(states.length).toBeGreaterThanOrEqual(2);
    expect(new Set(states)).toEqual(new Set(["west: applied", "backup: applied"]));
  });

  it("LF tags: created, values added and removed, deleted", async () => {
    for (const { location } of targets) {
      const domain = await lf(location).send(new GetLFTagCommand({ TagKey: "domain" }));
      expect([...(domain.TagValues ?? [])].sort()).toEqual(["finance", "hr"]);
      const tier = await lf(location).send(new GetLFTagCommand({ TagKey: "tier" }));
      expect([...(tier.TagValues ?? [])].sort()).toEqual(["gold", "silver"]);
      await expect(lf(location).send(new GetLFTagCommand({ TagKey: "temp" }))).rejects.toThrow();
    }
  });

  it("tag assignments: added, then one removed", async () => {
    for (const { location } of targets) {
      const tags = await lf(location).send(
        new GetResourceLFTagsCommand({ Resource: people, ShowAssignedLFTags: true }),
      );
      expect(tags.LFTagsOnTable?.map((t) => [t.TagKey, t.TagValues])).toEqual([["domain", ["hr"]]]);
    }
  });

  it("grants and revokes, single and batch, with grant options, to mapped principals", async () => {
    for (const target of targets) {
      expect(await permissionsOf(target, target.analyst, people)).toEqual([
        { permissions: ["SELECT"], grantable: ["SELECT"] },
      ]);
      expect(await permissionsOf(target, target.etl, people)).toEqual([
        { permissions: ["SELECT"], grantable: ["SELECT"] },
      ]);
      expect(await permissionsOf(target, target.analyst, hrDatabase)).toEqual([]);
      expect(await permissionsOf(target, target.etl, hrDatabase)).toEqual([]);
    }
  });

  it("data lake settings: the source's admins replayed, the protected break-glass admin and the replicator role kept", async () => {
    for (const { location } of targets) {
      const { DataLakeSettings } = await lf(location).send(new GetDataLakeSettingsCommand({}));
      const admins = (DataLakeSettings?.DataLakeAdmins ?? [])
        .map((a) => a.DataLakePrincipalIdentifier)
        .sort();
      expect(admins).toEqual(
        [
          drAdmin(location.account),
          `arn:aws:iam::${location.account}:role/lake-admin`,
          replicatorRole,
        ].sort(),
      );
    }
  });

  it("registered locations: bucket and role account mapped; the deregistered one is gone", async () => {
    for (const { location, bucket } of targets) {
      const { ResourceInfo } = await lf(location).send(
        new DescribeResourceCommand({ ResourceArn: `arn:aws:s3:::${bucket}/hr/` }),
      );
      expect(ResourceInfo?.RoleArn).toBe(`arn:aws:iam::${location.account}:role/lf-access`);
      await expect(
        lf(location).send(new DescribeResourceCommand({ ResourceArn: `arn:aws:s3:::${bucket}/tmp/` })),
      ).rejects.toThrow();
    }
  });

  it("data cells filters: created, updated, deleted, in the target's catalog", async () => {
    for (const { location } of targets) {
      const key = { TableCatalogId: location.account, DatabaseName: "hr", TableName: "people" };
      const { DataCellsFilter } = await lf(location).send(
        new GetDataCellsFilterCommand({ ...key, Name: "emea" }),
      );
      expect(DataCellsFilter).toMatchObject({
        ...key,
        Name: "emea",
        RowFilter: { FilterExpression: "region = 'EMEA'" },
        ColumnNames: ["id"],
      });
      await expect(
        lf(location).send(new GetDataCellsFilterCommand({ ...key, Name: "tmp" })),
      ).rejects.toThrow();
    }
  });
});
