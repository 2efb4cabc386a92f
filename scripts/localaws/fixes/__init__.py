"""Targeted fixes where moto differs from AWS. Each fix names the AWS behaviour it follows.

One module per service (lakeformation.py, glue.py, events.py, dynamodb.py), plus cross_account.py for what links accounts (RAM shares, grants seen by the grantee, resource links) and consistency.py for concurrent requests; each `fix_*` function there patches one
behaviour of moto's backend or response class and cites the API reference. FIXES.md lists them.
"""

import os

from . import consistency, cross_account, dynamodb, events, glue, lakeformation

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
    # After lakeformation and glue: it wraps their grant, revoke and ListPermissions fixes.
    cross_account.apply()
    consistency.apply()
    _applied = True
