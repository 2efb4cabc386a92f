import { describe, expect, it } from "vitest";
import { checkConfig } from "../../modules/config/load.ts";
import { crawlersOf, isSharedLocation } from "../../modules/config/mesh-schema.ts";
import { MESH_ACCOUNTS, sampleMesh } from "../support/mesh.ts";

const { central, producer, consumer } = MESH_ACCOUNTS;

const minimal = () => ({
  source: { account: "111122223333", region: "us-east-1" },
  targets: [{ name: "dr", account: "111122223333", region: "us-west-2" }],
  batch: { backupBucket: "acme-backups" },
});

function check(mesh: unknown) {
  return checkConfig({ ...minimal(), mesh });
}

function problems(mesh: unknown): string[] {
  const result = check(mesh);
  return result.ok ? [] : result.issues.map((issue) => `${issue.path}: ${issue.message}`);
}

// biome-ignore lint/suspicious/noExplicitAny: the cases edit arbitrary JSON
type Edit = (mesh: any) => void;

describe("the mesh section", () => {
  it("accepts a three-account mesh and fills in the defaults", () => {
    const result = check(sampleMesh());
    if (!result.ok) throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
    const mesh = result.config.mesh!;
    expect(mesh.central).toMatchObject({
      crossAccountVersion: 4,
      hybridAccessMode: false,
      dataAccessRoleName: "lakesync-mesh-data-access",
      reconcileSchedule: "rate(1 hour)",
    });
    expect(mesh.sameOrganization).toBe(false);
    expect(mesh.consumers[0]!.resourceLinks).toEqual({ database: "shared_sales", tables: "all" });
    expect(mesh.producers[0]!.tables).toEqual([]);
    expect(mesh.grants[1]!.resourceType).toBe("TABLE");
  });

  const cases: [string, Edit, string[]][] = [
    [
      "an account used twice",
      (m) => {
        m.consumers[0].account = producer;
        m.consumers[0].roleArn = `arn:aws:iam::${producer}:role/deploy`;
        m.consumers[0].principals = [];
        m.grants = [];
      },
      [
        `mesh.consumers[0].account: expected an account distinct from every other mesh account, "${producer}" is also mesh.producers[0]`,
      ],
    ],
    [
      "a role to assume in another account",
      (m) => {
        m.central.roleArn = `arn:aws:iam::${producer}:role/deploy`;
      },
      [
        `mesh.central.roleArn: expected a role in account ${central}, got "arn:aws:iam::${producer}:role/deploy"`,
      ],
    ],
    [
      "undeclared tags in assignments and grants",
      (m) => {
        m.tagAssignments[0].lfTags = { domain: "finance" };
        m.grants[0].lfTags = { tier: ["gold"] };
      },
      [
        'mesh.tagAssignments[0].lfTags.domain: expected values declared in mesh.lfTags.domain (sales, hr), got "finance"',
        'mesh.grants[0].lfTags.tier: expected an LF-Tag key declared in mesh.lfTags, got "tier"',
      ],
    ],
    [
      "column tags on a database glob",
      (m) => {
        m.tagAssignments[2].resource = "sales_*";
      },
      [
        'mesh.tagAssignments[2].columns: expected a "database.table" resource glob for column tags, got "sales_*"',
      ],
    ],
    [
      "a grant to an undeclared principal",
      (m) => {
        m.grants[1].principals = ["555566667777", `arn:aws:iam::${consumer}:role/intruders`];
      },
      [
        'mesh.grants[1].principals[0]: expected a producer or consumer account, or a principal declared in mesh.consumers, got "555566667777"',
        `mesh.grants[1].principals[1]: expected a producer or consumer account, or a principal declared in mesh.consumers, got "arn:aws:iam::${consumer}:role/intruders"`,
      ],
    ],
    [
      "a grant to an IAM principal under cross-account version 2",
      (m) => {
        m.central.crossAccountVersion = 2;
      },
      [
        `mesh.grants[1].principals[1]: expected an account id: cross-account version 2 cannot grant to IAM principals in other accounts (set mesh.central.crossAccountVersion to 3 or 4), got "arn:aws:iam::${consumer}:role/analysts"`,
      ],
    ],
    [
      "a grant option on a permission not granted",
      (m) => {
        m.grants[0].permissionsWithGrantOption = ["SELECT"];
      },
      [
        'mesh.grants[0].permissionsWithGrantOption: expected permissions also listed in permissions, got "SELECT"',
      ],
    ],
    [
      "a consumer principal in another account",
      (m) => {
        m.consumers[0].principals = [`arn:aws:iam::${central}:role/analysts`];
        m.grants[1].principals = [consumer];
      },
      [
        `mesh.consumers[0].principals[0]: expected a principal in the consumer's account ${consumer}, got "arn:aws:iam::${central}:role/analysts"`,
      ],
    ],
    [
      "a crawler outside the shared prefixes",
      (m) => {
        m.producers[0].crawlers[0].prefixes[1] = "s3://acme-sales-data/raw/orders/";
      },
      [
        'mesh.producers[0].crawlers[0].prefixes[1]: expected an S3 URL under a prefix of this producer\'s buckets, got "s3://acme-sales-data/raw/orders/"',
      ],
    ],
    [
      "two crawlers with one name",
      (m) => {
        m.producers[0].crawlers.push({
          name: "sales-refined-refined-customers",
          database: "sales_refined",
          prefixes: ["s3://acme-sales-data/refined/customers/"],
        });
      },
      [
        'mesh.producers[0].crawlers[1].name: expected unique crawler names, "sales-refined-refined-customers" is also made by mesh.producers[0].crawlers[0]',
      ],
    ],
    [
      "a malformed field",
      (m) => {
        m.central.crossAccountVersion = 5;
        m.consumers[0].athena.resultBucket = "s3://results";
      },
      [
        "mesh.central.crossAccountVersion: expected at most 4, got 5",
        'mesh.consumers[0].athena.resultBucket: expected a bucket name only (no s3:// scheme, no key prefix), got "s3://results"',
      ],
    ],
  ];

  it.each(cases)("reports %s in one line naming the field", (_name, edit, expected) => {
    const mesh = sampleMesh();
    edit(mesh);
    expect(problems(mesh)).toEqual(expected);
  });
});

describe("crawlersOf", () => {
  it("makes one crawler per prefix, named after the entry alone when it has one", () => {
    const mesh = sampleMesh();
    const crawler = { ...mesh.producers![0]!.crawlers![0]!, tablePrefix: "" };
    expect(crawlersOf(crawler).map((c) => c.name)).toEqual([
      "sales-refined-refined-customers",
      "sales-refined-refined-orders",
    ]);
    expect(crawlersOf({ ...crawler, prefixes: ["s3://acme-sales-data/"] })).toEqual([
      { name: "sales-refined", prefix: "s3://acme-sales-data/" },
    ]);
  });
});

describe("isSharedLocation", () => {
  const producerEntry = { buckets: [{ name: "acme-sales-data", prefixes: ["refined/"] }] };
  it.each([
    ["s3://acme-sales-data/refined/orders/", true],
    ["s3://acme-sales-data/refined", true],
    ["s3://acme-sales-data/refinedx/", false],
    ["s3://acme-sales-data/", false],
    ["s3://other-bucket/refined/", false],
  ])("%s → %s", (url, expected) => {
    expect(isSharedLocation(producerEntry, url)).toBe(expected);
  });
});
