"""Targeted fixes where moto differs from AWS. Each fix names the AWS behaviour it follows."""


def apply_all() -> None:
    """Patch moto's models and responses once, before the server handles a request."""
