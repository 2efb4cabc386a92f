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
