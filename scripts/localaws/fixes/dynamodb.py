"""DynamoDB: where moto 5.2.5 differs from AWS, patched onto moto's DynamoDB backend."""

from __future__ import annotations

import copy
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


def fix_transact_write_items() -> None:
    """TransactWriteItems checks every condition first and writes all of its actions or none.

    AWS: up to 100 actions on distinct items; if any `ConditionExpression` fails, nothing is
    written and the call fails with `TransactionCanceledException`, whose `CancellationReasons`
    hold one entry per action in order (`ConditionalCheckFailed` for the failing ones, with the
    item when `ReturnValuesOnConditionCheckFailure` is `ALL_OLD`, `None` for the others)
    ({API}/API_TransactWriteItems.html, {GUIDE}/transaction-apis.html). moto gets the outcome
    right but deep-copies every table a transaction touches before it starts, to roll back by
    swapping the copy in: on the journal (thousands of events with their records) each
    transaction cost a copy of the whole table and the server's memory grew by gigabytes over a
    burst. Here the conditions are evaluated against the current items first (under the write
    lock, so nothing changes in between) and the writes run only when all of them hold. A write
    that still fails (a validation error in an update expression) restores the items written
    before it from copies of those items alone.
    """
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )
    from moto.dynamodb.models import DynamoDBBackend

    def key_of(backend: Any, op_type: str, op: dict[str, Any]) -> dict[str, Any]:
        if op_type != "Put":
            return op["Key"]
        table = backend.get_table(op["TableName"])
        attrs = op["Item"]
        key = {table.hash_key_attr: attrs[table.hash_key_attr]}
        if table.range_key_attr is not None:
            key[table.range_key_attr] = attrs[table.range_key_attr]
        return key

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        if len(transact_items) > 100:
            raise TooManyTransactionsException()
        with _write_lock:
            actions = []
            seen: set[tuple[str, str]] = set()
            for item in transact_items:
                if len(item) > 1:
                    raise TransactWriteSingleOpException
                op_type, op = next(iter(item.items()))
                key = key_of(self, op_type, op)
                identity = (str(op["TableName"]), str(dict(sorted(key.items()))))
                if identity in seen:
                    raise MultipleTransactionsException()
                seen.add(identity)
                actions.append((op_type, op, key))

            reasons: list[tuple[Any, Any, Any]] = []
            for op_type, op, key in actions:
                current = self.get_item(op["TableName"], key)
                condition = op.get("ConditionExpression")
                if condition is not None and not get_filter_expression(
                    condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
                ).expr(current):
                    old = None
                    if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                        old = current.to_json()["Attributes"]
                    reasons.append(("ConditionalCheckFailed", ConditionalCheckFailed().message, old))
                else:
                    reasons.append((None, None, None))
            if any(code is not None for code, _, _ in reasons):
                raise TransactionCanceledException(reasons)

            written: list[tuple[str, dict[str, Any], Any]] = []
            try:
                for op_type, op, key in actions:
                    if op_type == "ConditionCheck":
                        continue
                    before = self.get_item(op["TableName"], key)
                    written.append((op["TableName"], key, copy.deepcopy(before.to_json()["Attributes"]) if before else None))
                    names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
                    if op_type == "Put":
                        self.put_item(op["TableName"], op["Item"], expression_attribute_names=names, expression_attribute_values=values)
                    elif op_type == "Delete":
                        self.delete_item(op["TableName"], key, expression_attribute_names=names, expression_attribute_values=values)
                    else:
                        self.update_item(
                            op["TableName"],
                            key,
                            update_expression=op["UpdateExpression"],
                            expression_attribute_names=names,
                            expression_attribute_values=values,
                        )
            except Exception:
                for table_name, key, before in reversed(written):
                    if before is None:
                        self.delete_item(table_name, key)
                    else:
                        self.put_item(table_name, before)
                raise

    DynamoDBBackend.transact_write_items = transact_write_items


fix_transact_write_items.__doc__ = (
    (fix_transact_write_items.__doc__ or "")
    .replace("{GUIDE}", GUIDE)
    .replace("{API}", "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference")
)


def apply() -> None:
    fix_atomic_conditional_writes()
    fix_transact_write_items()
