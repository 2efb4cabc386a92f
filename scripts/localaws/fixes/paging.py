"""MaxResults/NextToken paging over an already ordered list, shared by the Glue and LF fixes.

The token is opaque to callers (as on AWS) and carries only the offset of the next item, so a
list must be sorted the same way on every call for paging to be stable.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Callable, TypeVar

T = TypeVar("T")


def page(
    items: list[T],
    max_results: Any,
    next_token: str | None,
    invalid_token: Callable[[str], Exception],
    default_limit: int,
) -> tuple[list[T], str | None]:
    """One page of `items` and the token for the next one (None on the last page)."""
    start = 0
    if next_token:
        try:
            start = int(json.loads(base64.b64decode(next_token))["offset"])
        except (ValueError, KeyError, TypeError) as error:
            raise invalid_token("Invalid pagination token") from error
    limit = int(max_results) if max_results else default_limit
    if limit < 1:
        raise invalid_token("MaxResults must be at least 1")
    end = start + limit
    token = base64.b64encode(json.dumps({"offset": end}).encode()).decode() if end < len(items) else None
    return items[start:end], token
