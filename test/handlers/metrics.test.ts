// The metrics the operations dashboard and alarms read (stacks/constructs/operations.ts), as the
// handlers emit them: Powertools' EMF document, read before it is published.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { SQSEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createCaptureHandler } from "../../handlers/capture-eventbridge.ts";
import { recordMetrics } from "../../handlers/replicate.ts";
import type { BatchJournalWriter, JournalWriter } from "../../modules/capture/ports.ts";
import type { TargetOutcome } from "../../modules/replicator/replicate-event.ts";

/** Metrics that keeps what each publish sent. */
class RecordedMetrics extends Metrics {
  readonly published: Record<string, unknown>[] = [];
  override publishStoredMetrics(): this {
    if (this.hasStoredMetrics())
      this.published.push(this.serializeMetrics() as unknown as Record<string, unknown>);
    return super.publishStoredMetrics();
  }
}

const outcome = (state: TargetOutcome["state"], lagSeconds: number): TargetOutcome => ({
  eventId: `e-${state}-${lagSeconds}`,
  eventName: "CreateTable",
  eventTime: "2026-03-01T10:00:00Z",
  target: "dr-west",
  state,
  attempts: 1,
  final: true,
  lagSeconds,
});

describe("replicator metrics", () => {
  it("count applied, noop and failed outcomes and keep one lag value per applied event", () => {
    const metrics = new Metrics({ namespace: "lakesync-test", serviceName: "replicator" });
    recordMetrics(metrics, [
      outcome("applied", 2),
      outcome("applied", 40),
      outcome("noop", 1),
      outcome("failed", 9),
      { ...outcome("failed", 3), final: false },
    ]);
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown>;
    expect(emf).toMatchObject({ applied: 2, noop: 1, failed: 1, lagSeconds: [2, 40] });
  });
});

describe("EventBridge capture metrics", () => {
  it("count every valid delivery as captured, the path's heartbeat, besides its result", async () => {
    const metrics = new RecordedMetrics({ namespace: "lakesync-test", serviceName: "capture" });
    const stored: string[] = [];
    // Capture writes the journal through JournalWriter and BatchJournalWriter (modules/capture/ports.ts).
    const journal: JournalWriter & BatchJournalWriter = {
      putEvent: async (event) => {
        stored.push(event.eventId);
        return "stored";
      },
      putEvents: async (events) => {
        stored.push(...events.map((event) => event.eventId));
        return events.map(() => "stored");
      },
    };
    const capture = createCaptureHandler({
      journal: journal as Parameters<typeof createCaptureHandler>[0]["journal"],
      logger: new Logger({ serviceName: "lakesync-capture-test", logLevel: "SILENT" }),
      metrics,
    });
    const detail = {
      eventVersion: "1.08",
      eventID: "7c1f0c1e-0000-4000-8000-000000000001",
      eventTime: "2026-03-01T10:00:00Z",
      eventSource: "glue.amazonaws.com",
      eventName: "CreateDatabase",
      awsRegion: "us-east-1",
      recipientAccountId: "111122223333",
      userIdentity: { type: "AssumedRole", arn: "arn:aws:sts::111122223333:assumed-role/etl/job" },
      requestParameters: { databaseInput: { name: "sales" } },
      responseElements: null,
    };
    const body = JSON.stringify({
      id: "envelope-1",
      "detail-type": "AWS API Call via CloudTrail",
      source: "aws.glue",
      account: "111122223333",
      region: "us-east-1",
      detail,
    });
    const event = {
      Records: [{ messageId: "m1", body, attributes: { ApproximateReceiveCount: "1" } }],
    } as unknown as SQSEvent;
    await capture(event);
    const published = metrics.published.at(-1);
    expect(published).toMatchObject({ captured: 1 });
    const result = stored.length === 1 ? "journaled" : "skipped";
    expect(published?.[result]).toBe(1);
  });
});
