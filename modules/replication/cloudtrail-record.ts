// The CloudTrail record as lakesync accepts it, and the four wire forms it arrives in: a bare
// record, an EventBridge "AWS API Call via CloudTrail" envelope, a LookupEvents event (the record
// as a JSON string in CloudTrailEvent) and a CloudTrail log file ({"Records":[...]}).
import * as z from "../config/zod-mini.ts";

const jsonObject = z.record(z.string(), z.unknown());
const name = () => z.string().check(z.minLength(1));
/** Fields that may be absent, or null when CloudTrail did not record them. */
const jsonObjectOrNull = () => z.optional(z.nullable(jsonObject));

export const cloudTrailRecordSchema = z.looseObject({
  eventVersion: z.string(),
  eventID: name(),
  eventTime: z.string().check(z.refine((v) => !Number.isNaN(Date.parse(v)), "expected an ISO 8601 time")),
  eventSource: name(),
  eventName: name(),
  awsRegion: name(),
  recipientAccountId: z.string().check(z.regex(/^\d{12}$/, "expected a 12-digit account id")),
  userIdentity: z.looseObject({ type: z.optional(z.string()), arn: z.optional(z.string()) }),
  // null when CloudTrail did not record the request (or for calls without parameters).
  requestParameters: jsonObjectOrNull(),
  responseElements: jsonObjectOrNull(),
  additionalEventData: jsonObjectOrNull(),
  errorCode: z.optional(z.string()),
  errorMessage: z.optional(z.string()),
  readOnly: z.optional(z.boolean()),
  eventType: z.optional(z.string()),
  managementEvent: z.optional(z.boolean()),
  resources: z.optional(
    z.array(z.looseObject({ ARN: z.optional(z.string()), type: z.optional(z.string()) })),
  ),
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
