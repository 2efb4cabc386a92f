"""In-memory event history per (account, region): thread-safe (werkzeug serves each request on its
own thread) and bounded, like CloudTrail's event history is bounded (90 days there, a count here)."""

from __future__ import annotations

import itertools
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

MAX_EVENTS_PER_LOCATION = 100_000


@dataclass(frozen=True)
class StoredEvent:
    sequence: int  # insertion order; newest first means highest sequence first
    epoch_seconds: int  # eventTime as epoch seconds, for StartTime/EndTime windows
    username: str
    record: dict[str, Any]


class EventStore:
    def __init__(self, max_per_location: int = MAX_EVENTS_PER_LOCATION) -> None:
        self._lock = threading.Lock()
        self._sequence = itertools.count(1)
        self._max = max_per_location
        self._events: dict[tuple[str, str], deque[StoredEvent]] = {}

    def append(self, account: str, region: str, epoch_seconds: int, username: str, record: dict[str, Any]) -> None:
        with self._lock:
            events = self._events.setdefault((account, region), deque(maxlen=self._max))
            events.append(StoredEvent(next(self._sequence), epoch_seconds, username, record))

    def newest_first(self, account: str, region: str) -> list[StoredEvent]:
        with self._lock:
            return list(reversed(self._events.get((account, region), ())))

    def forget(self, account: str) -> None:
        with self._lock:
            for key in [k for k in self._events if k[0] == account]:
                del self._events[key]


STORE = EventStore()
