import { describe, expect, it } from "vitest";
import { classifyAwsError, classifyErrorCode } from "../../modules/operations/errors.ts";

/** The shape SDK v3 service exceptions have (name, message, $fault, $metadata, maybe $retryable). */
const sdkError = (name: string, message: string, httpStatusCode = 400, extra: object = {}) =>
  Object.assign(new Error(message), {
    name,
    $fault: httpStatusCode >= 500 ? "server" : "client",
    $metadata: { httpStatusCode },
    ...extra,
  });

describe("classifyAwsError", () => {
  it.each([
    ["AlreadyExistsException", "Database already exists.", 400, "AlreadyExists"],
    ["EntityNotFoundException", "Database sales not found.", 400, "NotFound"],
    ["InvalidInputException", "Name is too long", 400, "Invalid"],
    ["ConcurrentModificationException", "Please retry in a short while", 400, "ConcurrentModification"],
    ["ResourceNumberLimitExceededException", "Too many tables", 400, "Invalid"],
    ["OperationTimeoutException", "Timed out", 400, "Retryable"],
    ["InternalServiceException", "Internal error", 500, "Retryable"],
    ["ThrottlingException", "Rate exceeded", 400, "Throttled"],
    ["AccessDeniedException", "Insufficient Lake Formation permission(s)", 403, "AccessDenied"],
    ["GlueEncryptionException", "KMS key not accessible", 400, "AccessDenied"],
    ["ResourceNotReadyException", "Resource not ready", 400, "Retryable"],
  ])("%s -> %s", (name, message, status, kind) => {
    expect(classifyAwsError(sdkError(name, message, status))).toEqual({ kind, code: name, message });
  });

  it("reads Lake Formation's InvalidInputException messages that mean exists or missing", () => {
    expect(classifyAwsError(sdkError("InvalidInputException", "Permission already granted")).kind).toBe(
      "AlreadyExists",
    );
    expect(classifyAwsError(sdkError("InvalidInputException", "Resource is already registered")).kind).toBe(
      "AlreadyExists",
    );
    expect(
      classifyAwsError(
        sdkError(
          "InvalidInputException",
          "No permissions revoked. Grantee has no permissions and no grantable permissions on resource",
        ),
      ).kind,
    ).toBe("NotFound");
    expect(
      classifyAwsError(sdkError("InvalidInputException", "Permissions modification is invalid.")),
    ).toEqual({
      kind: "Invalid",
      code: "InvalidInputException",
      message: "Permissions modification is invalid.",
      permissionUnchanged: true,
    });
  });

  it("falls back on the HTTP status and the SDK's $retryable for unknown codes", () => {
    expect(classifyAwsError(sdkError("SomethingNew", "x", 503)).kind).toBe("Retryable");
    expect(classifyAwsError(sdkError("SomethingNew", "x", 429)).kind).toBe("Throttled");
    expect(classifyAwsError(sdkError("SomethingNew", "x", 404)).kind).toBe("NotFound");
    expect(classifyAwsError(sdkError("SomethingNew", "x", 422)).kind).toBe("Invalid");
    expect(classifyAwsError({ name: "Odd", message: "x", $retryable: { throttling: true } }).kind).toBe(
      "Throttled",
    );
    expect(classifyAwsError({ name: "Odd", message: "x", $retryable: {} }).kind).toBe("Retryable");
    expect(classifyAwsError({ name: "Odd", message: "x" }).kind).toBe("Fatal");
  });

  it("classifies network errors by their errno code and non-errors as fatal", () => {
    expect(classifyAwsError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toEqual({
      kind: "Retryable",
      code: "ECONNRESET",
      message: "socket hang up",
    });
    expect(classifyAwsError("boom")).toEqual({ kind: "Fatal", code: "Unknown", message: "boom" });
    expect(classifyAwsError(new TypeError("x is not a function")).kind).toBe("Fatal");
  });
});

describe("classifyErrorCode (batch entry errors)", () => {
  it("classifies ErrorDetail codes like thrown errors", () => {
    expect(classifyErrorCode("AlreadyExistsException", "Partition already exists.").kind).toBe(
      "AlreadyExists",
    );
    expect(classifyErrorCode("EntityNotFoundException", "Table not found").kind).toBe("NotFound");
    expect(classifyErrorCode("ThrottlingException").kind).toBe("Throttled");
    expect(classifyErrorCode("InvalidInputException", "Invalid tag value").kind).toBe("Invalid");
  });
});
