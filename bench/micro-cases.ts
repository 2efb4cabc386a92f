// The two micro-cases `npm run bench` has always run: each runs two approaches on the same input
// and prints their ratio (absolute numbers depend on the machine and, for local AWS, on moto).
import { randomInt } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { CreateDatabaseCommand, CreateTableCommand, GetPartitionsCommand } from "@aws-sdk/client-glue";
import type { ExecutorWiring } from "../modules/aws/wiring/executor.ts";
import { diffSnapshots, mapSnapshot } from "../modules/catalog/diff.ts";
import type { SnapshotRecord } from "../modules/catalog/model.ts";
import { databaseRecord, partitionRecord, tableRecord } from "../modules/catalog/normalise.ts";
import { identityRules } from "../modules/mapping/mapping.ts";
import { execute } from "../modules/operations/executor.ts";
import { Phase, resourceKeys, type TargetOperation } from "../modules/operations/operation.ts";

const line = (text: string) => process.stdout.write(`${text}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/** Restoring partitions: one CreatePartition per partition vs BatchCreatePartition of 100. */
export async function benchPartitionRestore(aws: ExecutorWiring, partitions: number): Promise<void> {
  const account = String(randomInt(100_000_000_000, 999_999_999_999));
  const target = { name: "bench", account, region: "us-west-2" };
  const glue = aws.clients.get("glue", target);
  const tableInput = (name: string) => ({
    Name: name,
    PartitionKeys: [{ Name: "n", Type: "string" }],
    StorageDescriptor: { Columns: [{ Name: "v", Type: "string" }], Location: `s3://bench/${name}/` },
  });
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "bench" } }));
  await glue.send(new CreateTableCommand({ DatabaseName: "bench", TableInput: tableInput("single") }));
  await glue.send(new CreateTableCommand({ DatabaseName: "bench", TableInput: tableInput("batched") }));
  const partition = (table: string, i: number) => ({
    Values: [String(i).padStart(6, "0")],
    StorageDescriptor: { Location: `s3://bench/${table}/n=${i}/` },
  });
  const op = (
    table: string,
    operation: string,
    input: Record<string, unknown>,
    key: string,
  ): TargetOperation =>
    ({
      target,
      service: "glue",
      operation,
      input: { DatabaseName: "bench", TableName: table, ...input },
      resourceKey: key,
      idempotency: "create",
      phase: Phase.partitions,
      description: `${operation} bench.${table}`,
    }) as TargetOperation;
  const single = Array.from({ length: partitions }, (_, i) =>
    op("single", "CreatePartition", { PartitionInput: partition("single", i) }, `p${i}`),
  );
  const batched: TargetOperation[] = [];
  for (let i = 0; i < partitions; i += 100) {
    const list = Array.from({ length: Math.min(100, partitions - i) }, (_, j) => partition("batched", i + j));
    batched.push(
      op(
        "batched",
        "BatchCreatePartition",
        { PartitionInputList: list },
        resourceKeys.table(account, "bench", `b${i}`),
      ),
    );
  }
  const deps = { run: aws.run, sleep: async () => {}, maxAttempts: 3, concurrency: 8 };
  const a = await timed(() => execute(single, deps));
  const b = await timed(() => execute(batched, deps));
  for (const table of ["single", "batched"]) {
    const got = await glue.send(
      new GetPartitionsCommand({ DatabaseName: "bench", TableName: table, MaxResults: 1000 }),
    );
    if ((got.Partitions?.length ?? 0) < Math.min(partitions, 1000))
      throw new Error(`bench.${table} is missing partitions`);
  }
  line(`partition restore, ${partitions} partitions on local AWS (executor, concurrency 8):`);
  line(`  CreatePartition x${single.length}:       ${seconds(a.ms)}`);
  line(`  BatchCreatePartition x${batched.length}:    ${seconds(b.ms)}`);
  line(
    `  ratio single/batched: ${(a.ms / b.ms).toFixed(1)}x (calls: ${single.length / batched.length}x fewer)`,
  );
}

/** Diffing a big table: lakesync's streaming merge vs loading both sides into maps. */
export async function benchDiff(partitions: number): Promise<void> {
  async function* side(which: "source" | "target"): AsyncGenerator<SnapshotRecord> {
    yield databaseRecord({ Name: "big" });
    yield tableRecord("big", { Name: "events", PartitionKeys: [{ Name: "n", Type: "string" }] });
    for (let i = 0; i < partitions; i++) {
      if (which === "target" && i % 10 === 0) continue;
      yield partitionRecord("big", "events", {
        Values: [String(i).padStart(7, "0")],
        StorageDescriptor: {
          Location: `s3://lake/big/events/n=${i}/`,
          Columns: [{ Name: "v", Type: "string" }],
        },
        Parameters: { rows: String(i * 7) },
      });
    }
  }
  const rules = identityRules("123456789012", "us-east-1");
  // Live heap after a full GC, so garbage does not count as memory held.
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const heap = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };

  const streamingStart = heap();
  let streamingPeak = 0;
  const streaming = await timed(async () => {
    let n = 0;
    for await (const _ of diffSnapshots(mapSnapshot(side("source"), rules), side("target"), {
      deleteSync: true,
    })) {
      if (++n % 2000 === 0) streamingPeak = Math.max(streamingPeak, heap() - streamingStart);
    }
    return n;
  });

  const naiveStart = heap();
  let naivePeak = 0;
  const naive = await timed(async () => {
    const load = async (which: "source" | "target") => {
      const map = new Map<string, string>();
      let n = 0;
      for await (const record of side(which)) {
        map.set(`${record.kind}|${record.key}`, JSON.stringify(record.value));
        if (++n % 20_000 === 0) naivePeak = Math.max(naivePeak, heap() - naiveStart);
      }
      naivePeak = Math.max(naivePeak, heap() - naiveStart);
      return map;
    };
    const [source, target] = [await load("source"), await load("target")];
    let n = 0;
    for (const [key, value] of source) if (target.get(key) !== value) n++;
    for (const key of target.keys()) if (!source.has(key)) n++;
    return n;
  });
  if (streaming.value !== naive.value)
    throw new Error(`diffs disagree: ${streaming.value} vs ${naive.value}`);
  const mb = (bytes: number) => `${(Math.max(bytes, 0) / 1024 / 1024).toFixed(1)} MB`;
  line(`diff of a ${partitions.toLocaleString("en")}-partition table (${streaming.value} differences):`);
  line(`  streaming merge (lakesync): ${seconds(streaming.ms)}, heap growth ≤ ${mb(streamingPeak)}`);
  line(`  load both sides into maps:  ${seconds(naive.ms)}, heap growth ≤ ${mb(naivePeak)}`);
  line(
    `  ratio maps/streaming: time ${(naive.ms / streaming.ms).toFixed(2)}x, heap ≥ ${(naivePeak / Math.max(streamingPeak, 1024 * 1024)).toFixed(0)}x (streaming growth floored at 1 MB)`,
  );
}
