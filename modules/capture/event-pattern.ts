// The EventBridge rule pattern of the capture path; the stack and local routing use this constant.
// Successful Glue / Lake Formation calls only: a failed call changed nothing. Read-only calls never
// reach rules in the ENABLED state, which is what the stack uses.

export const CLOUDTRAIL_API_CALL_DETAIL_TYPE = "AWS API Call via CloudTrail";
export const CAPTURED_EVENTBRIDGE_SOURCES = ["aws.glue", "aws.lakeformation"] as const;

export const CAPTURE_EVENT_PATTERN = {
  source: [...CAPTURED_EVENTBRIDGE_SOURCES],
  "detail-type": [CLOUDTRAIL_API_CALL_DETAIL_TYPE],
  detail: { errorCode: [{ exists: false }] },
} as const;
