"""Counts every API call local AWS serves, per (service, operation, account).

Why: tests and benchmarks need to know how many calls lakesync made (e.g. that an event was applied
once, or how many Glue calls a restore costs) without mocking the SDK. The counter sits outermost in
the WSGI stack, so it also sees calls that a fault rule answers (faults.py) and calls moto fails.

Admin endpoint (same server, never an AWS path: S3 bucket names cannot start with "_"):
    GET  /_lakesync/calls[?account=A]    -> {"calls": [{"service","operation","account","count","errors","cpuSeconds"}]}

`cpuSeconds` is the CPU time the serving thread spent inside local AWS on those calls (moto, the
fixes and the CloudTrail recording; not the socket I/O around them, nor the EventBridge delivery,
which runs on its own threads). It says what each operation costs the server, which on a small
machine is the ceiling of a benchmark's figures.
    POST /_lakesync/calls/reset[?account=A]
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

from .cloudtrail.identity import credential_scope, moto_account
from .cloudtrail.middleware import read_body

ADMIN_PREFIX = "/_lakesync/"

# S3 subresources that name the operation (REST protocol: the query string selects it).
# https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
_S3_SUBRESOURCES = {
    "acl": "Acl",
    "cors": "Cors",
    "encryption": "Encryption",
    "lifecycle": "LifecycleConfiguration",
    "location": "Location",
    "logging": "Logging",
    "notification": "NotificationConfiguration",
    "policy": "Policy",
    "publicAccessBlock": "PublicAccessBlock",
    "tagging": "Tagging",
    "versioning": "Versioning",
    "versions": "Versions",
    "uploads": "MultipartUploads",
}
# (method, has uploadId) -> multipart operation.
_S3_MULTIPART = {
    ("POST", False): "CreateMultipartUpload",
    ("POST", True): "CompleteMultipartUpload",
    ("PUT", True): "UploadPart",
    ("DELETE", True): "AbortMultipartUpload",
    ("GET", True): "ListParts",
}


def _s3_operation(environ: dict[str, Any]) -> str:
    method = environ.get("REQUEST_METHOD", "GET")
    path = environ.get("PATH_INFO", "/").strip("/")
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if not path:
        return "ListBuckets"
    is_object = "/" in path
    if method == "POST" and "delete" in query:
        return "DeleteObjects"
    if "uploadId" in query or (method == "POST" and "uploads" in query):
        return _S3_MULTIPART.get((method, "uploadId" in query), f"{method}MultipartUpload")
    verb = {"GET": "Get", "PUT": "Put", "DELETE": "Delete", "HEAD": "Head", "POST": "Post"}.get(method, method)
    for key, name in _S3_SUBRESOURCES.items():
        if key in query:
            if method == "GET" and key in ("versions", "uploads"):
                return "ListObjectVersions" if key == "versions" else "ListMultipartUploads"
            return f"{verb}{'Object' if is_object else 'Bucket'}{name}"
    if is_object:
        if method == "PUT" and environ.get("HTTP_X_AMZ_COPY_SOURCE"):
            return "CopyObject"
        return f"{verb}Object"
    if method == "GET":
        return "ListObjectsV2" if query.get("list-type") == ["2"] else "ListObjects"
    return {"PUT": "CreateBucket", "DELETE": "DeleteBucket", "HEAD": "HeadBucket"}.get(method, f"{verb}Bucket")


def identify(environ: dict[str, Any], body: bytes) -> tuple[str, str] | None:
    """(service, operation) of a signed AWS request, for every protocol lakesync uses.

    - AWS JSON 1.0/1.1 (DynamoDB, Glue, EventBridge, CloudTrail, SQS, Secrets Manager): X-Amz-Target
      is "<prefix>.<Operation>".
    - restJson1 (Lake Formation): the operation is the path, POST /GrantPermissions.
    - query (STS, SNS, SQS before JSON): Action= in the form body or the query string.
    - REST-XML (S3): method, path and subresource (see _s3_operation).
    The service is the SigV4 signing name from the credential scope.
    """
    scope = credential_scope(environ.get("HTTP_AUTHORIZATION", ""))
    if scope is None:
        return None
    service = scope["service"]
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        return service, target.rsplit(".", 1)[-1]
    if service == "s3":
        return service, _s3_operation(environ)
    action = parse_qs(environ.get("QUERY_STRING", "")).get("Action")
    if not action and "x-www-form-urlencoded" in environ.get("CONTENT_TYPE", ""):
        action = parse_qs(body.decode("utf-8", "replace")).get("Action")
    if action:
        return service, action[0]
    path = environ.get("PATH_INFO", "").strip("/")
    return service, path.split("/", 1)[0] or environ.get("REQUEST_METHOD", "GET")


def needs_body(environ: dict[str, Any]) -> bool:
    """Only the query protocol without X-Amz-Target keeps the operation in the body."""
    return not environ.get("HTTP_X_AMZ_TARGET") and "x-www-form-urlencoded" in environ.get("CONTENT_TYPE", "")


class CallCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: Counter[tuple[str, str, str]] = Counter()
        self._errors: Counter[tuple[str, str, str]] = Counter()
        self._cpu: Counter[tuple[str, str, str]] = Counter()

    def add(self, service: str, operation: str, account: str, failed: bool, cpu_seconds: float = 0.0) -> None:
        with self._lock:
            self._calls[(service, operation, account)] += 1
            self._cpu[(service, operation, account)] += cpu_seconds
            if failed:
                self._errors[(service, operation, account)] += 1

    def snapshot(self, account: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [
                {
                    "service": s,
                    "operation": o,
                    "account": a,
                    "count": n,
                    "errors": self._errors[(s, o, a)],
                    "cpuSeconds": round(self._cpu[(s, o, a)], 6),
                }
                for (s, o, a), n in sorted(self._calls.items())
                if account is None or a == account
            ]

    def reset(self, account: str | None = None) -> None:
        with self._lock:
            for key in [k for k in self._calls if account is None or k[2] == account]:
                del self._calls[key]
                self._errors.pop(key, None)
                self._cpu.pop(key, None)


COUNTER = CallCounter()


def json_response(start_response: Callable, status: str, payload: Any) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def query_account(environ: dict[str, Any]) -> str | None:
    return (parse_qs(environ.get("QUERY_STRING", "")).get("account") or [None])[0]


class CallCountingMiddleware:
    def __init__(self, app: Callable, counter: CallCounter = COUNTER) -> None:
        self.app = app
        self.counter = counter

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/_lakesync/calls" and environ.get("REQUEST_METHOD") == "GET":
            return json_response(start_response, "200 OK", {"calls": self.counter.snapshot(query_account(environ))})
        if path == "/_lakesync/calls/reset" and environ.get("REQUEST_METHOD") == "POST":
            self.counter.reset(query_account(environ))
            return json_response(start_response, "200 OK", {"reset": True})
        body = read_body(environ) if needs_body(environ) else b""
        call = identify(environ, body)
        if call is None:
            return self.app(environ, start_response)
        account = moto_account(environ)
        status: dict[str, int] = {}

        def observe(status_line: str, headers: list[tuple[str, str]], exc_info: Any = None):
            status["code"] = int(status_line.split(" ", 1)[0])
            return start_response(status_line, headers, exc_info)

        # Thread CPU time: what this call cost the server, not the time it waited for the GIL or a lock.
        cpu_start = time.thread_time()
        try:
            result = self.app(environ, observe)
        except Exception:
            # A "timeout" fault applies the call and then drops the connection: count it applied.
            self.counter.add(
                *call, account, failed=not environ.get("lakesync.applied"), cpu_seconds=time.thread_time() - cpu_start
            )
            raise
        self.counter.add(*call, account, failed=status.get("code", 500) >= 400, cpu_seconds=time.thread_time() - cpu_start)
        return result
