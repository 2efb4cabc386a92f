"""Forgets an account: every moto backend and every piece of lakesync's layer kept for it.

Why: moto keeps each account's backends in per-service dicts keyed by account, and resolves every
request's account by scanning all accounts' IAM access keys (moto.iam.models.get_account_id_from),
while each backend lookup lists all accounts (BackendDict._create_account_specific_backend). A long
run that makes fresh accounts (one chaos sequence: two accounts) gets slower with every account it
leaves behind. Forgetting an account that is done with keeps each request's cost flat, without a
global reset (/moto-api/reset) that would wipe the accounts other sequences are still using.

Admin endpoint (never an AWS path: S3 bucket names cannot start with "_"):
    POST /_lakesync/accounts/forget?account=A[&account=B]  -> {"forgotten": ["A", "B"]}
    GET  /_lakesync/accounts                               -> {"accounts": [...]} (any backend holds)
"""

from __future__ import annotations

from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

from . import capture_faults
from .calls import COUNTER, json_response
from .cloudtrail import lookup
from .cloudtrail.store import STORE

PATH = "/_lakesync/accounts/forget"
LIST_PATH = "/_lakesync/accounts"


def held() -> list[str]:
    from moto.core.base_backend import BackendDict, backend_lock

    with backend_lock:
        return sorted({account for backends in list(BackendDict._instances) for account in list(backends)})  # type: ignore[misc]


def forget(account: str) -> None:
    from moto.core.base_backend import BackendDict, backend_lock

    with backend_lock:
        for backends in list(BackendDict._instances):  # type: ignore[misc]
            backends.pop(account, None)
    STORE.forget(account)
    COUNTER.reset(account)
    lookup.THROTTLE.forget(account)
    capture_faults.forget(account)


class AccountsMiddleware:
    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == LIST_PATH and environ.get("REQUEST_METHOD") == "GET":
            return json_response(start_response, "200 OK", {"accounts": held()})
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        accounts = parse_qs(environ.get("QUERY_STRING", "")).get("account", [])
        if not accounts or not all(a.isdigit() and len(a) == 12 for a in accounts):
            return json_response(start_response, "400 Bad Request", {"error": "account: 12 digits, at least one"})
        for account in accounts:
            forget(account)
        return json_response(start_response, "200 OK", {"forgotten": accounts})
