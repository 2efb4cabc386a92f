"""Requests that share state: where moto's threaded server lets concurrent requests see half-made
changes, which AWS never does."""

from __future__ import annotations

import functools
import threading
from typing import Any

LF = "https://docs.aws.amazon.com/lake-formation/latest/APIReference"
GLUE = "https://docs.aws.amazon.com/glue/latest/webapi"

# Glue, Lake Formation and RAM share one lock because the fixes read across them (a grant checks
# the Glue resource it names, a cross-account grant creates a RAM share); one lock cannot deadlock.
_catalog_lock = threading.RLock()
SERIALIZED_SERVICES = frozenset({"glue", "lakeformation", "ram"})


def fix_serialized_catalog_requests() -> None:
    """Each Glue, Lake Formation and RAM request sees the catalog whole, whatever runs beside it.

    AWS answers concurrent requests each against a consistent state: a `BatchGrantPermissions`
    ({LF}/API_BatchGrantPermissions.html) sent while others grant succeeds or reports per-entry
    `Failures`, and a `GetTables` ({GLUE}/glue-api-catalog-tables.html#aws-glue-api-catalog-tables-GetTables)
    sent during a `CreateTable` lists the table or not. moto's backends keep grants in sets and
    tables in dicts that the threaded server mutates and iterates from several threads at once, so
    under a restore's concurrent batches a grant iterating the grant set failed with "Set changed
    size during iteration" and the caller got HTTP 500 (15 of 36 batches in a loaded bench run).
    Every action of these three services now runs under one lock; they are short in-memory
    operations, so only the order of concurrent requests changes.
    """
    from moto.core.responses import BaseResponse

    original = BaseResponse.call_action

    @functools.wraps(original)
    def call_action(self: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(self, "service_name", None) not in SERIALIZED_SERVICES:
            return original(self, *args, **kwargs)
        with _catalog_lock:
            return original(self, *args, **kwargs)

    BaseResponse.call_action = call_action  # type: ignore[method-assign]


def apply() -> None:
    fix_serialized_catalog_requests()
