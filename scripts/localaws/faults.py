"""Fault injection for local AWS: makes calls fail the ways AWS calls fail, on request.

Rules are set per scope (one test, one chaos run) through the admin endpoint, so parallel test
files on one server do not see each other's faults (name the accounts in the rules):
    POST   /_lakesync/faults         {"scope": "s", "seed": 7, "rules": [rule, ...]}  (replaces scope s)
    GET    /_lakesync/faults         -> {"scopes": {"s": {"injected": {"throttle": 3, ...}, "rules": [...]}}}
    DELETE /_lakesync/faults?scope=s (no scope: every scope)

A rule matches calls by any of service, operation, account (a string or a list; absent = any)
and fires on the nth matching calls ("nth": [1, 4]), with a probability ("probability": 0.2,
drawn from the scope's seeded generator), or both absent: always; "maxFaults" caps it. A rule
with "ratePerSecond" (and "burst", default the rate) fires instead on calls beyond that rate: a
token bucket per rule, refilled continuously, as AWS enforces request-rate quotas; a call that
finds it empty is answered with the rule's fault and takes no token.
API kinds (answered as the service's protocol answers them):
    throttle               400 ThrottlingException (S3: 503 SlowDown); nothing applied
    5xx                    500 InternalFailure (S3: InternalError); nothing applied
    reset                  the connection is reset, after "delayMs" (default 0), and the call
                           is not applied (a long delay holds the caller: kill it meanwhile)
    timeout                the call IS applied, then the answer is lost: the connection is
                           closed after "delayMs" (default 0), as a client timeout would see it
                           (a long delay holds the caller between applying and its outcome)
    partial-batch-failure  a batch call applies only some entries ("entries": share, default
                           0.5, at least one) and reports the others as failed entries
                           (Glue Errors[].ErrorDetail / Lake Formation Failures[].Error)
    access-denied          the caller lacks the permission: nothing applied, answered as each
                           service answers it (see _access_denied). For sts AssumeRole the
                           rule's "account" is the role's account (a target whose role cannot be
                           assumed), for every other call the account the call acts in
Capture kinds act on the local CloudTrail's deliveries of a recorded call (see cloudtrail/):
    drop | duplicate | delay | reorder, with "path": "eventbridge" | "lookup" (absent = both)
    delay holds the delivery "delaySeconds" (lookup: the record becomes visible later, with its
    original eventTime, so a delay past the poller's overlap is a miss); reorder delivers a record
    after the next one on the same path.
"""

from __future__ import annotations

import io
import json
import random
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

from .calls import identify, json_response, needs_body
from .cloudtrail.identity import caller, moto_account
from .cloudtrail.middleware import read_body
from .token_bucket import TokenBucket

# Set on the environ of a call that was applied although its caller saw it fail (timeout).
APPLIED = "lakesync.applied"
API_KINDS = {"throttle", "5xx", "reset", "timeout", "partial-batch-failure", "access-denied"}
CAPTURE_KINDS = {"drop", "duplicate", "delay", "reorder"}

# Batch APIs: (request entries field, answer field, how an answer names a failed entry).
# https://docs.aws.amazon.com/glue/latest/webapi/API_BatchCreatePartition.html (Errors: PartitionError)
# https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_BatchGrantPermissions.html
# (Failures: BatchPermissionsFailureEntry)
_GLUE_ERROR = {"ErrorCode": "InternalServiceException", "ErrorMessage": "injected entry failure"}
_LF_ERROR = {"ErrorCode": "InternalServiceException", "ErrorMessage": "injected entry failure"}
BATCH_APIS: dict[str, tuple[str, Callable[[Any], dict[str, Any]]]] = {
    "BatchCreatePartition": ("PartitionInputList", lambda e: {"PartitionValues": e.get("Values"), "ErrorDetail": _GLUE_ERROR}),
    "BatchDeletePartition": ("PartitionsToDelete", lambda e: {"PartitionValues": e.get("Values"), "ErrorDetail": _GLUE_ERROR}),
    "BatchUpdatePartition": ("Entries", lambda e: {"PartitionValueList": e.get("PartitionValueList"), "ErrorDetail": _GLUE_ERROR}),
    "BatchDeleteTable": ("TablesToDelete", lambda e: {"TableName": e, "ErrorDetail": _GLUE_ERROR}),
    "BatchGrantPermissions": ("Entries", lambda e: {"RequestEntry": e, "Error": _LF_ERROR}),
    "BatchRevokePermissions": ("Entries", lambda e: {"RequestEntry": e, "Error": _LF_ERROR}),
    "AddLFTagsToResource": ("LFTags", lambda e: {"LFTag": e, "Error": _LF_ERROR}),
    "RemoveLFTagsFromResource": ("LFTags", lambda e: {"LFTag": e, "Error": _LF_ERROR}),
}
_ANSWER_FIELD = {"glue": "Errors", "lakeformation": "Failures"}


