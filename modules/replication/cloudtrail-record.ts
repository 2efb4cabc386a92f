// The CloudTrail record as lakesync accepts it, and the four wire forms it arrives in: a bare
// record, an EventBridge "AWS API Call via CloudTrail" envelope, a LookupEvents event (the record
// as a JSON string in CloudTrailEvent) and a CloudTrail log file ({"Records":[...]}).
import * as z from "zod";

const jsonObject = z.record(z.string(), z.unknown());

export const cloudTrailRecordSchema = z.looseObject({
  eventVersion: z.string(),
  eventID: z.string().min(1),
  eventTime: z.string().refine((v) => !Number.isNaN(Date.parse(v)), "expected an ISO 8601 time"),
  eventSource: z.string().min(1),
  eventName: z.string().min(1),
  awsRegion: z.string().min(1),
  recipientAccountId: z.string().regex(/^\d{12}$/, "expected a 12-digit account id"),
  userIdentity: z.looseObject({ type: z.string().optional(), arn: z.string().optional() }),
  // null when CloudTrail did not record the request (or for calls without parameters).
  requestParameters: jsonObject.nullable().optional(),
  responseElements: jsonObject.nullable().optional(),
  additionalEventData: jsonObject.nullable().optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  readOnly: z.boolean().optional(),
  eventType: z.string().optional(),
  managementEvent: z.boolean().optional(),
  resources: z.array(z.looseObject({ ARN: z.string().optional(), type: z.string().optional() })).optional(),
});

export type CloudTrailRecord = z.infer<typeof cloudTrailRecordSchema>;

/** Input that is not a CloudTrail record in any accepted form; `field` names the bad field. */
export class CloudTrailInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = "CloudTrailInputError";
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function validate(value: unknown, where: string): CloudTrailRecord {
  const parsed = cloudTrailRecordSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = [where, ...issue.path.map(String)].filter((p) => p !== "").join(".");
  throw new CloudTrailInputError(`invalid CloudTrail record: ${field || "(root)"}: ${issue.message}`, field);
}

/**
 * Accepts any of the four forms (already JSON-parsed, or as text) and returns the records in order.
 * A log file gives many records; the other forms give one.
 */
export function parseCloudTrailInput(input: unknown): CloudTrailRecord[] {
  let value = input;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw new CloudTrailInputError(`input is not JSON: ${(error as Error).message}`, "(root)");
    }
  }
  if (!isObject(value)) throw new CloudTrailInputError("expected a JSON object", "(root)");
  if (Array.isArray(value.Records)) {
    return value.Records.map((record, i) => validate(record, `Records.${i}`));
  }
  if ("Records" in value) throw new CloudTrailInputError("Records must be an array", "Records");
  // A LookupEvents response page (`aws cloudtrail lookup-events` output): each entry's CloudTrailEvent.
  if (Array.isArray(value.Events)) {
    return value.Events.flatMap((event, i) => {
      if (!isObject(event) || typeof event.CloudTrailEvent !== "string")
        throw new CloudTrailInputError(
          `Events.${i}: expected a LookupEvents entry with a CloudTrailEvent string`,
          `Events.${i}`,
        );
      return lookupEventRecord(event.CloudTrailEvent, `Events.${i}.CloudTrailEvent`);
    });
  }
  if ("Events" in value) throw new CloudTrailInputError("Events must be an array", "Events");
  if ("detail-type" in value || "detail" in value) {
    if (value["detail-type"] !== "AWS API Call via CloudTrail") {
      throw new CloudTrailInputError(
        `expected detail-type "AWS API Call via CloudTrail", got ${JSON.stringify(value["detail-type"])}`,
        "detail-type",
      );
    }
    // The envelope's account is the record's account; use it if the detail lacks one.
    const detail =
      isObject(value.detail) &&
      value.detail.recipientAccountId === undefined &&
      typeof value.account === "string"
        ? { ...value.detail, recipientAccountId: value.account }
        : value.detail;
    return [validate(detail, "detail")];
  }
  if ("CloudTrailEvent" in value) {
    if (typeof value.CloudTrailEvent !== "string") {
      throw new CloudTrailInputError("CloudTrailEvent must be a JSON string", "CloudTrailEvent");
    }
    return lookupEventRecord(value.CloudTrailEvent, "CloudTrailEvent");
  }
  return [validate(value, "")];
}

function lookupEventRecord(text: string, path: string): CloudTrailRecord[] {
  let inner: unknown;
  try {
    inner = JSON.parse(text);
  } catch (error) {
    throw new CloudTrailInputError(`${path} is not JSON: ${(error as Error).message}`, path);
  }
  return [validate(inner, path)];
}
