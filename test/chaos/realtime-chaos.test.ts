// Property: whatever the source writes, whatever faults local AWS injects (throttling, 5xx,
// connection resets, lost answers, partial batch failures; dropped, duplicated, delayed and
// reordered CloudTrail deliveries) and wherever the capture, poller and replicator processes
// crash, the realtime path converges: no unexplained difference, every journal item concluded,
// no create applied twice. `npm test` runs a few sequences; `npm run chaos` runs many.
// Counterexamples that shrinking found are kept below as fixed sequences.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { endpoint } from "../support/local-aws.ts";
import { runRealtimeSequence } from "./realtime-sequence.ts";
import { describeWrites, type SourceWrite, sourceWrites } from "./source-writes.ts";

const SEQUENCES = 3;

// A sequence takes seconds (CloudTrail's 1 s resolution spaces its writes) and more when the SDK
// backs off from injected throttling; the whole file stays around a minute.
describe("realtime replication under chaos", { timeout: 240_000 }, () => {
  it(`converges for ${SEQUENCES} random sequences of source writes under faults and crashes`, async () => {
    await fc.assert(
      fc.asyncProperty(
        sourceWrites(8),
        fc.noBias(fc.integer({ min: 1, max: 2 ** 31 - 1 })),
        async (writes, seed) => {
          const result = await runRealtimeSequence(writes, { endpoint: endpoint(), seed });
          if (!result.converged) {
            throw new Error(
              `seed ${seed}:\n${result.problems.join("\n")}\nwrites:\n${describeWrites(writes)}`,
            );
          }
        },
      ),
      { numRuns: SEQUENCES, endOnFailure: true },
    );
  });

  it("converges when every fault kind and crash point fires often", async () => {
    const writes: SourceWrite[] = [
      { op: "CreateDatabase", db: "d1" },
      { op: "CreateTable", db: "d1", table: "t1" },
      { op: "BatchCreatePartition", db: "d1", table: "t1", values: ["p1", "p2", "p3"] },
      { op: "CreateLFTag", key: "tier" },
      { op: "AddLFTagsToResource", db: "d1", table: "t1", key: "tier", value: "gold" },
      { op: "BatchGrantPermissions", principals: ["analyst", "engineer"], db: "d1", table: "t1" },
      { op: "CreateDataCellsFilter", db: "d1", table: "t1", name: "f1" },
      { op: "DeleteTable", db: "d1", table: "t1" },
      { op: "CreateTable", db: "d1", table: "t1" },
    ];
    const result = await runRealtimeSequence(writes, {
      endpoint: endpoint(),
      seed: 20261201,
      apiFaultRate: 0.3,
      captureFaultRate: 0.3,
      crashRate: 0.15,
    });
    expect(result.problems).toEqual([]);
    expect(result.faultsInjected).toBeGreaterThan(0);
    expect(result.crashes).toBeGreaterThan(0);
  });

  // Shrunk counterexamples (seed, then the writes fast-check shrank them to), fixed in the product.
  it.each<[string, number, SourceWrite[]]>([
    [
      // modules/replication/to-change.ts: an assignment whose tag failed in the source (200 with
      // `failures`) was replayed whole and landed once the tag existed in the target.
      "a tag assignment that failed in the source is not replayed",
      1264781776,
      [
        { op: "AddLFTagsToResource", db: "d1", key: "domain", value: "silver" },
        { op: "CreateDatabase", db: "d1" },
        { op: "CreateLFTag", key: "domain" },
      ],
    ],
  ])("regression: %s", async (_name, seed, writes) => {
    const result = await runRealtimeSequence(writes, { endpoint: endpoint(), seed });
    expect(result.problems).toEqual([]);
  });
});
