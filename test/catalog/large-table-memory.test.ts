// One large table read through the reader path against local AWS: readTablePartitions lists the
// partition values with parallel GetPartitions segments (unordered), sorts only the keys, and
// fetches the partitions back in key order with BatchGetPartition, so it never holds the table's
// partitions. Heap is sampled after forced GCs (as in streaming.test.ts) and compared with
// holding the same partitions as records, which is what sorting them whole would take.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { BatchCreatePartitionCommand, CreateDatabaseCommand, CreateTableCommand } from "@aws-sdk/client-glue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import { readTablePartitions } from "../../modules/aws/catalog-reader.ts";
import { AwsClients } from "../../modules/aws/clients.ts";
import { compareKeys, type SnapshotRecord } from "../../modules/catalog/model.ts";
import { partitionRecord } from "../../modules/catalog/normalise.ts";
import { client, testLocation } from "../support/local-aws.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const PARTITIONS = 20_000; // 50,000 in moto takes minutes; the pure 50,000 test is streaming.test.ts
const location = testLocation("us-east-1");
const clients = new AwsClients(allClients, { maxAttempts: 1 });
afterAll(() => clients.destroy());

const partition = (i: number) => ({
  Values: [String(i % 400).padStart(3, "0"), String(i).padStart(6, "0")],
  StorageDescriptor: {
    Columns: [
      { Name: "id", Type: "string" },
      { Name: "amount", Type: "decimal(10,2)" },
      { Name: "note", Type: "string", Comment: "free text" },
    ],
    Location: `s3://lake/big/events/region=${i % 400}/n=${i}/`,
    InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
  },
  Parameters: { rows: String(i * 7), source: "ingest", checksum: `${i}`.repeat(8) },
});

beforeAll(async () => {
  const glue = client("glue", location);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "big" } }));
  await glue.send(
    new CreateTableCommand({
      DatabaseName: "big",
      TableInput: {
        Name: "events",
        PartitionKeys: [
          { Name: "region", Type: "string" },
          { Name: "n", Type: "string" },
        ],
      },
    }),
  );
  const batches = [];
  for (let i = 0; i < PARTITIONS; i += 100) {
    batches.push(Array.from({ length: 100 }, (_, j) => partition(i + j)));
  }
  // A few writers at once: moto serves requests on threads.
  for (let b = 0; b < batches.length; b += 4) {
    await Promise.all(
      batches.slice(b, b + 4).map(async (PartitionInputList) => {
        const answer = await glue.send(
          new BatchCreatePartitionCommand({ DatabaseName: "big", TableName: "events", PartitionInputList }),
        );
        if (answer.Errors?.length) throw new Error(JSON.stringify(answer.Errors[0]));
      }),
    );
  }
}, 180_000);

describe("readTablePartitions", () => {
  it("streams 20,000 partitions of one table in canonical order holding only their keys", async () => {
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    let previous: string | undefined;
    let ordered = true;
    const stream = readTablePartitions(
      clients,
      location,
      { database: "big", table: "events" },
      { partitionSegments: 4, concurrency: 4 },
    );
    for await (const record of stream) {
      if (previous !== undefined && compareKeys(previous, record.key) >= 0) ordered = false;
      previous = record.key;
      if (count++ % 500 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    }
    expect(count).toBe(PARTITIONS);
    expect(ordered).toBe(true);

    // The same partitions held as records (built locally: reading them again would double the time).
    gc();
    const before = process.memoryUsage().heapUsed;
    const held: SnapshotRecord[] = [];
    for (let i = 0; i < PARTITIONS; i++) held.push(partitionRecord("big", "events", partition(i)));
    gc();
    const asRecords = process.memoryUsage().heapUsed - before;
    expect(held).toHaveLength(PARTITIONS);
    // Keys are a small fraction of the partitions (measured ~15%), however the segments answer.
    expect(peak).toBeLessThan(asRecords * 0.35);
  }, 180_000);

  it("reads a table that does not exist (dropped since planning, or kept out of a target) as no partitions", async () => {
    const none: SnapshotRecord[] = [];
    for await (const record of readTablePartitions(clients, location, {
      database: "big",
      table: "dropped",
    })) {
      none.push(record);
    }
    expect(none).toEqual([]);
  });
});
