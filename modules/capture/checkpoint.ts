// How the poller's checkpoint moves, and what counts as a late event.

/**
 * The checkpoint is the newest eventTime seen (read-only events included: they show how far the
 * history has been delivered). It moves only after the whole window was read, and never backwards.
 * Times are fixed-width `YYYY-MM-DDTHH:MM:SSZ` strings, so string order is time order.
 */
export function nextCheckpoint(
  previous: string | undefined,
  newestSeen: string | undefined,
  windowComplete: boolean,
): string | undefined {
  if (!windowComplete || newestSeen === undefined) return previous;
  if (previous === undefined || newestSeen > previous) return newestSeen;
  return previous;
}

/**
 * A stored checkpoint ahead of the clock (a future `--since`, a skewed writer) would make every
 * poll read only the last overlap before now and never advance: it is never trusted, but clamped
 * to now (the caller reports it).
 */
export function clampCheckpoint(checkpoint: string | undefined, now: Date): string | undefined {
  if (checkpoint === undefined) return undefined;
  const nowIso = `${now.toISOString().slice(0, 19)}Z`;
  return checkpoint > nowIso ? nowIso : checkpoint;
}

/**
 * ISO 8601 date-time with a time zone (`2026-01-31T12:00:00Z`, `…+02:00`): a bare number or a date
 * without zone is refused, since `Date.parse("5")` is 2001-05-01 and a local time depends on the
 * machine. A time after `now` is refused: the checkpoint would be ahead of every event.
 * Returns the time, or what is wrong.
 */
export function checkpointTimeProblem(value: string, now: Date): string | undefined {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
  if (!iso.test(value) || Number.isNaN(Date.parse(value)) || !realCalendarDate(value))
    return `expected an ISO 8601 time with a time zone like "2026-01-31T12:00:00Z", got ${JSON.stringify(value)}`;
  if (Date.parse(value) > now.getTime())
    return `${JSON.stringify(value)} is in the future (now ${now.toISOString()}): a checkpoint ahead of the clock would skip every event`;
  return undefined;
}

/** Date.parse rolls 2026-02-31 over to March 3rd; a real date reads back the same. */
function realCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export interface Lateness {
  late: boolean;
  /** previous checkpoint - eventTime, in seconds (0 when not late). */
  lagSeconds: number;
}

/**
 * An event seen for the first time whose eventTime is before the previous checkpoint reached
 * LookupEvents after a poll had already read past its time: only the lookback overlap caught it.
 * Its lag shows how close delivery came to the overlap; a lag near `lookbackMinutes` means the
 * overlap is too small and events beyond it would be missed.
 */
export function lateness(eventTime: string, previousCheckpoint: string | undefined): Lateness {
  if (previousCheckpoint === undefined || eventTime >= previousCheckpoint)
    return { late: false, lagSeconds: 0 };
  return { late: true, lagSeconds: (Date.parse(previousCheckpoint) - Date.parse(eventTime)) / 1000 };
}
