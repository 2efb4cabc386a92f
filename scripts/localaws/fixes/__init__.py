"""Targeted fixes where moto differs from AWS. Each fix names the AWS behaviour it follows.

One module per service (lakeformation.py, glue.py, events.py, dynamodb.py); each `fix_*` function there patches one
behaviour of moto's backend or response class and cites the API reference. FIXES.md lists them.
"""

import os

from . import dynamodb, events, glue, lakeformation

_applied = False


def apply_all() -> None:
    """Patch moto's models and responses once, before the server handles a request."""
    global _applied
    # LOCALAWS_SKIP_FIXES=1 serves moto as shipped: proves each contract test fails without its fix.
    if _applied or os.environ.get("LOCALAWS_SKIP_FIXES") == "1":
        return
    lakeformation.apply()
    glue.apply()
    events.apply()
    dynamodb.apply()
    _applied = True
