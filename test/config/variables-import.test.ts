import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SeedImportError } from "../../modules/config/import/seed-import.ts";
import { importSeedVariables, looksLikeSeedVariables } from "../../modules/config/import/variables-import.ts";
import { parseConfig } from "../../modules/config/load.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/config/${name}`, import.meta.url), "utf8");
const example = () => {
  const { $schema: _, ...rest } = JSON.parse(fixture("../../../lakesync.config.example.json"));
  return rest;
};

describe("importing the data-mesh seed's variables.json", () => {
  const imported = importSeedVariables(fixture("variables.json"));
  // biome-ignore lint/suspicious/noExplicitAny: the draft is arbitrary JSON
  const mesh = (imported.config as any).mesh;

  it("maps every key into the mesh section, with post_setup.py's tags, assignments and consumer grants", () => {
    expect(imported.format).toBe("mesh");
    expect(mesh.lfTags).toEqual({ joe_test: ["test_demo_tag"] });
    expect(mesh.tagAssignments).toEqual([
      { resource: "joe_central_catalog_db", lfTags: { joe_test: "test_demo_tag" } },
      { resource: "joe_central_catalog_db.*", lfTags: { joe_test: "test_demo_tag" } },
    ]);
    expect(mesh.producers).toEqual([
      {
        name: "producer",
        buckets: [{ name: "data-mesh-extra-refined", prefixes: [""] }],
        crawlers: [
          {
            name: "producer_crawler",
            database: "joe_central_catalog_db",
            prefixes: ["s3://data-mesh-extra-refined/customers/"],
            tablePrefix: "joe_test",
          },
        ],
      },
    ]);
    const sso =
      "arn:aws:iam::901228589034:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_5f0e3c2b1a4d6e7f";
    expect(mesh.consumers).toEqual([
      {
        name: "consumer",
        account: "901228589034",
        principals: [sso],
        resourceLinks: { database: "joe_consumer_catalog_db", tables: "all" },
        athena: { workgroup: "joe_consumer_workgroup" },
      },
    ]);
    expect(
      mesh.grants.map((g: { resourceType: string; principals: string[]; permissions: string[] }) => [
        g.resourceType,
        g.principals,
        g.permissions,
      ]),
    ).toEqual([
      ["TABLE", ["901228589034"], ["DESCRIBE", "SELECT"]],
      ["DATABASE", ["901228589034"], ["DESCRIBE", "CREATE_TABLE"]],
    ]);
  });

  it("reports each required field the seed cannot give, and is not valid until they are set", () => {
    expect(imported.valid).toBe(false);
    expect(imported.unmapped.map((u) => u.key)).toEqual([
      "mesh.central.account",
      "mesh.central.roleArn",
      "mesh.central.region",
      "mesh.producers[0].account",
      "mesh.producers[0].roleArn",
      "mesh.consumers[0].roleArn",
      "mesh.producers[0].buckets[0]",
      "mesh.producers[0].crawlers[0].prefixes",
      "mesh.grants",
      "consumer_sso_arn",
      "mesh.consumers[0].athena.resultBucket",
      "source, targets, batch",
    ]);
  });

  it("gives a mesh that validates, merged into a config, once the reported fields are filled in", () => {
    const filled = structuredClone(mesh);
    Object.assign(filled.central, {
      account: "111111111111",
      roleArn: "arn:aws:iam::111111111111:role/deploy",
    });
    Object.assign(filled.producers[0], {
      account: "222222222222",
      roleArn: "arn:aws:iam::222222222222:role/deploy",
    });
    Object.assign(filled.consumers[0], { roleArn: "arn:aws:iam::901228589034:role/deploy" });
    filled.consumers[0].athena.resultBucket = "joe-consumer-athena-results";
    const config = parseConfig({ ...example(), mesh: filled }, "merged");
    expect(config.mesh?.consumers[0]?.principals).toHaveLength(1);
  });

  it("reports keys it does not know and values of the wrong kind, and rejects files that are not the seed's", () => {
    const odd = importSeedVariables(
      JSON.stringify({ producer_bucket_name: "b-1", central_tag_values: "x", region: "us-west-2" }),
    );
    expect(odd.unmapped).toEqual(
      expect.arrayContaining([
        { key: "region", reason: "not a key of the seed's variables.json; nothing reads it" },
        { key: "central_tag_values", reason: 'expected a non-empty list of strings, got "x"' },
      ]),
    );
    expect(() => importSeedVariables('{"a": 1}')).toThrow(SeedImportError);
    expect(() => importSeedVariables("{ nope")).toThrow(/^not valid JSON/);
    expect(looksLikeSeedVariables(fixture("variables.json"))).toBe(true);
    expect(looksLikeSeedVariables(fixture("glue_config.conf"))).toBe(false);
  });
});
