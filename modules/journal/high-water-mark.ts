// Per-resource high-water mark: the newest source eventTime applied to a resource. CloudTrail does
// not deliver in order, so the replicator advances this before applying and skips an event whose
// time is older than the mark (an older event must never overwrite a newer one).

export interface HighWaterMark {
  resourceKey: string;
  eventTime: string;
  eventId: string;
  updatedAt: string;
}

export type AdvanceResult = { advanced: true } | { advanced: false; current: HighWaterMark };

/**
 * Whether an event at `eventTime` may be applied over the current mark. Equal times are allowed:
 * eventTime has 1 s resolution, so two events in the same second have no knowable order, and
 * re-applying the same event (a retry) must succeed.
 */
export function mayAdvance(current: HighWaterMark | undefined, eventTime: string): boolean {
  return current === undefined || current.eventTime <= eventTime;
}
