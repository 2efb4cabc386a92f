// Which table writes carry the Iceberg rewrite directive, what the executor does with a skipped
// one, and how the batch diff reads a target table whose metadata lakesync rewrote.
import { describe, expect, it } from "vitest";
import { diffSnapshots, mapSnapshot } from "../../modules/catalog/diff.ts";
import { differencesToOperations } from "../../modules/catalog/diff-to-operations.ts";
import type { SnapshotRecord } from "../../modules/catalog/model.ts";
import {
  icebergDirectivesFor,
  icebergDirectivesForMapped,
  withIcebergPointers,
} from "../../modules/mapping/iceberg-tables.ts";
import { createOrUpdateTable } from "../../modules/operations/build/index.ts";
import { execute } from "../../modules/operations/executor.ts";
import { commandInput, OperationSkippedError } from "../../modules/operations/runner.ts";
import { rules, SRC } from "./rules.ts";

const metadata = "s3://lake-east/wh/db/t/metadata/00002-b.metadata.json";
const previous = "s3://lake-east/wh/db/t/metadata/00001-a.metadata.json";
const icebergTable = (parameters: Record<string, string> = {}) => ({
  Name: "t",
  Parameters: {
    table_type: "iceberg",
    metadata_location: metadata,
    previous_metadata_location: previous,
    ...parameters,
  },
});

describe("icebergDirectivesFor", () => {
  it("rewrites an Iceberg table (table_type in any case) whose metadata the bucket mapping moves", () => {
    expect(icebergDirectivesFor(icebergTable(), rules)).toEqual({
      mode: "rewrite",
      sourceMetadataLocation: metadata,
      sourcePreviousMetadataLocation: previous,
      buckets: { "lake-east": "lake-west" },
      source: { account: SRC, region: "us-east-1" },
    });
  });

  it("leaves plain writes alone: not Iceberg, metadata in a bucket not moved, pointer-only", () => {
    expect(
      icebergDirectivesFor({ Name: "t", Parameters: { metadata_location: metadata } }, rules),
    ).toBeUndefined();
    const elsewhere = "s3://other/wh/db/t/metadata/00002-b.metadata.json";
    expect(icebergDirectivesFor(icebergTable({ metadata_location: elsewhere }), rules)).toBeUndefined();
    expect(icebergDirectivesFor(icebergTable(), { ...rules, iceberg: "pointer-only" })).toBeUndefined();
  });

  it("skip: the write ends skipped, with the buckets in the reason", () => {
    expect(icebergDirectivesFor(icebergTable(), { ...rules, iceberg: "skip" })).toEqual({
      mode: "skip",
      reason: "Iceberg table moved from bucket lake-east to lake-west: the target's iceberg setting is skip",
    });
  });

  it("from a mapped table input (batch), traces the metadata back to its one source bucket", () => {
    const mapped = icebergTable({
      metadata_location: metadata.replace("lake-east", "lake-west"),
      previous_metadata_location: previous.replace("lake-east", "lake-west"),
    });
    expect(icebergDirectivesForMapped(mapped, rules)).toEqual(icebergDirectivesFor(icebergTable(), rules));
    const twoSources = { ...rules, buckets: { "lake-east": "lake-west", "lake-north": "lake-west" } };
    expect(icebergDirectivesForMapped(mapped, twoSources)).toMatchObject({ mode: "skip" });
  });
});

describe("the directive in operations", () => {
  const to = { target: { name: "dr", account: "222222222222", region: "us-west-2" } };
  const iceberg = icebergDirectivesFor(icebergTable(), rules)!;
  const operation = createOrUpdateTable(to, { DatabaseName: "db", TableInput: icebergTable(), iceberg });

  it("rides on the table write and its update fallback, is named in the plan and never sent", () => {
    expect(operation.input.__iceberg).toEqual(iceberg);
    expect(operation.onExists?.input.__iceberg).toEqual(iceberg);
    expect(operation.description).toBe(
      "create table db.t (Iceberg metadata tree rewritten into s3://lake-west/…/metadata/lakesync-dr/)",
    );
    expect(commandInput(operation.input)).not.toHaveProperty("__iceberg");
    expect(commandInput(operation.input)).toHaveProperty("TableInput");
  });

  it("a runner's OperationSkippedError ends the operation skipped with its reason, without retries", async () => {
    let calls = 0;
    const report = await execute([operation], {
      run: async () => {
        calls += 1;
        throw new OperationSkippedError("Iceberg metadata not rewritten: position deletes");
      },
      sleep: async () => {},
      maxAttempts: 3,
    });
    expect(calls).toBe(1);
    expect(report.results[0]?.outcome).toEqual({
      status: "skipped",
      reason: "Iceberg metadata not rewritten: position deletes",
    });
    expect(report.summary.skipped).toBe(1);
  });
});

describe("the batch diff of a rewritten Iceberg table", () => {
  const target = { name: "dr", account: "222222222222", region: "us-west-2" };
  const tableRecord = (parameters: Record<string, string>): SnapshotRecord =>
    ({
      kind: "table",
      key: "db/t",
      value: { DatabaseName: "db", TableInput: icebergTable(parameters) },
    }) as SnapshotRecord;
  const rewritten = (uri: string) =>
    uri
      .replace("lake-east", "lake-west")
      .replace("/metadata/", "/metadata/lakesync-dr/0123456789abcdef0123/");

  it("reads rewritten locations as the files they stand for", () => {
    expect(
      withIcebergPointers(icebergTable({ metadata_location: rewritten(metadata) })).Parameters,
    ).toMatchObject({
      metadata_location: metadata.replace("lake-east", "lake-west"),
    });
  });

  async function differences(targetParameters: Record<string, string>) {
    const out = [];
    const source = [tableRecord({})];
    const targetSide = [tableRecord(targetParameters)];
    for await (const d of diffSnapshots(mapSnapshot(source, rules), targetSide, { deleteSync: false }))
      out.push(d);
    return out;
  }

  it("shows no difference when the target points at the rewrite of the source's metadata", async () => {
    expect(
      await differences({
        metadata_location: rewritten(metadata),
        previous_metadata_location: rewritten(previous),
      }),
    ).toEqual([]);
  });

  it("updates a target behind the source, with the rewrite directive", async () => {
    const behind = await differences({ metadata_location: rewritten(previous) });
    expect(behind).toHaveLength(1);
    const [update] = differencesToOperations(behind, target, rules);
    expect(update?.operation).toBe("UpdateTable");
    expect(update?.input.__iceberg).toMatchObject({ mode: "rewrite", sourceMetadataLocation: metadata });
  });
});