def _matches(value: str, wanted: Any) -> bool:
    if wanted is None:
        return True
    return value in wanted if isinstance(wanted, list) else value == wanted


@dataclass
class Rule:
    kind: str
    service: Any = None
    operation: Any = None
    account: Any = None
    path: str | None = None
    nth: list[int] | None = None
    probability: float | None = None
    max_faults: int | None = None
    delay_ms: int = 0
    delay_seconds: float = 0.0
    entries: float = 0.5
    rate: TokenBucket | None = None
    seen: int = 0
    fired: int = 0

    @staticmethod
    def parse(raw: dict[str, Any]) -> "Rule":
        kind = raw.get("kind")
        if kind not in API_KINDS | CAPTURE_KINDS:
            raise ValueError(f"rule kind must be one of {sorted(API_KINDS | CAPTURE_KINDS)}, got {kind!r}")
        if raw.get("path") not in (None, "eventbridge", "lookup"):
            raise ValueError(f"rule path must be eventbridge or lookup, got {raw.get('path')!r}")
        rate = raw.get("ratePerSecond")
        if rate is not None and (not isinstance(rate, (int, float)) or rate <= 0):
            raise ValueError(f"rule ratePerSecond must be a positive number, got {rate!r}")
        return Rule(
            kind=kind,
            service=raw.get("service"),
            operation=raw.get("operation"),
            account=raw.get("account"),
            path=raw.get("path"),
            nth=raw.get("nth"),
            probability=raw.get("probability"),
            max_faults=raw.get("maxFaults"),
            delay_ms=int(raw.get("delayMs", 0)),
            delay_seconds=float(raw.get("delaySeconds", 0)),
            entries=float(raw.get("entries", 0.5)),
            rate=None if rate is None else TokenBucket(float(rate), float(raw.get("burst", rate))),
        )

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "service": self.service, "operation": self.operation,
                "account": self.account, "path": self.path, "seen": self.seen, "fired": self.fired}


@dataclass
class Scope:
    rules: list[Rule]
    rng: random.Random
    injected: dict[str, int] = field(default_factory=dict)


