"""CloudTrail LookupEvents over the recorded history.

Follows https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html:
at most one lookup attribute, a StartTime/EndTime window, 1..50 results per page (default 50),
newest first, an opaque NextToken, and 2 requests per second per account and region.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from datetime import datetime, timezone
from typing import Any

from moto.core.exceptions import JsonRESTError

from ..token_bucket import TokenBucket
from .store import STORE, StoredEvent

ATTRIBUTE_KEYS = (
    "EventId",
    "EventName",
    "ReadOnly",
    "Username",
    "ResourceType",
    "ResourceName",
    "EventSource",
    "AccessKeyId",
)
MAX_RESULTS = 50


class LookupError400(JsonRESTError):
    code = 400


def _error(code: str, message: str) -> LookupError400:
    return LookupError400(code, message)


def _rate_from_env() -> TokenBucket:
    rate = float(os.environ.get("LAKESYNC_LOCAL_LOOKUP_RATE", "2"))
    return TokenBucket(rate=rate, burst=max(1.0, rate))


THROTTLE = _rate_from_env()

# Tokens are signed with a per-process secret so a forged or foreign token is rejected, as AWS does.
_TOKEN_KEY = secrets.token_bytes(32)


def _sign(payload: bytes) -> str:
    return hmac.new(_TOKEN_KEY, payload, hashlib.sha256).hexdigest()[:32]


def encode_token(after_sequence: int, query_hash: str) -> str:
    payload = json.dumps({"s": after_sequence, "q": query_hash}).encode()
    return base64.urlsafe_b64encode(payload).decode() + "." + _sign(payload)


def decode_token(token: str, query_hash: str) -> int:
    invalid = _error("InvalidNextTokenException", "Invalid NextToken.")
    try:
        body, signature = token.rsplit(".", 1)
        payload = base64.urlsafe_b64decode(body.encode())
        if not hmac.compare_digest(_sign(payload), signature):
            raise invalid
        data = json.loads(payload)
    except LookupError400:
        raise
    except Exception:
        raise invalid from None
    # A token belongs to the query that produced it (same attributes and time window).
    if data.get("q") != query_hash or not isinstance(data.get("s"), int):
        raise invalid
    return data["s"]


def _epoch(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        pass
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise _error("InvalidTimeRangeException", f"{name} is not a valid time.") from None


def _matches(event: StoredEvent, key: str, value: str) -> bool:
    record = event.record
    resources = record.get("resources") or []
    if key == "EventId":
        return record["eventID"] == value
    if key == "EventName":
        return record["eventName"] == value
    if key == "ReadOnly":
        return str(record["readOnly"]).lower() == value
    if key == "Username":
        return event.username == value
    if key == "ResourceType":
        return any(r.get("type") == value for r in resources)
    if key == "ResourceName":
        return any(r.get("ARN") == value for r in resources)
    if key == "EventSource":
        return record["eventSource"] == value
    if key == "AccessKeyId":
        return record["userIdentity"].get("accessKeyId") == value
    return False


def _as_event(event: StoredEvent) -> dict[str, Any]:
    record = event.record
    return {
        "EventId": record["eventID"],
        "EventName": record["eventName"],
        "ReadOnly": "true" if record["readOnly"] else "false",
        "AccessKeyId": record["userIdentity"].get("accessKeyId"),
        "EventTime": event.epoch_seconds,
        "EventSource": record["eventSource"],
        "Username": event.username,
        # ResourceName is the resource's ARN (what the record's resources carry).
        "Resources": [{"ResourceType": r["type"], "ResourceName": r["ARN"]} for r in record.get("resources") or []],
        "CloudTrailEvent": json.dumps(record),
    }


def lookup_events(account: str, region: str, params: dict[str, Any]) -> dict[str, Any]:
    if not THROTTLE.take((account, region)):
        raise _error("ThrottlingException", "Rate exceeded")

    attributes = params.get("LookupAttributes") or []
    if len(attributes) > 1:
        raise _error("InvalidLookupAttributesException", "You cannot have more than one lookup attribute.")
    attribute = attributes[0] if attributes else None
    if attribute is not None:
        if attribute.get("AttributeKey") not in ATTRIBUTE_KEYS:
            raise _error("InvalidLookupAttributesException", f"Invalid attribute key: {attribute.get('AttributeKey')}")
        if not attribute.get("AttributeValue"):
            raise _error("InvalidLookupAttributesException", "AttributeValue must not be empty.")

    start, end = _epoch(params.get("StartTime"), "StartTime"), _epoch(params.get("EndTime"), "EndTime")
    if start is not None and end is not None and start > end:
        raise _error("InvalidTimeRangeException", "Start time must be before end time.")

    max_results = params.get("MaxResults", MAX_RESULTS)
    if not isinstance(max_results, int) or not 1 <= max_results <= MAX_RESULTS:
        raise _error("InvalidMaxResultsException", "MaxResults must be between 1 and 50.")

    if params.get("EventCategory") not in (None, "insight"):
        raise _error("InvalidEventCategoryException", "EventCategory must be insight.")
    if params.get("EventCategory") == "insight":
        return {"Events": []}  # no Insights events are modelled

    query_hash = hashlib.sha256(
        json.dumps([account, region, attribute, start, end], sort_keys=True).encode()
    ).hexdigest()[:16]
    after = decode_token(params["NextToken"], query_hash) if params.get("NextToken") else None

    page: list[StoredEvent] = []
    more = False
    for event in STORE.newest_first(account, region):
        if after is not None and event.sequence >= after:
            continue
        if start is not None and event.epoch_seconds < start:
            continue
        if end is not None and event.epoch_seconds > end:
            continue
        if attribute is not None and not _matches(event, attribute["AttributeKey"], attribute["AttributeValue"]):
            continue
        if len(page) == max_results:
            more = True
            break
        page.append(event)

    response: dict[str, Any] = {"Events": [_as_event(e) for e in page]}
    if more:
        response["NextToken"] = encode_token(page[-1].sequence, query_hash)
    return response


def epoch_of(moment: datetime) -> int:
    return int(moment.astimezone(timezone.utc).timestamp())
