// The EventBridge path's journal writes, coalesced: the records of one SQS batch are handled in
// parallel, each calling putEvent; the calls issued together go out as one putEvents (a few
// TransactWriteItems instead of one PutItem per record). Each caller still gets its own result:
// when the batch write fails, every event is written again on its own, so one bad event (say, a
// record too large with no record bucket) fails only its own SQS message.
import type { BatchJournalWriter, JournalWriter, PutEventResult } from "./ports.ts";

type Event = Parameters<JournalWriter["putEvent"]>[0];

interface Waiting {
  event: Event;
  resolve: (result: PutEventResult) => void;
  reject: (error: unknown) => void;
}

export function coalescedWriter(journal: JournalWriter & BatchJournalWriter): JournalWriter {
  let waiting: Waiting[] = [];
  const flush = async () => {
    const taken = waiting;
    waiting = [];
    let results: PutEventResult[];
    try {
      results = await journal.putEvents(taken.map((w) => w.event));
    } catch {
      await Promise.all(
        taken.map(async (w) => {
          try {
            w.resolve(await journal.putEvent(w.event));
          } catch (error) {
            w.reject(error);
          }
        }),
      );
      return;
    }
    taken.forEach((w, i) => {
      w.resolve(results[i] as PutEventResult);
    });
  };
  return {
    putEvent: (event) =>
      new Promise<PutEventResult>((resolve, reject) => {
        // After the current turn: the other records started with this one have queued theirs.
        if (waiting.length === 0) setImmediate(() => void flush());
        waiting.push({ event, resolve, reject });
      }),
  };
}
