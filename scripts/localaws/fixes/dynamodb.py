"""DynamoDB: where moto 5.2.5 differs from AWS, patched onto moto's DynamoDB backend."""

from __future__ import annotations

import functools
import threading
from typing import Any, Callable

GUIDE = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide"

# One lock for every write of every account and region: writes are short in-memory operations,
# and a global order is the simplest thing that is as atomic as AWS.
_write_lock = threading.RLock()


def fix_atomic_conditional_writes() -> None:
    """A conditional write checks its condition and writes as one atomic step.

    AWS evaluates a write's `ConditionExpression` against the item and applies the write only if
    it holds, atomically, so two writers that both expect `version = 7` cannot both succeed: one
    gets `ConditionalCheckFailedException` (optimistic locking,
    {GUIDE}/WorkingWithItems.html#WorkingWithItems.ConditionalUpdate,
    {GUIDE}/Expressions.ConditionExpressions.html). moto's threaded server ran the check and the
    write of concurrent requests interleaved, so both could pass the check and the later write
    silently overwrote the earlier one (the journal's per-event version check then lost a target's
    state). Every item write (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems)
    now runs under one lock.
    """
    from moto.dynamodb.models import DynamoDBBackend

    def serialised(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with _write_lock:
                return method(*args, **kwargs)

        return wrapper

    for name in ("put_item", "update_item", "delete_item", "batch_write_item", "transact_write_items"):
        if hasattr(DynamoDBBackend, name):
            setattr(DynamoDBBackend, name, serialised(getattr(DynamoDBBackend, name)))


fix_atomic_conditional_writes.__doc__ = (fix_atomic_conditional_writes.__doc__ or "").replace("{GUIDE}", GUIDE)


def apply() -> None:
    fix_atomic_conditional_writes()
