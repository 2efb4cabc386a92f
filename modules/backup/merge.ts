// A backup is several parts, each canonically ordered (sequential chunks of one stream, or one
// sub-snapshot per work unit). Merging them like sorted files yields the whole snapshot in
// canonical order. A part whose first record is known (the manifest says) is opened only when
// the merge reaches that record, so sequential parts are read one at a time.
import {
  compareRecords,
  type RecordStream,
  type SnapshotKind,
  type SnapshotRecord,
} from "../catalog/model.ts";

export interface MergeSource {
  /** The source's first record, when known without opening it. */
  first?: { kind: SnapshotKind; key: string };
  open: () => RecordStream;
}

type Iter = AsyncIterator<SnapshotRecord> | Iterator<SnapshotRecord>;

interface State {
  source: MergeSource;
  iterator?: Iter;
  /** The next record, or the placeholder `first` while unopened; undefined when exhausted. */
  head?: { kind: SnapshotKind; key: string };
}

const iteratorOf = (stream: RecordStream): Iter =>
  Symbol.asyncIterator in stream
    ? (stream as AsyncIterable<SnapshotRecord>)[Symbol.asyncIterator]()
    : (stream as Iterable<SnapshotRecord>)[Symbol.iterator]();

async function advance(state: State): Promise<void> {
  const step = await state.iterator!.next();
  state.head = step.done ? undefined : step.value;
}

export async function* mergeSources(sources: readonly MergeSource[]): AsyncGenerator<SnapshotRecord> {
  const states: State[] = sources.map((source) => ({
    source,
    ...(source.first ? { head: source.first } : {}),
  }));
  for (const state of states) {
    if (!state.source.first) {
      state.iterator = iteratorOf(state.source.open());
      await advance(state);
    }
  }
  for (;;) {
    let best: State | undefined;
    for (const state of states) {
      if (state.head && (!best || compareRecords(state.head, best.head!) < 0)) best = state;
    }
    if (!best) return;
    if (!best.iterator) {
      best.iterator = iteratorOf(best.source.open());
      await advance(best);
      continue;
    }
    yield best.head as SnapshotRecord;
    await advance(best);
  }
}

export function mergeOrdered(streams: readonly RecordStream[]): AsyncGenerator<SnapshotRecord> {
  return mergeSources(streams.map((stream) => ({ open: () => stream })));
}
