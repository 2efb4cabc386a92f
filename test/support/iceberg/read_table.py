"""Reads an Iceberg table from a metadata location with pyiceberg, as a DR reader would.

  read_table.py REGION METADATA_LOCATION DATABASE TABLE FIRST_SNAPSHOT_ID

Registers the metadata location as DATABASE.TABLE in the region's Glue catalog (creating the
database) -- or, with METADATA_LOCATION "-", uses the table the catalog already has -- loads it
through the catalog, and prints a JSON summary: rows (count and checksum)
now and at FIRST_SNAPSHOT_ID (time travel), and the files a full scan reads. The local AWS endpoint comes from AWS_ENDPOINT_URL.
"""

import json
import sys

from catalog import glue_catalog, rows_summary
from pyiceberg.exceptions import NamespaceAlreadyExistsError


def main(region: str, metadata_location: str, database: str, name: str, first: str) -> dict:
    catalog = glue_catalog(region)
    if metadata_location != "-":
        try:
            catalog.create_namespace(database)
        except NamespaceAlreadyExistsError:
            pass
        catalog.register_table(f"{database}.{name}", metadata_location)
    table = catalog.load_table(f"{database}.{name}")
    tasks = list(table.scan().plan_files())
    return {
        "metadataLocation": table.metadata_location,
        "rows": rows_summary(table.scan().to_arrow()),
        "firstSnapshotRows": rows_summary(table.scan(snapshot_id=int(first)).to_arrow()),
        "scannedFiles": sorted(
            {task.file.file_path for task in tasks} | {d.file_path for task in tasks for d in task.delete_files}
        ),
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