class FaultBook:
    """Every scope's rules and what they injected; thread-safe (one request per thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._scopes: dict[str, Scope] = {}

    def configure(self, name: str, seed: int, rules: list[dict[str, Any]]) -> None:
        parsed = [Rule.parse(rule) for rule in rules]
        with self._lock:
            self._scopes[name] = Scope(parsed, random.Random(seed))

    def clear(self, name: str | None) -> None:
        with self._lock:
            if name is None:
                self._scopes.clear()
            else:
                self._scopes.pop(name, None)

    def report(self) -> dict[str, Any]:
        with self._lock:
            return {name: {"injected": dict(s.injected), "rules": [r.describe() for r in s.rules]}
                    for name, s in self._scopes.items()}

    def draw(self, kinds: set[str], service: str, operation: str, account: str, path: str | None = None) -> tuple[Rule, Scope] | None:
        """The first rule of `kinds` that fires for this call (counted as injected), if any. Every
        matching rule counts the call, so "nth" means the nth matching call whatever fired before."""
        chosen: tuple[Rule, Scope] | None = None
        with self._lock:
            for scope in self._scopes.values():
                for rule in scope.rules:
                    if not self._applies(rule, kinds, service, operation, account, path):
                        continue
                    rule.seen += 1
                    if chosen is None and self._fires(rule, scope):
                        chosen = rule, scope
            if chosen is not None:
                rule, scope = chosen
                rule.fired += 1
                scope.injected[rule.kind] = scope.injected.get(rule.kind, 0) + 1
        return chosen

    @staticmethod
    def _applies(rule: Rule, kinds: set[str], service: str, operation: str, account: str, path: str | None) -> bool:
        if rule.kind not in kinds or (path is not None and rule.path not in (None, path)):
            return False
        if rule.kind == "partial-batch-failure" and operation not in BATCH_APIS:
            return False
        return _matches(service, rule.service) and _matches(operation, rule.operation) and _matches(account, rule.account)

    @staticmethod
    def _fires(rule: Rule, scope: Scope) -> bool:
        if rule.max_faults is not None and rule.fired >= rule.max_faults:
            return False
        if rule.rate is not None:
            return not rule.rate.take()
        if rule.nth is not None and rule.seen not in rule.nth:
            return False
        return rule.probability is None or scope.rng.random() < rule.probability

    def sample(self, scope: Scope, population: list[Any], share: float) -> set[int]:
        with self._lock:
            count = max(1, min(len(population), round(len(population) * share)))
            return set(scope.rng.sample(range(len(population)), count))


BOOK = FaultBook()


# ---- answers, shaped per protocol ----

def _error(environ: dict[str, Any], service: str, status: str, code: str, message: str, start_response: Callable) -> list[bytes]:
    request_id = "lakesync-fault"
    if environ.get("HTTP_X_AMZ_TARGET") or service == "lakeformation":
        body = json.dumps({"__type": code, "message": message}).encode()
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", code), ("x-amzn-RequestId", request_id)]
    elif service == "s3":
        body = f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>{request_id}</RequestId></Error>".encode()
        headers = [("Content-Type", "application/xml")]
    else:  # query protocol (STS, SNS, SQS without JSON)
        kind = "Receiver" if status.startswith("5") else "Sender"
        body = (f"<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message></Error>"
                f"<RequestId>{request_id}</RequestId></ErrorResponse>").encode()
        headers = [("Content-Type", "text/xml")]
    start_response(status, headers + [("Content-Length", str(len(body)))])
    return [body]


# How each service refuses a call the caller may not make:
# https://docs.aws.amazon.com/glue/latest/webapi/CommonErrors.html (AccessDeniedException, 400)
# https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GetDataLakeSettings.html
#   (AccessDeniedException, 403)
# https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html (AccessDenied, 403)
# https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_roles.html (AssumeRole: AccessDenied,
#   "... is not authorized to perform: sts:AssumeRole on resource: <role>")
# The message follows https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
_DENIED = {"glue": ("400 Bad Request", "AccessDeniedException"), "lakeformation": ("403 Forbidden", "AccessDeniedException")}


def _access_denied(environ: dict[str, Any], service: str, operation: str, start_response: Callable) -> list[bytes]:
    action = f"{service}:{operation}"
    user = _caller_arn(environ)
    if operation == "AssumeRole":
        role = _form(environ).get("RoleArn", ["the role"])[0]
        message = f"User: {user} is not authorized to perform: sts:AssumeRole on resource: {role}"
    else:
        message = f"User: {user} is not authorized to perform: {action} because no identity-based policy allows the {action} action"
    status, code = _DENIED.get(service, ("403 Forbidden", "AccessDenied"))
    return _error(environ, service, status, code, message, start_response)


def _caller_arn(environ: dict[str, Any]) -> str:
    """The caller's ARN, as the refusal names it (an assumed role's session ARN, a user, the root)."""
    who = caller(environ)
    return str(who.user_identity.get("arn", "")) if who else f"arn:aws:iam::{moto_account(environ)}:root"


def _form(environ: dict[str, Any]) -> dict[str, list[str]]:
    return parse_qs(read_body(environ).decode("utf-8", "replace"))


def _acts_in(environ: dict[str, Any], operation: str) -> str:
    """The account a call acts in; for AssumeRole, the account of the role it assumes."""
    if operation == "AssumeRole":
        role = _form(environ).get("RoleArn", [""])[0].split(":")
        if len(role) > 4 and role[4]:
            return role[4]
    return moto_account(environ)


def _reset(environ: dict[str, Any]) -> None:
    """Close the client's connection with a TCP reset; werkzeug drops the request quietly."""
    connection = environ.get("werkzeug.socket")
    if connection is not None:
        try:
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    raise ConnectionResetError("lakesync fault: connection reset")


