"""Builds a CloudTrail record for one Glue or Lake Formation call.

Record format: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from . import casing
from .identity import Caller

EVENT_SOURCES = {"glue": "glue.amazonaws.com", "lakeformation": "lakeformation.amazonaws.com"}

# CloudTrail's documented limit for requestParameters / responseElements. Per the record-contents
# page above: "CloudTrail truncates a field if the field contents exceed the maximum field size. If
# a field is truncated, omitted is present with a value of true." We replace the oversized field
# with {"omitted": true, "reason": "<field> too large"}; the reason text is what peers observe on
# AWS (e.g. the lake-formation-permissions-sync fork's fallback), `omitted: true` is the contract.
MAX_FIELD_BYTES = 100 * 1024

_READ_ONLY_PREFIXES = ("Get", "List", "BatchGet", "Search", "Describe")


@dataclass(frozen=True)
class ApiCall:
    service: str  # "glue" | "lakeformation"
    operation: str
    body: Any  # parsed JSON request body
    source_ip: str
    user_agent: str


@dataclass(frozen=True)
class ApiResult:
    status: int
    body: Any  # parsed JSON response body, or None
    error_type: str | None  # x-amzn-ErrorType header
    request_id: str | None


def is_read_only(operation: str) -> bool:
    return operation.startswith(_READ_ONLY_PREFIXES)


def _bounded(field: str, value: Any) -> Any:
    if value is None:
        return None
    if len(json.dumps(value, separators=(",", ":")).encode()) > MAX_FIELD_BYTES:
        return {"omitted": True, "reason": f"{field} too large"}
    return value


def _error(result: ApiResult) -> tuple[str, str]:
    body = result.body if isinstance(result.body, dict) else {}
    code = body.get("__type") or body.get("code") or result.error_type or "InternalFailure"
    # restJson1/awsJson error types may carry a namespace ("com.amazonaws.glue#EntityNotFoundException")
    # and x-amzn-ErrorType may carry ":http://internal.amazon.com/..." after the code.
    code = str(code).split("#")[-1].split(":")[0]
    message = body.get("message") or body.get("Message") or body.get("ErrorMessage") or ""
    return code, str(message)


def _glue_resources(call: ApiCall, account: str, region: str) -> list[dict[str, str]]:
    body = call.body if isinstance(call.body, dict) else {}
    catalog = body.get("CatalogId") or account
    prefix = f"arn:aws:glue:{region}:{catalog}"

    def table(db: Any, name: Any) -> dict[str, str]:
        return {"ARN": f"{prefix}:table/{db}/{name}", "accountId": catalog, "type": "AWS::Glue::Table"}

    def database(name: Any) -> dict[str, str]:
        return {"ARN": f"{prefix}:database/{name}", "accountId": catalog, "type": "AWS::Glue::Database"}

    op, db = call.operation, body.get("DatabaseName")
    if op in ("CreateTable", "UpdateTable") and isinstance(body.get("TableInput"), dict):
        return [table(db, body["TableInput"].get("Name"))]
    if op == "DeleteTable":
        return [table(db, body.get("Name"))]
    if op == "BatchDeleteTable":
        return [table(db, name) for name in body.get("TablesToDelete") or []]
    if op in ("CreatePartition", "BatchCreatePartition", "UpdatePartition", "DeletePartition",
              "BatchDeletePartition", "BatchUpdatePartition"):
        return [table(db, body.get("TableName"))]
    if op == "CreateDatabase" and isinstance(body.get("DatabaseInput"), dict):
        return [database(body["DatabaseInput"].get("Name"))]
    if op in ("UpdateDatabase", "DeleteDatabase"):
        return [database(body.get("Name"))]
    return []


def build_record(call: ApiCall, result: ApiResult, who: Caller, now: datetime) -> dict[str, Any]:
    request = call.body if call.body not in (None, {}) else None
    record: dict[str, Any] = {
        "eventVersion": "1.08",
        "userIdentity": who.user_identity,
        "eventTime": now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": EVENT_SOURCES[call.service],
        "eventName": call.operation,
        "awsRegion": who.region,
        "sourceIPAddress": call.source_ip,
        "userAgent": call.user_agent,
    }
    failed = result.status >= 400
    if failed:
        record["errorCode"], record["errorMessage"] = _error(result)
    record["requestParameters"] = _bounded(
        "requestParameters", casing.request_parameters(call.service, call.operation, request) if request else None
    )
    response = None if failed or result.body in (None, {}) else result.body
    record["responseElements"] = _bounded(
        "responseElements", casing.response_elements(call.service, call.operation, response) if response else None
    )
    record["requestID"] = result.request_id or str(uuid.uuid4())
    record["eventID"] = str(uuid.uuid4())
    record["readOnly"] = is_read_only(call.operation)
    if call.service == "glue" and not record["readOnly"]:
        resources = _glue_resources(call, who.account, who.region)
        if resources:
            record["resources"] = resources
    record["eventType"] = "AwsApiCall"
    record["managementEvent"] = True
    record["recipientAccountId"] = who.account
    record["eventCategory"] = "Management"
    return record


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
