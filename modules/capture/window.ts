// The time window one poll reads from CloudTrail LookupEvents, computed per invocation from the
// persisted checkpoint and the invocation's clock (never frozen at cold start).

/** Events reach LookupEvents minutes after the call (about 5 on average, 15 historically quoted). */
export const MIN_LOOKBACK_MINUTES = 15;
export const DEFAULT_LOOKBACK_MINUTES = 20;
/** LookupEvents serves the last 90 days only; asking for more is pointless. */
export const LOOKUP_RETENTION_DAYS = 90;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface PollWindow {
  start: Date;
  end: Date;
}

/**
 * start = min(checkpoint, now) - lookback, end = now. Re-reading `lookback` minutes before the
 * checkpoint catches events that CloudTrail delivered after a previous poll had read past their
 * eventTime; the conditional put in the journal makes the re-read free of duplicates.
 */
export function pollWindow(input: {
  checkpoint?: string | undefined;
  now: Date;
  lookbackMinutes: number;
}): PollWindow {
  if (!(input.lookbackMinutes >= MIN_LOOKBACK_MINUTES)) {
    throw new Error(
      `lookbackMinutes must be at least ${MIN_LOOKBACK_MINUTES} (CloudTrail's delivery delay), got ${input.lookbackMinutes}`,
    );
  }
  const now = input.now.getTime();
  const checkpoint = input.checkpoint === undefined ? now : Date.parse(input.checkpoint);
  if (Number.isNaN(checkpoint)) throw new Error(`checkpoint is not a time: ${input.checkpoint}`);
  const start = Math.max(
    Math.min(checkpoint, now) - input.lookbackMinutes * MINUTE,
    now - LOOKUP_RETENTION_DAYS * DAY,
  );
  return { start: new Date(start), end: new Date(now) };
}
