"""pyiceberg against the run's local AWS (AWS_ENDPOINT_URL): a Glue catalog and S3 file IO in one region.

Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (an assumed
role's acts in that role's account), "testing" when unset."""

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
            **credentials("glue"),
            **s3_properties(endpoint, region),
        },
    )


def s3_properties(endpoint: str, region: str) -> dict[str, str]:
    return {
        "s3.endpoint": endpoint,
        "s3.region": region,
        **credentials("s3"),
    }


def credentials(prefix: str) -> dict[str, str]:
    token = os.environ.get("AWS_SESSION_TOKEN")
    return {
        f"{prefix}.access-key-id": os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
        f"{prefix}.secret-access-key": os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
        **({f"{prefix}.session-token": token} if token else {}),
    }


def rows_summary(arrow_table) -> dict:
    """Row count and a checksum of the rows, independent of file layout and row order."""
    rows = sorted(arrow_table.to_pylist(), key=lambda row: row["id"])
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(row, sort_keys=True, default=str).encode())
        digest.update(b"\n")
    return {"count": len(rows), "checksum": digest.hexdigest()}
