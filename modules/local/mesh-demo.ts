// The data mesh `npm start` shows on local AWS: a central catalog whose crawler-made tables are
// shared by LF tags with a consumer account, whose analysts query them through resource links.
// The config is what a user writes; the crawler's tables are made with the shared builders.
import type { LakesyncConfigFile } from "../config/schema.ts";
import { createDatabase, createTable } from "../operations/build/index.ts";
import type { TargetOperation } from "../operations/operation.ts";

export const meshDemo = {
  central: "222222222222",
  producer: "444444444444",
  consumer: "333333333333",
  region: "us-east-1",
  database: "sales_refined",
  linkDatabase: "shared_sales",
} as const;

const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
export const meshDemoAnalyst = role(meshDemo.consumer, "analysts");

/** The mesh section of the demo's config, beside the demo's source and target. */
export function meshDemoConfig(
  base: Pick<LakesyncConfigFile, "source" | "targets" | "batch">,
): LakesyncConfigFile {
  const { central, producer, consumer, region, database, linkDatabase } = meshDemo;
  const readers = [producer, consumer];
  return {
    ...base,
    mesh: {
      central: {
        account: central,
        region,
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
          account: producer,
          roleArn: role(producer, "lakesync-deploy"),
          buckets: [{ name: "acme-sales-data", prefixes: ["refined/"] }],
          crawlers: [
            {
              name: "sales-refined",
              database,
              prefixes: ["s3://acme-sales-data/refined/"],
              tablePrefix: "sales_",
            },
          ],
        },
      ],
      consumers: [
        {
          name: "analytics",
          account: consumer,
          roleArn: role(consumer, "lakesync-deploy"),
          principals: [meshDemoAnalyst],
          resourceLinks: { database: linkDatabase },
        },
      ],
      grants: [
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

/** The central database and the tables its crawler would have made. */
export function meshDemoCrawl(): TargetOperation[] {
  const to = { target: { name: "central", account: meshDemo.central, region: meshDemo.region } };
  const table = (Name: string) =>
    createTable(to, {
      DatabaseName: meshDemo.database,
      TableInput: {
        Name,
        TableType: "EXTERNAL_TABLE",
        StorageDescriptor: {
          Location: `s3://acme-sales-data/refined/${Name.replace(/^sales_/, "")}/`,
          Columns: [
            { Name: "id", Type: "bigint" },
            { Name: "email", Type: "string" },
          ],
        },
      },
    });
  return [createDatabase(to, { Name: meshDemo.database }), table("sales_customers"), table("sales_orders")];
}
