"""Who made a request: the account moto acts in and CloudTrail's userIdentity for the caller."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from typing import Any

# The same pattern moto's BaseResponse uses to pull the access key out of Authorization, so the
# account we record is the account moto resolved for the request.
_MOTO_ACCESS_KEY = re.compile(r"AWS.*(?P<access_key>(?<![A-Z0-9])[A-Z0-9]{20}(?![A-Z0-9]))[:/]")
_CREDENTIAL = re.compile(r"Credential=(?P<key>[^/,\s]+)/(?P<date>[^/]+)/(?P<region>[^/]+)/(?P<service>[^/,\s]+)/")


@dataclass(frozen=True)
class Caller:
    account: str
    region: str
    signing_service: str
    access_key_id: str
    user_identity: dict[str, Any]
    username: str


def credential_scope(authorization: str) -> dict[str, str] | None:
    match = _CREDENTIAL.search(authorization or "")
    return match.groupdict() if match else None


def moto_account(environ: dict[str, Any]) -> str:
    """moto's BaseResponse.get_current_account, on a WSGI environ."""
    if "MOTO_ACCOUNT_ID" in os.environ:
        return os.environ["MOTO_ACCOUNT_ID"]
    header = environ.get("HTTP_X_MOTO_ACCOUNT_ID")
    if header:
        return header
    from moto.iam.models import get_account_id_from

    match = _MOTO_ACCESS_KEY.search(environ.get("HTTP_AUTHORIZATION", ""))
    return get_account_id_from(match.group("access_key") if match else "AKIAEXAMPLE")


def _stable_id(prefix: str, seed: str) -> str:
    # moto invents a random role id per call for roles it doesn't know; a record needs a stable one.
    return prefix + hashlib.sha256(seed.encode()).hexdigest()[:17].upper()


def _assumed_role(access_key_id: str, account: str) -> Any:
    from moto.sts.models import sts_backends

    for partition_backends in list(sts_backends.get(account, {}).values()):
        role = partition_backends.get_assumed_role_from_access_key(access_key_id)
        if role:
            return role
    return None


def _role_id(account: str, role_arn: str) -> str:
    from moto.iam.models import iam_backends

    try:
        for backend in list(iam_backends[account].values()):
            return backend.get_role_by_arn(arn=role_arn).id
    except Exception:  # the role need not exist: moto lets callers assume any role ARN
        pass
    return _stable_id("AROA", role_arn)


def _iam_user(access_key_id: str, account: str) -> Any:
    from moto.iam.models import iam_backends

    for backend in list(iam_backends.get(account, {}).values()):
        user = backend.get_user_from_access_key_id(access_key_id)
        if user:
            return user
    return None


def user_identity(access_key_id: str, account: str) -> tuple[dict[str, Any], str]:
    """CloudTrail's userIdentity element and LookupEvents' Username for an access key.

    Shapes follow https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
    """
    role = _assumed_role(access_key_id, account)
    if role:
        role_name = role.role_arn.split("/")[-1]
        role_id = _role_id(account, role.role_arn)
        identity = {
            "type": "AssumedRole",
            "principalId": f"{role_id}:{role.session_name}",
            "arn": role.arn,
            "accountId": account,
            "accessKeyId": access_key_id,
            "sessionContext": {
                "sessionIssuer": {
                    "type": "Role",
                    "principalId": role_id,
                    "arn": role.role_arn,
                    "accountId": account,
                    "userName": role_name,
                },
                "attributes": {
                    "creationDate": role.access_key.create_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "mfaAuthenticated": "false",
                },
            },
        }
        return identity, role.session_name
    user = _iam_user(access_key_id, account)
    if user:
        identity = {
            "type": "IAMUser",
            "principalId": user.id,
            "arn": user.arn,
            "accountId": account,
            "accessKeyId": access_key_id,
            "userName": user.name,
        }
        return identity, user.name
    # Keys moto never issued (e.g. the default "testing" credentials) act as the account itself.
    identity = {
        "type": "Root",
        "principalId": account,
        "arn": f"arn:aws:iam::{account}:root",
        "accountId": account,
        "accessKeyId": access_key_id,
    }
    return identity, "root"


def caller(environ: dict[str, Any]) -> Caller | None:
    scope = credential_scope(environ.get("HTTP_AUTHORIZATION", ""))
    if scope is None:
        return None
    account = moto_account(environ)
    identity, username = user_identity(scope["key"], account)
    return Caller(
        account=account,
        region=scope["region"],
        signing_service=scope["service"],
        access_key_id=scope["key"],
        user_identity=identity,
        username=username,
    )
