// The EventBridge capture path's message: an "AWS API Call via CloudTrail" envelope (the SQS body).
import * as z from "../config/zod-mini.ts";
import type { CapturedBy } from "../journal/event-item.ts";
import { type CloudTrailRecord, cloudTrailRecordSchema } from "../replication/cloudtrail-record.ts";
import { CAPTURED_EVENTBRIDGE_SOURCES, CLOUDTRAIL_API_CALL_DETAIL_TYPE } from "./event-pattern.ts";
import { type CaptureOutcome, journalRecord } from "./journal-record.ts";
import type { JournalWriter } from "./ports.ts";

export const cloudTrailEnvelopeSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  "detail-type": z.literal(CLOUDTRAIL_API_CALL_DETAIL_TYPE),
  source: z.enum(CAPTURED_EVENTBRIDGE_SOURCES),
  account: z.string().check(z.minLength(1)),
  region: z.string().check(z.minLength(1)),
  detail: cloudTrailRecordSchema,
});

/** A message that is not a valid envelope; the message says which field and why. */
export class InvalidCaptureMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidCaptureMessageError";
  }
}

export function parseEnvelope(body: string): CloudTrailRecord {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new InvalidCaptureMessageError(`message body is not JSON: ${(error as Error).message}`);
  }
  const parsed = cloudTrailEnvelopeSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new InvalidCaptureMessageError(
      `not an "AWS API Call via CloudTrail" envelope: ${problems.join("; ")}`,
    );
  }
  return parsed.data.detail;
}

export async function captureEnvelope(
  journal: JournalWriter,
  body: string,
  capturedAt: Date,
  capturedBy: CapturedBy = "eventbridge",
): Promise<CaptureOutcome & { eventId: string }> {
  const record = parseEnvelope(body);
  return { ...(await journalRecord(journal, record, capturedBy, capturedAt)), eventId: record.eventID };
}
