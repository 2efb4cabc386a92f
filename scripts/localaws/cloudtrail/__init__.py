"""Local CloudTrail: records Glue and Lake Formation calls, serves LookupEvents, emits EventBridge events.

See ../CLOUDTRAIL.md. Modules: middleware (WSGI recording), record (record building), casing
(schema-aware camelCase), identity (account and userIdentity), store (history), lookup
(LookupEvents), events (EventBridge delivery).
"""

from __future__ import annotations

import json

from .middleware import RecordingMiddleware

__all__ = ["RecordingMiddleware", "install"]


def install() -> None:
    """Install the LookupEvents action on moto's CloudTrail responses.

    moto dispatches a JSON action to the snake_case method of its response class, so adding the
    method is all it takes.
    """
    from moto.cloudtrail.responses import CloudTrailResponse

    from . import lookup

    def lookup_events(self: CloudTrailResponse) -> str:
        params = json.loads(self.body) if self.body else {}
        return json.dumps(lookup.lookup_events(self.current_account, self.region, params))

    CloudTrailResponse.lookup_events = lookup_events  # type: ignore[attr-defined]
