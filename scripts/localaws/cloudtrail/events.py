"""Delivers recorded calls to the account's default EventBridge bus as "AWS API Call via CloudTrail".

On AWS, rules in the ordinary ENABLED state receive only mutating (readOnly=false) management
events; read-only ones reach only rules in the state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html).
We model exactly that, per rule.
"""

from __future__ import annotations

import copy
import json
import sys
import traceback
import uuid
from typing import Any

DETAIL_TYPE = "AWS API Call via CloudTrail"
SOURCES = {"glue.amazonaws.com": "aws.glue", "lakeformation.amazonaws.com": "aws.lakeformation"}
ALL_MANAGEMENT_EVENTS = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"


def _receives(rule: Any, read_only: bool) -> bool:
    state = getattr(rule, "state", "ENABLED")
    if state == ALL_MANAGEMENT_EVENTS:
        return True
    return state == "ENABLED" and not read_only


def deliver(record: dict[str, Any], account: str, region: str, epoch_seconds: int) -> None:
    """Put the record on the default bus in-process. Never raises: delivery is best effort on AWS
    too, and a target moto can't serve must not break the recorded call."""
    try:
        from moto.events.models import events_backends
        from moto.events.utils import _BASE_EVENT_MESSAGE

        backend = events_backends[account][region]
        bus = backend.describe_event_bus("default")
        envelope = copy.deepcopy(_BASE_EVENT_MESSAGE)
        envelope.update(
            {
                "id": str(uuid.uuid4()),
                "detail-type": DETAIL_TYPE,
                "source": SOURCES[record["eventSource"]],
                "account": account,
                "time": epoch_seconds,  # moto renders this as ISO 8601 for SQS targets
                "region": region,
                "resources": [],
                "detail": json.loads(json.dumps(record)),
            }
        )
    except Exception:
        traceback.print_exc(file=sys.stderr)
        return
    for rule in list(bus.rules.values()):
        if not _receives(rule, bool(record.get("readOnly"))):
            continue
        try:
            # moto's send_to_targets mutates "time" for SQS targets; give each rule its own copy.
            event = copy.deepcopy(envelope)
            if any("InputTransformer" in target for target in rule.targets):
                # moto's transformer (archives use one) reads this internal field.
                rule.send_to_targets({**event, "ingestion-time": epoch_seconds})
            else:
                # Untransformed, so targets get the whole envelope: moto's default template would
                # drop "account" and string-substitute placeholders inside the detail.
                rule.send_to_targets(event, transform_input=False)
        except Exception as error:  # e.g. NotImplementedError for Lambda targets
            print(f"localaws cloudtrail: delivery to rule {rule.name} failed: {error!r}", file=sys.stderr)
