// Classifies AWS errors (SDK v3 exceptions, or the `ErrorDetail`/`ErrorCode` entries that batch
// APIs return per entry) into the few kinds the executor decides on; retry.ts decides on the kinds.
// Pure: it reads plain objects (the SDK puts the service's code in `name`), imports nothing from
// the SDK and is unit-tested with literal error shapes.

export type AwsErrorKind =
  | "Retryable"
  | "Throttled"
  | "AlreadyExists"
  | "NotFound"
  | "AccessDenied"
  | "Invalid"
  | "ConcurrentModification"
  | "Fatal";

export interface ClassifiedError {
  kind: AwsErrorKind;
  /** The AWS error code (exception name), e.g. "EntityNotFoundException". */
  code: string;
  message: string;
  /**
   * Lake Formation answers a grant that is already held, or a revoke of something not held at that
   * granularity, with InvalidInputException "Permissions modification is invalid" (AWS and Terraform
   * users both see it). It is Invalid for any other operation, so it is flagged rather than given a
   * kind: the executor treats it as "already in place" only for grant/revoke operations.
   */
  permissionUnchanged?: boolean;
}

const throttlingCodes = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "ProvisionedThroughputExceededException",
  "SlowDown",
]);

const retryableCodes = new Set([
  "InternalServiceException",
  "InternalFailure",
  "InternalServerError",
  "InternalError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "OperationTimeoutException",
  "ResourceNotReadyException",
  "TransactionCommitInProgressException",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  // Node network errors surface with these codes/names when a connection drops.
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
]);

const alreadyExistsCodes = new Set([
  "AlreadyExistsException",
  "AlreadyExists",
  "ResourceAlreadyExistsException",
  // RAM: accepting an invitation already accepted.
  "ResourceShareInvitationAlreadyAcceptedException",
]);
const notFoundCodes = new Set([
  "EntityNotFoundException",
  "EntityNotFound",
  "ResourceNotFoundException",
  "NoSuchEntity",
  "NoSuchEntityException",
]);
const accessDeniedCodes = new Set([
  "AccessDeniedException",
  "AccessDenied",
  "UnauthorizedOperation",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "ExpiredTokenException",
  "ExpiredToken",
  "GlueEncryptionException", // the caller cannot use the catalog's KMS key: a permissions problem
]);
const invalidCodes = new Set([
  "InvalidInputException",
  "ValidationException",
  "InvalidParameterValueException",
  "SerializationException",
  "ResourceNumberLimitExceededException", // a quota: retrying will not free capacity
  "InvalidStateException",
  "FederationSourceException",
]);
const concurrentModificationCodes = new Set([
  "ConcurrentModificationException",
  "ConcurrentRunsExceededException",
  "TransactionCanceledException",
]);

/** Message patterns for InvalidInputException answers that really mean "exists" or "missing". */
const alreadyExistsMessage = /already exists|already granted|already registered|already been registered/i;
const notFoundMessage =
  /no permissions revoked|not granted|does not exist|doesn't exist|not found|is not registered|has no permissions/i;
const permissionUnchangedMessage = /permissions modification is invalid/i;

/** Classify an error code with its message, as batch APIs report them per entry. */
export function classifyErrorCode(code: string, message = "", httpStatus?: number): ClassifiedError {
  const result = (kind: AwsErrorKind): ClassifiedError => ({ kind, code, message });
  if (throttlingCodes.has(code)) return result("Throttled");
  if (concurrentModificationCodes.has(code)) return result("ConcurrentModification");
  if (alreadyExistsCodes.has(code)) return result("AlreadyExists");
  if (notFoundCodes.has(code)) return result("NotFound");
  if (accessDeniedCodes.has(code)) return result("AccessDenied");
  if (retryableCodes.has(code)) return result("Retryable");
  if (invalidCodes.has(code)) {
    if (alreadyExistsMessage.test(message)) return result("AlreadyExists");
    if (notFoundMessage.test(message)) return result("NotFound");
    if (permissionUnchangedMessage.test(message)) return { ...result("Invalid"), permissionUnchanged: true };
    return result("Invalid");
  }
  if (httpStatus === 429) return result("Throttled");
  if (httpStatus !== undefined && httpStatus >= 500) return result("Retryable");
  if (httpStatus === 403) return result("AccessDenied");
  if (httpStatus === 404) return result("NotFound");
  if (httpStatus !== undefined && httpStatus >= 400) return result("Invalid");
  return result("Fatal");
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: { throttling?: unknown };
}

/** Classify a thrown error: an SDK v3 ServiceException, a network error, or anything else. */
export function classifyAwsError(error: unknown): ClassifiedError {
  if (typeof error !== "object" || error === null) {
    return { kind: "Fatal", code: "Unknown", message: String(error) };
  }
  const e = error as ErrorLike;
  const code = serviceCode(e) ?? "Unknown";
  const message = typeof e.message === "string" ? e.message : "";
  const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  const classified = classifyErrorCode(code, message, status);
  // The SDK marks transient errors it knows about (clock skew, transient network) as $retryable.
  if (classified.kind === "Fatal" && e.$retryable) {
    return { ...classified, kind: e.$retryable.throttling ? "Throttled" : "Retryable" };
  }
  return classified;
}

/** SDK v3 exceptions put the service's code in `name`; plain Node errors put it in `code`. */
function serviceCode(e: ErrorLike): string | undefined {
  const name = typeof e.name === "string" ? e.name : undefined;
  const code = firstString(e.Code, e.code);
  if (name && name !== "Error" && name !== "TypeError") return name;
  return code ?? name;
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === "string" && value) return value;
  return undefined;
}

/** One-line description for outcomes and logs: "EntityNotFoundException: Database x not found". */
export function describeError(error: ClassifiedError): string {
  return error.message ? `${error.code}: ${error.message}` : error.code;
}
