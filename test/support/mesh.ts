// A three-account mesh as written in lakesync.config.json (central, one producer, one consumer):
// the fixture of the mesh config, import and stack tests.
import type * as z from "zod";
import type { meshSchema } from "../../modules/config/mesh-schema.ts";

export const MESH_ACCOUNTS = {
  central: "999988887777",
  producer: "222233334444",
  consumer: "444455556666",
} as const;

export const PRODUCER_KEY_ARN = `arn:aws:kms:us-east-1:${MESH_ACCOUNTS.producer}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;

export function sampleMesh(): z.input<typeof meshSchema> {
  const { central, producer, consumer } = MESH_ACCOUNTS;
  return {
    central: {
      account: central,
      region: "us-east-1",
      roleArn: `arn:aws:iam::${central}:role/lakesync-deploy`,
      admins: [`arn:aws:iam::${central}:role/DataLakeAdmin`],
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
        roleArn: `arn:aws:iam::${producer}:role/lakesync-deploy`,
        buckets: [{ name: "acme-sales-data", kmsKeyArn: PRODUCER_KEY_ARN, prefixes: ["refined/"] }],
        crawlers: [
          {
            name: "sales-refined",
            database: "sales_refined",
            prefixes: ["s3://acme-sales-data/refined/customers/", "s3://acme-sales-data/refined/orders/"],
            schedule: "cron(0 2 * * ? *)",
            tablePrefix: "sales_",
          },
        ],
      },
    ],
    consumers: [
      {
        name: "analytics",
        account: consumer,
        roleArn: `arn:aws:iam::${consumer}:role/lakesync-deploy`,
        principals: [`arn:aws:iam::${consumer}:role/analysts`],
        resourceLinks: { database: "shared_sales" },
        athena: { workgroup: "mesh-analytics", resultBucket: "acme-analytics-athena-results" },
      },
    ],
    grants: [
      {
        lfTags: { domain: ["sales"] },
        resourceType: "DATABASE",
        principals: [consumer],
        permissions: ["DESCRIBE"],
        permissionsWithGrantOption: ["DESCRIBE"],
      },
      {
        lfTags: { domain: ["sales"], confidentiality: ["public"] },
        principals: [consumer, `arn:aws:iam::${consumer}:role/analysts`],
        permissions: ["SELECT", "DESCRIBE"],
        permissionsWithGrantOption: ["SELECT", "DESCRIBE"],
      },
    ],
  };
}
