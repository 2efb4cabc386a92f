"""Where local AWS serves faster than moto as shipped, with every answer unchanged.

A profile of local AWS under the realtime bench (py-spy, 60 s, 10,000-write burst) found a third
of its CPU in work no AWS answer depends on; on a 2-core machine that CPU is the ceiling of every
realtime figure. Each `speed_*` function removes one such cost and says what it measured. None
changes what a request returns: the contract tests and the whole suite run with them on.
LOCALAWS_SKIP_SPEEDUPS=1 serves without them, to compare.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache

from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.sqs.models import SQSBackend

_applied = False


def speed_quiet_request_log() -> None:
    """werkzeug's access log: one formatted line per request through `logging`, under its lock.

    11% of local AWS's CPU in the burst. Nothing reads it (`lakesync local up` keeps only the
    tail of stderr for a startup failure); LOCALAWS_ACCESS_LOG=1 brings it back for debugging.
    """
    if os.environ.get("LOCALAWS_ACCESS_LOG") != "1":
        logging.getLogger("werkzeug").setLevel(logging.WARNING)


def speed_backend_for_host() -> None:
    """moto finds a request's backend by listing its own package directory (`os.listdir` and an
    `isdir` per service) and then matching every service's URL patterns, on every request, under
    the dispatcher's one lock: 10% of local AWS's CPU in the burst.

    The answer depends only on the host string, and the package and patterns do not change while
    the server runs, so it is remembered per host.
    """
    original = DomainDispatcherApplication.get_backend_for_host

    @lru_cache(maxsize=4096)
    def backend_for(dispatcher: DomainDispatcherApplication, host: str | None):
        return original(dispatcher, host)

    def get_backend_for_host(self, host):
        return backend_for(self, host)

    DomainDispatcherApplication.get_backend_for_host = get_backend_for_host


def speed_sqs_retention_check() -> None:
    """ReceiveMessage checks each message it hands out against the queue's retention period by
    building all the queue's attributes three times (`get_queue_attributes`), and each build counts
    every message the queue holds: 14% of local AWS's CPU in the burst, growing with queue depth.

    The check needs one attribute, which the queue holds as `message_retention_period` (what
    GetQueueAttributes reports as MessageRetentionPeriod); the comparison is moto's own.
    """
    from moto.core.utils import unix_time

    def is_message_valid_based_on_retention_period(self, queue_name, message):
        retention_period = int(self.get_queue(queue_name).message_retention_period)
        return retention_period + message.sent_timestamp / 1000 > unix_time()

    SQSBackend.is_message_valid_based_on_retention_period = is_message_valid_based_on_retention_period


def apply_all() -> None:
    global _applied
    if _applied or os.environ.get("LOCALAWS_SKIP_SPEEDUPS") == "1":
        return
    speed_quiet_request_log()
    speed_backend_for_host()
    speed_sqs_retention_check()
    _applied = True
