"""Glue Data Catalog: where moto 5.2.5 differs from AWS, patched onto moto's backend and responses.

Each `fix_*` function installs one behaviour and names the API reference it follows.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.glue.exceptions import EntityNotFoundException, GlueClientError, InvalidInputException
from moto.glue.models import GlueBackend
from moto.glue.responses import GlueResponse

from .paging import page


def _invalid(message: str) -> InvalidInputException:
    return InvalidInputException("", message)


def _int_in_range(value: Any, name: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _invalid(f"{name} must be an integer between {low} and {high}.")
    return value


def _check_max_results(params: dict[str, Any], high: int) -> None:
    if params.get("MaxResults") is not None:
        _int_in_range(params["MaxResults"], "MaxResults", 1, high)


def _paged(
    params: dict[str, Any], items: list[Any], key: str, high: int, render: Callable[[Any], Any] = lambda item: item
) -> ActionResult:
    """One page of `items` under `key`, with NextToken when more follow (Glue's list shape)."""
    page_items, token = page(items, params.get("MaxResults"), params.get("NextToken"), _invalid, high)
    result: dict[str, Any] = {key: [render(item) for item in page_items]}
    if token:
        result["NextToken"] = token
    return ActionResult(result)


def _segment_of(values: list[str], total: int) -> int:
    """A partition's segment depends only on its own values, so segments stay disjoint."""
    return zlib.crc32(json.dumps(values).encode()) % total


def fix_get_partitions_paging_and_segments() -> None:
    """GetPartitions honours MaxResults/NextToken and Segment (moto returned everything).

    Every partition falls in exactly one of TotalSegments segments (1-10), so parallel readers
    of all segments see each partition once; MaxResults is 1-1000 and NextToken continues a page:
    https://docs.aws.amazon.com/glue/latest/webapi/API_GetPartitions.html
    """

    def get_partitions(self):
        params = self.parameters
        partitions = self.glue_backend.get_partitions(
            params.get("DatabaseName"), params.get("TableName"), params.get("Expression")
        )
        segment = params.get("Segment")
        if segment is not None:
            total = _int_in_range(segment.get("TotalSegments"), "TotalSegments", 1, 10)
            number = _int_in_range(segment.get("SegmentNumber"), "SegmentNumber", 0, total - 1)
            partitions = [p for p in partitions if _segment_of(p.values, total) == number]
        _check_max_results(params, 1000)
        return _paged(params, partitions, "Partitions", 1000, lambda p: p.as_dict())

    GlueResponse.get_partitions = get_partitions  # type: ignore[method-assign]


def _table_name_pattern(expression: str) -> re.Pattern[str]:
    # `*` alone is the wildcard users write (Hive metastore patterns); `.*` is already regex.
    try:
        return re.compile(re.sub(r"(?<!\.)\*", ".*", expression))
    except re.error as error:
        raise _invalid(f"Invalid expression {expression}: {error}") from error


def fix_get_tables_expression_and_paging() -> None:
    """GetTables matches Expression against the whole table name and pages with MaxResults.

    AWS: "A regular expression pattern. If present, only those tables whose names match the
    pattern are returned." The pattern must match the whole name, as in the Hive metastore
    whose semantics the Glue catalog follows (`events` does not return `events_v2`; `events*`
    does); moto used re.match, anchored at the start only, and ignored MaxResults (1-100):
    https://docs.aws.amazon.com/glue/latest/webapi/API_GetTables.html
    """

    def get_tables(self):
        params = self.parameters
        tables = self.glue_backend.get_tables(params.get("DatabaseName"), None)
        expression = params.get("Expression")
        if expression:
            pattern = _table_name_pattern(expression)
            tables = [t for t in tables if pattern.fullmatch(t.name)]
        _check_max_results(params, 100)
        return _paged(params, tables, "TableList", 100, lambda t: t.as_dict())

    GlueResponse.get_tables = get_tables  # type: ignore[method-assign]


def fix_get_databases_paging() -> None:
    """GetDatabases pages with MaxResults (1-100) and NextToken (moto returned everything).

    https://docs.aws.amazon.com/glue/latest/webapi/API_GetDatabases.html
    """

    def get_databases(self):
        params = self.parameters
        _check_max_results(params, 100)
        return _paged(params, self.glue_backend.get_databases(), "DatabaseList", 100, lambda d: d.as_dict())

    GlueResponse.get_databases = get_databases  # type: ignore[method-assign]


def fix_get_table_versions_paging() -> None:
    """GetTableVersions pages with MaxResults (1-100) and NextToken (moto returned everything).

    https://docs.aws.amazon.com/glue/latest/webapi/API_GetTableVersions.html
    """

    def get_table_versions(self):
        params = self.parameters
        _check_max_results(params, 100)
        versions = self.glue_backend.get_table_versions(params.get("DatabaseName"), params.get("TableName"))
        listed = [{"Table": table, "VersionId": version} for version, table in versions.items()]
        return _paged(params, listed, "TableVersions", 100)

    GlueResponse.get_table_versions = get_table_versions  # type: ignore[method-assign]


def fix_delete_table_version_missing() -> None:
    """DeleteTableVersion of a version the table does not have is EntityNotFoundException.

    moto raised KeyError (HTTP 500):
    https://docs.aws.amazon.com/glue/latest/webapi/API_DeleteTableVersion.html
    """

    def delete_table_version(self, database_name, table_name, version_id):
        table = self.get_table(database_name, table_name)
        if str(version_id) not in table.versions:
            raise EntityNotFoundException(f"Version {version_id} of table {database_name}.{table_name} not found.")
        table.delete_version(str(version_id))

    GlueBackend.delete_table_version = delete_table_version  # type: ignore[method-assign]


MAX_PARTITION_INDEXES = 3


def _partition_indexes(table: Any) -> dict[str, list[str]]:
    """Index name -> key names, kept on moto's table object so it goes when the table goes."""
    return table.__dict__.setdefault("lakesync_partition_indexes", {})


def _add_partition_index(table: Any, index: dict[str, Any]) -> None:
    name, keys = index.get("IndexName"), list(index.get("Keys") or [])
    indexes = _partition_indexes(table)
    if not name or not keys:
        raise _invalid("A partition index needs an IndexName and at least one key.")
    if name in indexes:
        raise GlueClientError("AlreadyExistsException", f"Partition index {name} already exists.")
    if len(indexes) >= MAX_PARTITION_INDEXES:
        raise GlueClientError(
            "ResourceNumberLimitExceededException",
            f"A table can have at most {MAX_PARTITION_INDEXES} partition indexes.",
        )
    partition_keys = [k["Name"] for k in table.get_version(str(table._current_version)).get("PartitionKeys") or []]
    unknown = [k for k in keys if k not in partition_keys]
    if unknown:
        raise _invalid(f"Partition index keys {unknown} are not partition keys of table {table.name}.")
    indexes[name] = keys


def fix_partition_indexes() -> None:
    """CreatePartitionIndex, DeletePartitionIndex, CreateTable.PartitionIndexes, GetPartitionIndexes.

    moto had no create or delete and always answered GetPartitionIndexes with an empty list, so a
    restored or replicated table lost its indexes. AWS keeps up to 3 indexes per table, each over
    partition keys only; a duplicate name is AlreadyExistsException, a missing one on delete is
    EntityNotFoundException. New indexes are reported ACTIVE at once (AWS: CREATING, then ACTIVE).
    https://docs.aws.amazon.com/glue/latest/webapi/API_CreatePartitionIndex.html
    https://docs.aws.amazon.com/glue/latest/webapi/API_DeletePartitionIndex.html
    https://docs.aws.amazon.com/glue/latest/webapi/API_GetPartitionIndexes.html
    https://docs.aws.amazon.com/glue/latest/webapi/API_CreateTable.html (PartitionIndexes)
    """
    original_create_table = GlueResponse.create_table

    def create_table(self):
        result = original_create_table(self)
        params = self.parameters
        table = self.glue_backend.get_table(params.get("DatabaseName"), params["TableInput"]["Name"])
        try:
            for index in params.get("PartitionIndexes") or []:
                _add_partition_index(table, index)
        except GlueClientError:
            self.glue_backend.delete_table(params.get("DatabaseName"), params["TableInput"]["Name"])
            raise
        return result

    def create_partition_index(self):
        params = self.parameters
        table = self.glue_backend.get_table(params.get("DatabaseName"), params.get("TableName"))
        _add_partition_index(table, params.get("PartitionIndex") or {})
        return ActionResult({})

    def delete_partition_index(self):
        params = self.parameters
        table = self.glue_backend.get_table(params.get("DatabaseName"), params.get("TableName"))
        if _partition_indexes(table).pop(params.get("IndexName"), None) is None:
            raise EntityNotFoundException(f"Partition index {params.get('IndexName')} not found.")
        return ActionResult({})

    def get_partition_indexes(self):
        params = self.parameters
        table = self.glue_backend.get_table(params.get("DatabaseName"), params.get("TableName"))
        types = {
            k["Name"]: k.get("Type", "string")
            for k in table.get_version(str(table._current_version)).get("PartitionKeys") or []
        }
        descriptors = [
            {"IndexName": name, "Keys": [{"Name": k, "Type": types.get(k, "string")} for k in keys], "IndexStatus": "ACTIVE"}
            for name, keys in _partition_indexes(table).items()
        ]
        # GetPartitionIndexes has no MaxResults: pages are the service's own size.
        return _paged({"NextToken": params.get("NextToken")}, descriptors, "PartitionIndexDescriptorList", 100)

    GlueResponse.create_table = create_table  # type: ignore[method-assign]
    GlueResponse.create_partition_index = create_partition_index  # type: ignore[attr-defined]
    GlueResponse.delete_partition_index = delete_partition_index  # type: ignore[attr-defined]
    GlueResponse.get_partition_indexes = get_partition_indexes  # type: ignore[method-assign]


def apply() -> None:
    fix_get_partitions_paging_and_segments()
    fix_get_tables_expression_and_paging()
    fix_get_databases_paging()
    fix_get_table_versions_paging()
    fix_delete_table_version_missing()
    fix_partition_indexes()
