"""WSGI middleware in front of moto: records every Glue and Lake Formation call as CloudTrail would."""

from __future__ import annotations

import io
import json
import sys
import traceback
from typing import Any, Callable, Iterable

from . import casing, events
from .identity import Caller, caller, credential_scope
from .lookup import epoch_of
from .record import ApiCall, ApiResult, build_record, now_utc
from .store import STORE

_GLUE_TARGET = "AWSGlue."


def _operation(environ: dict[str, Any]) -> tuple[str, str] | None:
    """(service, operation) for a Glue (AWS JSON 1.1) or Lake Formation (restJson1) call."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target.startswith(_GLUE_TARGET):
        return "glue", target[len(_GLUE_TARGET) :]
    scope = credential_scope(environ.get("HTTP_AUTHORIZATION", ""))
    if scope and scope["service"] == "lakeformation" and environ.get("REQUEST_METHOD") == "POST":
        name = environ.get("PATH_INFO", "").strip("/")
        if casing.operation_model("lakeformation", name) is not None:
            return "lakeformation", name
    return None


def read_body(environ: dict[str, Any]) -> bytes:
    """The request body, replayed into wsgi.input for the layers below."""
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    if length:
        body = stream.read(int(length))
    elif environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = b""
    # Replay the body for moto, which reads wsgi.input itself.
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def _json(data: bytes) -> Any:
    if not data:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


class RecordingMiddleware:
    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        call_name = _operation(environ)
        who = caller(environ) if call_name else None
        if call_name is None or who is None:
            return self.app(environ, start_response)
        service, operation = call_name
        body = read_body(environ)
        call = ApiCall(
            service=service,
            operation=operation,
            body=_json(body),
            source_ip=environ.get("REMOTE_ADDR", "127.0.0.1"),
            user_agent=environ.get("HTTP_USER_AGENT", ""),
        )

        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        try:
            iterable = self.app(environ, capture)
            try:
                chunks = list(iterable)
            finally:
                if hasattr(iterable, "close"):
                    iterable.close()
        except Exception as error:
            # moto crashed (NotImplementedError and the like): the caller gets a 500, and CloudTrail
            # would still log the failed call.
            crash = {"__type": "InternalFailure", "message": f"{type(error).__name__}: {error}"}
            self._record(call, who, ApiResult(500, crash, None, None))
            raise

        headers = {name.lower(): value for name, value in captured.get("headers", [])}
        status = int(str(captured.get("status", "500")).split(" ", 1)[0])
        result = ApiResult(
            status=status,
            body=_json(b"".join(chunks)),
            error_type=headers.get("x-amzn-errortype"),
            request_id=headers.get("x-amzn-requestid"),
        )
        self._record(call, who, result)
        return chunks

    @staticmethod
    def _record(call: ApiCall, who: Caller, result: ApiResult) -> None:
        try:
            now = now_utc()
            record = build_record(call, result, who, now)
            epoch = epoch_of(now.replace(microsecond=0))
            # Imported here: capture_faults imports the fault book, which imports this package.
            from .. import capture_faults

            capture_faults.deliver(
                record,
                who.account,
                who.region,
                to_lookup=lambda: STORE.append(who.account, who.region, epoch, who.username, record),
                to_eventbridge=lambda: events.deliver(record, who.account, who.region, epoch),
            )
        except Exception:
            # Recording must never break the call it records.
            traceback.print_exc(file=sys.stderr)