class FaultMiddleware:
    def __init__(self, app: Callable, book: FaultBook = BOOK) -> None:
        self.app = app
        self.book = book

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/_lakesync/faults":
            return self._admin(environ, start_response)
        call = identify(environ, read_body(environ) if needs_body(environ) else b"")
        if call is None:
            return self.app(environ, start_response)
        service, operation = call
        drawn = self.book.draw(API_KINDS, service, operation, _acts_in(environ, operation))
        if drawn is None:
            return self.app(environ, start_response)
        rule, scope = drawn
        if rule.kind == "throttle":
            if service == "s3":
                return _error(environ, service, "503 Service Unavailable", "SlowDown", "Please reduce your request rate.", start_response)
            code = "Throttling" if not environ.get("HTTP_X_AMZ_TARGET") and service not in ("lakeformation", "s3") else "ThrottlingException"
            return _error(environ, service, "400 Bad Request", code, "Rate exceeded", start_response)
        if rule.kind == "5xx":
            code = "InternalError" if service == "s3" else "InternalFailure"
            return _error(environ, service, "500 Internal Server Error", code, "injected server error", start_response)
        if rule.kind == "access-denied":
            return _access_denied(environ, service, operation, start_response)
        if rule.kind == "reset":
            time.sleep(rule.delay_ms / 1000)
            _reset(environ)
        if rule.kind == "timeout":
            status: list[str] = []
            answer = self.app(environ, lambda line, *_args, **_kw: status.append(line))
            list(answer)  # run in full
            # The call counter counts it as applied, unless the service refused it anyway.
            environ[APPLIED] = bool(status) and int(status[0].split(" ", 1)[0]) < 400
            time.sleep(rule.delay_ms / 1000)
            _reset(environ)
        return self._partial_batch(environ, service, operation, rule, scope, start_response)

    def _partial_batch(self, environ, service, operation, rule, scope, start_response):
        field_name, failure_of = BATCH_APIS[operation]
        request = json.loads(read_body(environ) or b"{}")
        entries = request.get(field_name) or []
        if not entries:
            return self.app(environ, start_response)
        failing = self.book.sample(scope, entries, rule.entries)
        request[field_name] = [e for i, e in enumerate(entries) if i not in failing]
        failures = [failure_of(e) for i, e in enumerate(entries) if i in failing]
        answer_field = _ANSWER_FIELD.get(service, "Errors")
        if not request[field_name]:
            # Nothing left to send: answer as AWS does when every entry failed.
            payload = json.dumps({answer_field: failures}).encode()
            start_response("200 OK", [("Content-Type", "application/x-amz-json-1.1"), ("Content-Length", str(len(payload)))])
            return [payload]
        forwarded = json.dumps(request).encode()
        environ["wsgi.input"] = io.BytesIO(forwarded)
        environ["CONTENT_LENGTH"] = str(len(forwarded))
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            captured["status"], captured["headers"] = status, headers
            return lambda _data: None

        chunks = b"".join(self.app(environ, capture))
        status = captured.get("status", "500 Internal Server Error")
        headers = [(k, v) for k, v in captured.get("headers", []) if k.lower() != "content-length"]
        if status.startswith("200"):
            answer = json.loads(chunks or b"{}")
            answer[answer_field] = (answer.get(answer_field) or []) + failures
            chunks = json.dumps(answer).encode()
        start_response(status, headers + [("Content-Length", str(len(chunks)))])
        return [chunks]

    def _admin(self, environ: dict[str, Any], start_response: Callable) -> list[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method == "GET":
            return json_response(start_response, "200 OK", {"scopes": self.book.report()})
        if method == "DELETE":
            scope = (parse_qs(environ.get("QUERY_STRING", "")).get("scope") or [None])[0]
            self.book.clear(scope)
            return json_response(start_response, "200 OK", {"cleared": scope or "all"})
        if method == "POST":
            try:
                payload = json.loads(read_body(environ) or b"{}")
                self.book.configure(str(payload["scope"]), int(payload.get("seed", 0)), list(payload.get("rules", [])))
            except (KeyError, ValueError, TypeError) as error:
                return json_response(start_response, "400 Bad Request", {"error": f"fault rules: {error}"})
            return json_response(start_response, "200 OK", {"scope": payload["scope"]})
        return json_response(start_response, "405 Method Not Allowed", {"error": "GET, POST or DELETE"})

