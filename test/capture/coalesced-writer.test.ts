import { describe, expect, it } from "vitest";
import { coalescedWriter } from "../../modules/capture/coalesced-writer.ts";
import type { BatchJournalWriter, JournalWriter, PutEventResult } from "../../modules/capture/ports.ts";
import type { JournalEvent } from "../../modules/journal/event-item.ts";

type Event = JournalEvent & { record: string };

const event = (eventId: string): Event => ({
  eventId,
  eventName: "CreateDatabase",
  eventSource: "glue.amazonaws.com",
  eventTime: "2026-03-01T10:00:00Z",
  sourceAccount: "111122223333",
  sourceRegion: "us-east-1",
  capturedBy: "eventbridge",
  capturedAt: "2026-03-01T10:00:05Z",
  tracked: true,
  record: "{}",
  targets: {},
  status: "pending",
  version: 0,
});

/** A journal that stores each eventId once and refuses the ones named in `broken`. */
function journal(broken: ReadonlySet<string> = new Set()) {
  const stored = new Set<string>();
  const batches: string[][] = [];
  const singles: string[] = [];
  const putOne = (e: Event): PutEventResult => {
    if (broken.has(e.eventId)) throw new Error(`cannot store ${e.eventId}`);
    if (stored.has(e.eventId)) return "duplicate";
    stored.add(e.eventId);
    return "stored";
  };
  const writer: JournalWriter & BatchJournalWriter = {
    putEvent: async (e) => {
      singles.push(e.eventId);
      return putOne(e);
    },
    putEvents: async (events) => {
      batches.push(events.map((e) => e.eventId));
      if (events.some((e) => broken.has(e.eventId))) throw new Error("batch refused");
      return events.map(putOne);
    },
  };
  return { writer, batches, singles };
}

describe("coalescedWriter", () => {
  it("sends the writes issued together as one batch and answers each caller with its own result", async () => {
    const j = journal();
    await j.writer.putEvent(event("seen"));
    const writer = coalescedWriter(j.writer);
    const results = await Promise.all(["a", "seen", "b"].map((id) => writer.putEvent(event(id))));
    expect(results).toEqual(["stored", "duplicate", "stored"]);
    expect(j.batches).toEqual([["a", "seen", "b"]]);
    // A later write is a batch of its own.
    expect(await writer.putEvent(event("c"))).toBe("stored");
    expect(j.batches).toEqual([["a", "seen", "b"], ["c"]]);
  });

  it("when the batch fails, writes each event on its own so only the bad one fails", async () => {
    const j = journal(new Set(["bad"]));
    const writer = coalescedWriter(j.writer);
    const results = await Promise.allSettled(["a", "bad", "b"].map((id) => writer.putEvent(event(id))));
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : String(r.reason)))).toEqual([
      "stored",
      "Error: cannot store bad",
      "stored",
    ]);
    expect(j.singles.sort()).toEqual(["a", "b", "bad"]);
  });
});
