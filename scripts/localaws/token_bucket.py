"""A token bucket per key: how AWS enforces request-rate quotas, for local AWS's throttles
(LookupEvents' 2 requests per second per account and region; fault rules with ratePerSecond)."""

from __future__ import annotations

import threading
import time
from typing import Hashable


class TokenBucket:
    """`rate` tokens per second up to `burst`, one bucket per key; a request that finds fewer than
    one token is refused and takes none."""

    def __init__(self, rate: float, burst: float, clock=time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self._lock = threading.Lock()
        self._buckets: dict[Hashable, tuple[float, float]] = {}

    def take(self, key: Hashable = None) -> bool:
        with self._lock:
            now = self.clock()
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1, now)
            return True

    def forget(self, account: str) -> None:
        """Drops the buckets of keys that are (account, ...) tuples."""
        with self._lock:
            for key in [k for k in self._buckets if isinstance(k, tuple) and k[:1] == (account,)]:
                del self._buckets[key]
