"""Builds a real Iceberg table with pyiceberg in the source bucket and Glue catalog.

  make_table.py create REGION BUCKET DATABASE TABLE [FORMAT_VERSION]
      a table partitioned by `category` (identity): two appends, a delete of rows (pyiceberg 0.12
      deletes copy-on-write: it rewrites the affected data files and writes no delete files), a
      schema evolution (a new column), and an append with the new column. FORMAT_VERSION is 1 or
      2 (default 2; pyiceberg 0.12 does not write version 3).
  make_table.py append REGION DATABASE TABLE FIRST_ID
      one more append (what a later commit in the source looks like).

Prints a JSON summary: metadata location, snapshot ids, rows (count and checksum) now and at the
first snapshot. The local AWS endpoint comes from AWS_ENDPOINT_URL.
"""

import json
import sys
from datetime import datetime, timedelta

import pyarrow as pa
from catalog import glue_catalog, rows_summary
from pyiceberg.expressions import In
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.transforms import IdentityTransform
from pyiceberg.types import DoubleType, LongType, NestedField, StringType, TimestampType

SCHEMA = Schema(
    NestedField(1, "id", LongType(), required=True),
    NestedField(2, "category", StringType(), required=False),
    NestedField(3, "amount", DoubleType(), required=False),
    NestedField(4, "ts", TimestampType(), required=False),
)
SPEC = PartitionSpec(
    PartitionField(source_id=2, field_id=1000, transform=IdentityTransform(), name="category"),
)
START = datetime(2026, 11, 1, 8, 0, 0)


def batch(first_id: int, count: int, note: bool = False) -> pa.Table:
    ids = list(range(first_id, first_id + count))
    columns = {
        "id": pa.array(ids, pa.int64()),
        "category": pa.array([["books", "games", "music"][i % 3] for i in ids], pa.string()),
        "amount": pa.array([round(i * 1.25, 2) for i in ids], pa.float64()),
        "ts": pa.array([START + timedelta(hours=7 * i) for i in ids], pa.timestamp("us")),
    }
    if note:
        columns["note"] = pa.array([f"note {i}" for i in ids], pa.string())
    schema = pa.schema(
        [pa.field("id", pa.int64(), nullable=False)]
        + [pa.field(name, array.type) for name, array in columns.items() if name != "id"]
    )
    return pa.table(columns, schema=schema)


def summary(table) -> dict:
    snapshots = sorted(table.metadata.snapshots, key=lambda snapshot: snapshot.sequence_number)
    first = snapshots[0].snapshot_id
    return {
        "metadataLocation": table.metadata_location,
        "snapshotIds": [str(snapshot.snapshot_id) for snapshot in snapshots],
        "firstSnapshotId": str(first),
        "rows": rows_summary(table.scan().to_arrow()),
        "firstSnapshotRows": rows_summary(table.scan(snapshot_id=first).to_arrow()),
    }


def create(region: str, bucket: str, database: str, name: str, format_version: str = "2") -> dict:
    catalog = glue_catalog(region)
    catalog.create_namespace(database)
    table = catalog.create_table(
        f"{database}.{name}",
        schema=SCHEMA,
        partition_spec=SPEC,
        location=f"s3://{bucket}/warehouse/{database}/{name}",
        properties={"format-version": format_version, "write.data.path": f"s3://{bucket}/warehouse/{database}/{name}/data"},
    )
    table.append(batch(0, 30))
    table.append(batch(30, 30))
    table.delete(In("id", [3, 4, 31, 45]))
    with table.update_schema() as update:
        update.add_column("note", StringType())
    table.append(batch(60, 12, note=True))
    return summary(catalog.load_table(f"{database}.{name}"))


def append(region: str, database: str, name: str, first_id: int) -> dict:
    catalog = glue_catalog(region)
    table = catalog.load_table(f"{database}.{name}")
    table.append(batch(first_id, 9, note=True))
    return summary(catalog.load_table(f"{database}.{name}"))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "create":
        result = create(*args)
    elif command == "append":
        result = append(args[0], args[1], args[2], int(args[3]))
    else:
        raise SystemExit(f"unknown command: {command}")
    print(json.dumps(result))
