"""Capture faults: what can go wrong between a recorded call and lakesync seeing it (faults.py rules
of kind drop | duplicate | delay | reorder), on both paths:

- eventbridge: the "AWS API Call via CloudTrail" event (best effort on AWS: it can be missed,
  repeated, late or out of order);
- lookup: the record's appearance in LookupEvents (late by minutes on AWS; a delay past the
  poller's overlap makes the poller miss it).

One decision per record covers both paths, and a record the EventBridge path dropped is never also
lost on the lookup path: CloudTrail keeps every management event in its history, so a capture that
reads both paths must be able to find it.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from .faults import BOOK, CAPTURE_KINDS

# Held records per (path, account, region) waiting to go out after the next one (reorder).
_held: dict[tuple[str, str, str], list[Callable[[], None]]] = {}
_held_lock = threading.Lock()
# A held record goes out on its own after this long if no other record comes to overtake it.
REORDER_FALLBACK_SECONDS = 2.0
_SERVICES = {"glue.amazonaws.com": "glue", "lakeformation.amazonaws.com": "lakeformation"}


def forget(account: str) -> None:
    """Drops the account's held records (see accounts.py); none should be left once it is done."""
    with _held_lock:
        for key in [k for k in _held if k[1] == account]:
            del _held[key]


def _release_after(key: tuple[str, str, str], send: Callable[[], None]) -> None:
    with _held_lock:
        waiting = _held.pop(key, [])
    send()
    for held in waiting:
        held()


def _hold(key: tuple[str, str, str], send: Callable[[], None]) -> None:
    done = threading.Event()

    def once() -> None:
        if not done.is_set():
            done.set()
            send()

    with _held_lock:
        _held.setdefault(key, []).append(once)

    def fallback() -> None:
        with _held_lock:
            if once in _held.get(key, []):
                _held[key].remove(once)
        once()

    timer = threading.Timer(REORDER_FALLBACK_SECONDS, fallback)
    timer.daemon = True
    timer.start()


def _act(kind: str | None, delay_seconds: float, key: tuple[str, str, str], send: Callable[[], None]) -> None:
    if kind == "drop":
        return
    if kind == "delay":
        timer = threading.Timer(delay_seconds, lambda: _release_after(key, send))
        timer.daemon = True
        timer.start()
        return
    if kind == "reorder":
        _hold(key, send)
        return
    _release_after(key, send)
    if kind == "duplicate":
        send()


def deliver(record: dict[str, Any], account: str, region: str, to_lookup: Callable[[], None], to_eventbridge: Callable[[], None]) -> None:
    """Sends the record down both paths, applying the capture faults that fire for it."""
    service = _SERVICES.get(record.get("eventSource", ""), "")
    operation = record.get("eventName", "")
    bridge = BOOK.draw(CAPTURE_KINDS, service, operation, account, path="eventbridge")
    bridge_kind = bridge[0].kind if bridge else None
    lookup = BOOK.draw(CAPTURE_KINDS, service, operation, account, path="lookup")
    lookup_kind = lookup[0].kind if lookup else None
    if bridge_kind == "drop" and lookup_kind in ("drop", "delay"):
        lookup_kind = None  # see the module docstring: never lost on both paths
    _act(lookup_kind, lookup[0].delay_seconds if lookup else 0, ("lookup", account, region), to_lookup)
    _act(bridge_kind, bridge[0].delay_seconds if bridge else 0, ("eventbridge", account, region), to_eventbridge)
