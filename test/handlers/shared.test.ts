import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { publishMetrics } from "../../handlers/metrics.ts";
import { streamPartialBatch } from "../../handlers/shared.ts";

const record = (sequence: string): DynamoDBRecord => ({
  eventID: `e${sequence}`,
  eventName: "INSERT",
  eventSource: "aws:dynamodb",
  dynamodb: { SequenceNumber: sequence },
});

describe("streamPartialBatch", () => {
  it("runs stream records one at a time, in order, and fails the rest of the batch after a failure", async () => {
    const started: string[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const handler = streamPartialBatch(
      async (r) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        started.push(r.dynamodb?.SequenceNumber ?? "");
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        if (r.dynamodb?.SequenceNumber === "3") throw new Error("target unavailable");
      },
      new Metrics({ namespace: "lakesync-test" }),
    );
    const event: DynamoDBStreamEvent = { Records: ["1", "2", "3", "4", "5"].map(record) };
    const response = await handler(event);
    expect(started).toEqual(["1", "2", "3"]);
    expect(mostAtOnce).toBe(1);
    // Lambda retries the stream from the first failed record: 3, then 4 and 5 behind it.
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(["3", "4", "5"]);
  });
});

describe("publishMetrics", () => {
  it("publishes what an invocation stored, and stays quiet when it stored nothing", async () => {
    const warnings: string[] = [];
    const printed: string[] = [];
    const logger = { ...console, warn: (message: string) => warnings.push(message) };
    const metrics = new Metrics({ namespace: "lakesync-test", logger });
    const log = console.log;
    console.log = (line: string) => printed.push(line);
    try {
      // A batch that failed before its first metric: Powertools alone would warn on every such call.
      await streamPartialBatch(async () => {
        throw new Error("journal unavailable");
      }, metrics)({ Records: [record("1")] });
      expect(warnings).toEqual([]);
      metrics.addMetric("applied", MetricUnit.Count, 1);
      publishMetrics(metrics);
    } finally {
      console.log = log;
    }
    expect(warnings).toEqual([]);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });
});
