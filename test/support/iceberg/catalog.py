"""pyiceberg against the run's local AWS (AWS_ENDPOINT_URL): a Glue catalog and S3 file IO in one region."""

import hashlib
import json
import os

from pyiceberg.catalog.glue import GlueCatalog


def glue_catalog(region: str) -> GlueCatalog:
    endpoint = os.environ["AWS_ENDPOINT_URL"]
    return GlueCatalog(
        f"glue-{region}",
        **{
            "glue.endpoint": endpoint,
            "glue.region": region,
            "glue.access-key-id": "testing",
            "glue.secret-access-key": "testing",
            **s3_properties(endpoint, region),
        },
    )


def s3_properties(endpoint: str, region: str) -> dict[str, str]:
    return {
        "s3.endpoint": endpoint,
        "s3.region": region,
        "s3.access-key-id": "testing",
        "s3.secret-access-key": "testing",
    }


def rows_summary(arrow_table) -> dict:
    """Row count and a checksum of the rows, independent of file layout and row order."""
    rows = sorted(arrow_table.to_pylist(), key=lambda row: row["id"])
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(row, sort_keys=True, default=str).encode())
        digest.update(b"\n")
    return {"count": len(rows), "checksum": digest.hexdigest()}
