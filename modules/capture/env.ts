// Environment variables of the capture handlers, shared with the stack that sets them.
import * as z from "../config/zod-mini.ts";
import { parseEnvironment, requiredVariables } from "../deploy/environment.ts";
import { DEFAULT_LOOKBACK_MINUTES, MIN_LOOKBACK_MINUTES } from "./window.ts";

export const CAPTURE_ENV = {
  journalTable: "LAKESYNC_JOURNAL_TABLE",
  /** Bucket for records too large for a journal item. */
  recordBucket: "LAKESYNC_JOURNAL_RECORD_BUCKET",
  /** The account and region the poller reads CloudTrail in (the source). */
  sourceAccount: "LAKESYNC_SOURCE_ACCOUNT",
  sourceRegion: "LAKESYNC_SOURCE_REGION",
  lookbackMinutes: "LAKESYNC_POLL_LOOKBACK_MINUTES",
  maxPages: "LAKESYNC_POLL_MAX_PAGES",
} as const;

const schema = z.object({
  [CAPTURE_ENV.journalTable]: z.string().check(z.minLength(1)),
  [CAPTURE_ENV.recordBucket]: z.optional(z.string().check(z.minLength(1))),
  [CAPTURE_ENV.sourceAccount]: z.optional(
    z.string().check(z.regex(/^\d{12}$/, "expected a 12-digit account id")),
  ),
  [CAPTURE_ENV.sourceRegion]: z.optional(z.string().check(z.minLength(1))),
  [CAPTURE_ENV.lookbackMinutes]: z._default(
    z.coerce.number().check(z.int(), z.minimum(MIN_LOOKBACK_MINUTES)),
    DEFAULT_LOOKBACK_MINUTES,
  ),
  // Per event source; at 2 requests/s, 100 pages of both sources take about 100 s (set the Lambda
  // timeout above that).
  [CAPTURE_ENV.maxPages]: z._default(z.coerce.number().check(z.int(), z.positive()), 100),
  AWS_REGION: z.optional(z.string().check(z.minLength(1))),
});

/** What the stack must set for the capture and poller functions. */
export const CAPTURE_REQUIRED_ENV = requiredVariables(schema);

export interface CaptureConfig {
  journalTable: string;
  recordBucket?: string;
  sourceAccount?: string;
  sourceRegion: string;
  /** Where the journal table lives: the function's own region. */
  journalRegion: string;
  lookbackMinutes: number;
  maxPages: number;
}

export function parseCaptureEnv(env: Record<string, string | undefined>): CaptureConfig {
  const data = parseEnvironment(schema, env, "capture");
  const sourceRegion = data[CAPTURE_ENV.sourceRegion] ?? data.AWS_REGION;
  if (!sourceRegion)
    throw new Error(`invalid capture configuration: set ${CAPTURE_ENV.sourceRegion} or AWS_REGION`);
  return {
    journalTable: data[CAPTURE_ENV.journalTable],
    ...(data[CAPTURE_ENV.recordBucket] ? { recordBucket: data[CAPTURE_ENV.recordBucket] } : {}),
    ...(data[CAPTURE_ENV.sourceAccount] ? { sourceAccount: data[CAPTURE_ENV.sourceAccount] } : {}),
    sourceRegion,
    journalRegion: data.AWS_REGION ?? sourceRegion,
    lookbackMinutes: data[CAPTURE_ENV.lookbackMinutes],
    maxPages: data[CAPTURE_ENV.maxPages],
  };
}

/** Where the capture functions' journal is: the shape the wiring's journalStore takes. */
export function captureJournalLocation(config: CaptureConfig) {
  return { region: config.journalRegion, tableName: config.journalTable, recordBucket: config.recordBucket };
}
