// The one runner on table writes that carry the Iceberg directive, against local AWS: a table the
// engine cannot rewrite, or the `skip` setting, ends `skipped` with the reason and writes nothing
// (in S3 or Glue); a table whose own metadata file is absent keeps the mapped pointer.
import { randomBytes } from "node:crypto";
import { CreateDatabaseCommand, GetTableCommand } from "@aws-sdk/client-glue";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { createOperationRunner } from "../../modules/aws/operation-runner.ts";
import { icebergDirectivesFor } from "../../modules/mapping/iceberg-tables.ts";
import type { IcebergMode, MappingRules } from "../../modules/mapping/mapping.ts";
import { createOrUpdateTable } from "../../modules/operations/build/index.ts";
import { execute } from "../../modules/operations/executor.ts";
import { client, testLocation } from "../support/local-aws.ts";
import { createBucket, listKeys } from "./s3-buckets.ts";

const source = testLocation("us-east-1");
const dr = { name: "dr", account: source.account, region: "us-west-2" };
const suffix = randomBytes(4).toString("hex");
const sourceBucket = `lakesync-ice-run-src-${suffix}`;
const drBucket = `lakesync-ice-run-dr-${suffix}`;
const s3 = client("s3", source);
const clients = new AwsClients(allClients, { maxAttempts: 1 });

const rules = (iceberg?: IcebergMode): MappingRules => ({
  sourceAccount: source.account,
  sourceRegion: source.region,
  targetAccount: dr.account,
  targetRegion: dr.region,
  buckets: { [sourceBucket]: drBucket },
  accounts: {},
  principals: {},
  filters: { include: [], exclude: [] },
  protectedAdmins: [],
  ...(iceberg ? { iceberg } : {}),
});

const table = (name: string, metadataLocation: string) => ({
  Name: name,
  TableType: "EXTERNAL_TABLE",
  Parameters: { table_type: "ICEBERG", metadata_location: metadataLocation },
});

/** Writes the source table as the realtime planner would, through the real runner. */
async function replicate(name: string, metadataLocation: string, iceberg?: IcebergMode) {
  const sourceInput = table(name, metadataLocation);
  const directive = icebergDirectivesFor(sourceInput, rules(iceberg));
  const mappedInput = table(name, metadataLocation.replace(sourceBucket, drBucket));
  const operation = createOrUpdateTable(
    { target: dr },
    { DatabaseName: "ice", TableInput: mappedInput, ...(directive ? { iceberg: directive } : {}) },
  );
  const report = await execute([operation], {
    run: createOperationRunner(clients),
    sleep: async () => {},
    maxAttempts: 2,
  });
  return report.results[0]!.outcome;
}

const drTable = (name: string) =>
  client("glue", dr)
    .send(new GetTableCommand({ DatabaseName: "ice", Name: name }))
    .then((answer) => answer.Table)
    .catch(() => undefined);

beforeAll(async () => {
  await createBucket(s3, sourceBucket, source.region);
  await createBucket(s3, drBucket, dr.region);
  await client("glue", dr).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "ice" } }));
  // A version 2 metadata file whose snapshot's manifest list was never written.
  const metadata = {
    "format-version": 2,
    "table-uuid": "8c1f0c6e-0000-4000-8000-000000000001",
    location: `s3://${sourceBucket}/wh/ice/broken`,
    "last-sequence-number": 1,
    "last-updated-ms": 1764547200000,
    "last-column-id": 1,
    "current-schema-id": 0,
    schemas: [
      { type: "struct", "schema-id": 0, fields: [{ id: 1, name: "id", required: true, type: "long" }] },
    ],
    "default-spec-id": 0,
    "partition-specs": [{ "spec-id": 0, fields: [] }],
    "last-partition-id": 999,
    "default-sort-order-id": 0,
    "sort-orders": [{ "order-id": 0, fields: [] }],
    properties: {},
    "current-snapshot-id": 7,
    snapshots: [
      {
        "snapshot-id": 7,
        "sequence-number": 1,
        "timestamp-ms": 1764547200000,
        "manifest-list": `s3://${sourceBucket}/wh/ice/broken/metadata/snap-7-1-missing.avro`,
        summary: { operation: "append" },
        "schema-id": 0,
      },
    ],
    "snapshot-log": [],
    "metadata-log": [],
  };
  await s3.send(
    new PutObjectCommand({
      Bucket: sourceBucket,
      Key: "wh/ice/broken/metadata/00001-a.metadata.json",
      Body: JSON.stringify(metadata),
    }),
  );
});

describe("the runner on an Iceberg table write", () => {
  const broken = () => `s3://${sourceBucket}/wh/ice/broken/metadata/00001-a.metadata.json`;

  it("ends skipped with the engine's reason when the tree cannot be rewritten, writing nothing", async () => {
    const outcome = await replicate("broken", broken());
    expect(outcome).toEqual({
      status: "skipped",
      reason: `Iceberg metadata not rewritten: s3://${sourceBucket}/wh/ice/broken/metadata/snap-7-1-missing.avro is named by the table's metadata but does not exist`,
    });
    expect(await drTable("broken")).toBeUndefined();
    expect(await listKeys(s3, drBucket)).toEqual([]);
  });

  it("skip setting: ends skipped, the table not written", async () => {
    const outcome = await replicate("skipped", broken(), "skip");
    expect(outcome).toMatchObject({ status: "skipped" });
    expect(outcome.status === "skipped" && outcome.reason).toContain("iceberg setting is skip");
    expect(await drTable("skipped")).toBeUndefined();
  });

  it("pointer-only: the table points at the copied metadata file, bucket mapped", async () => {
    expect(await replicate("pointer", broken(), "pointer-only")).toEqual({ status: "applied" });
    expect((await drTable("pointer"))?.Parameters?.metadata_location).toBe(
      broken().replace(sourceBucket, drBucket),
    );
  });

  it("a source table whose own metadata file is absent keeps the mapped pointer", async () => {
    const absent = `s3://${sourceBucket}/wh/ice/gone/metadata/00009-z.metadata.json`;
    expect(await replicate("gone", absent)).toEqual({ status: "applied" });
    expect((await drTable("gone"))?.Parameters?.metadata_location).toBe(
      absent.replace(sourceBucket, drBucket),
    );
    expect(await listKeys(s3, drBucket)).toEqual([]);
  });
});
