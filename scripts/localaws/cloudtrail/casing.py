"""CloudTrail's casing of request and response payloads, driven by botocore's service models.

CloudTrail writes an API's parameters with each structure member's first letter lowercased
(TableInput -> tableInput, SerDeInfo -> serDeInfo), but it never touches data: map keys (table
Parameters such as {"EXTERNAL": "TRUE"}) and string values stay exactly as sent. Telling a
structure member from a map key needs the API's schema, hence the service models.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

_session = botocore.session.get_session()


@lru_cache(maxsize=None)
def operation_model(service: str, operation: str) -> OperationModel | None:
    model = _session.get_service_model(service)
    if operation not in model.operation_names:
        return None
    return model.operation_model(operation)


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def camel_case(value: Any, shape: Shape | None) -> Any:
    """Recase `value` (parsed JSON) following `shape`; values without a known shape keep their keys."""
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        return {lower_first(key): camel_case(item, shape.members.get(key)) for key, item in value.items()}
    if isinstance(shape, MapShape) and isinstance(value, dict):
        return {key: camel_case(item, shape.value) for key, item in value.items()}
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [camel_case(item, shape.member) for item in value]
    if shape is None and isinstance(value, dict):
        # A member the model doesn't know (newer client, or moto's extras): recase its top level
        # like a structure, but leave everything below alone since we can't tell maps apart.
        return {lower_first(key): item for key, item in value.items()}
    return value


def request_parameters(service: str, operation: str, body: Any) -> Any:
    model = operation_model(service, operation)
    return camel_case(body, model.input_shape if model else None)


def response_elements(service: str, operation: str, body: Any) -> Any:
    model = operation_model(service, operation)
    return camel_case(body, model.output_shape if model else None)
