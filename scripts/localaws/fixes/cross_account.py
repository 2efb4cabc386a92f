"""Cross-account Lake Formation, RAM and Glue behaviour a data mesh relies on, which moto 5.2.5 lacks.

moto keeps each account's state apart and never lets one account see another's. AWS links them:
a grant to another account is shared through AWS RAM and visible to the grantee, a resource link
resolves to the catalog it points at, and LF-Tag policies select tables by their tags. Each
`fix_*` function names the documentation it follows; contract tests are in
test/contract/local-aws/mesh-cross-account.test.ts.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from moto.core.utils import unix_time, utcnow
from moto.glue.responses import GlueResponse
from moto.lakeformation.models import LakeFormationBackend
from moto.lakeformation.responses import LakeFormationResponse
from moto.ram import urls as ram_urls
from moto.ram.exceptions import InvalidParameterException, UnknownResourceException
from moto.ram.models import ResourceAccessManagerBackend, ResourceShare
from moto.ram.responses import ResourceAccessManagerResponse

from . import lakeformation as lf
from .paging import page

LF_DG = "https://docs.aws.amazon.com/lake-formation/latest/dg"
RAM_API = "https://docs.aws.amazon.com/ram/latest/APIReference"


def _account_of(principal: dict[str, Any] | None) -> str | None:
    identifier = (principal or {}).get("DataLakePrincipalIdentifier") or ""
    if re.fullmatch(r"\d{12}", identifier):
        return identifier
    match = re.match(r"^arn:aws[\w-]*:iam::(\d{12}):", identifier)
    return match.group(1) if match else None


def _ram(account_id: str, region: str) -> ResourceAccessManagerBackend:
    from moto.ram.models import ram_backends

    return ram_backends[account_id][region]


def _invitations(backend: ResourceAccessManagerBackend) -> list[dict[str, Any]]:
    if not hasattr(backend, "lakesync_invitations"):
        backend.lakesync_invitations = []  # type: ignore[attr-defined]
    return backend.lakesync_invitations  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# RAM shares and invitations for grants to other accounts
# ---------------------------------------------------------------------------------------------


def _shared_arn(region: str, owner: str, resource: dict[str, Any]) -> str:
    """The Glue ARN a grant shares: the table, the database, or (tag policies, LF-tags) the catalog."""
    if "Table" in resource or "TableWithColumns" in resource:
        table = resource.get("Table") or resource.get("TableWithColumns") or {}
        name = table.get("Name") or "*"
        return f"arn:aws:glue:{region}:{owner}:table/{table.get('DatabaseName')}/{name}"
    if "Database" in resource:
        return f"arn:aws:glue:{region}:{owner}:database/{resource['Database'].get('Name')}"
    return f"arn:aws:glue:{region}:{owner}:catalog"


def _share_for(owner: str, region: str, grantee: str) -> ResourceShare:
    backend = _ram(owner, region)
    name = f"LakeFormation-V4-{grantee}"
    for share in backend.resource_shares:
        if share.name == name and share.status == "ACTIVE":
            return share
    share = ResourceShare(owner, region, name=name, allowExternalPrincipals=True)
    backend.resource_shares.append(share)
    return share


def fix_grants_share_through_ram() -> None:
    """A grant to another account (or to a principal of another account) creates a RAM resource share.

    Lake Formation shares Data Catalog resources across accounts through AWS RAM: the grantor's
    account owns a share with the grantee account as principal and the shared Glue resources, and
    the grantee receives a resource share invitation to accept unless both are in one organization
    with sharing enabled ("Cross-account data sharing in Lake Formation";
    {LF_DG}/cross-account-permissions.html, {LF_DG}/accepting-ram-invite.html). Local AWS has no
    organizations, so every grant to another account sends an invitation, one per share. When the
    last grant to an account is revoked, the account leaves the share.
    """
    grant = LakeFormationBackend.grant_permissions
    revoke = LakeFormationBackend.revoke_permissions

    def grant_permissions(self, catalog_id, principal, resource, permissions, permissions_with_grant_options):
        grant(self, catalog_id, principal, resource, permissions, permissions_with_grant_options)
        grantee = _account_of(principal)
        if grantee is None or grantee == catalog_id:
            return
        share = _share_for(catalog_id, self.region_name, grantee)
        arn = _shared_arn(self.region_name, catalog_id, lf._normalize_resource(resource, catalog_id))
        if arn not in share.resource_arns:
            share.resource_arns.append(arn)
        if grantee not in share.principals:
            share.principals.append(grantee)
            _invitations(_ram(grantee, self.region_name)).append(
                {
                    "resourceShareInvitationArn": f"arn:aws:ram:{self.region_name}:{catalog_id}:resource-share-invitation/{uuid.uuid4()}",
                    "resourceShareName": share.name,
                    "resourceShareArn": share.arn,
                    "senderAccountId": catalog_id,
                    "receiverAccountId": grantee,
                    "invitationTimestamp": unix_time(utcnow()),
                    "status": "PENDING",
                }
            )

    def revoke_permissions(
        self, catalog_id, principal, resource, permissions_to_revoke, permissions_with_grant_options_to_revoke
    ):
        revoke(
            self, catalog_id, principal, resource, permissions_to_revoke, permissions_with_grant_options_to_revoke
        )
        grantee = _account_of(principal)
        if grantee is None or grantee == catalog_id:
            return
        catalog = self.grants.get(catalog_id)
        still = catalog is not None and any(_account_of(p.principal) == grantee for p in catalog.permissions)
        if not still:
            share = _share_for(catalog_id, self.region_name, grantee)
            share.principals = [p for p in share.principals if p != grantee]

    LakeFormationBackend.grant_permissions = grant_permissions  # type: ignore[method-assign]
    LakeFormationBackend.revoke_permissions = revoke_permissions  # type: ignore[method-assign]


def fix_resource_share_invitations() -> None:
    """GetResourceShareInvitations, AcceptResourceShareInvitation, GetResourceShares(OTHER-ACCOUNTS).

    The invitation lists the share, its sender and receiver and a status (PENDING, ACCEPTED, ...);
    accepting one makes the share's resources available to the receiving account, and
    GetResourceShares with resourceOwner OTHER-ACCOUNTS then lists the share. Accepting an unknown
    invitation is UnknownResourceException; accepting twice is
    ResourceShareInvitationAlreadyAcceptedException. moto has none of these (404, or
    NotImplementedError for OTHER-ACCOUNTS).
    {RAM_API}/API_GetResourceShareInvitations.html, {RAM_API}/API_AcceptResourceShareInvitation.html,
    {RAM_API}/API_GetResourceShares.html
    """
    ram_urls.url_paths["{0}/getresourceshareinvitations$"] = ResourceAccessManagerResponse.dispatch
    ram_urls.url_paths["{0}/acceptresourceshareinvitation$"] = ResourceAccessManagerResponse.dispatch

    def get_resource_share_invitations(self):
        params = json.loads(self.body or "{}")
        found = list(_invitations(self.ram_backend))
        if params.get("resourceShareInvitationArns"):
            found = [i for i in found if i["resourceShareInvitationArn"] in params["resourceShareInvitationArns"]]
        if params.get("resourceShareArns"):
            found = [i for i in found if i["resourceShareArn"] in params["resourceShareArns"]]
        items, token = page(found, params.get("maxResults"), params.get("nextToken"), InvalidParameterException, 500)
        body: dict[str, Any] = {"resourceShareInvitations": items}
        if token:
            body["nextToken"] = token
        return json.dumps(body)

    def accept_resource_share_invitation(self):
        arn = json.loads(self.body or "{}").get("resourceShareInvitationArn")
        for invitation in _invitations(self.ram_backend):
            if invitation["resourceShareInvitationArn"] != arn:
                continue
            if invitation["status"] == "ACCEPTED":
                from moto.core.exceptions import JsonRESTError

                raise JsonRESTError(
                    "ResourceShareInvitationAlreadyAcceptedException",
                    f"The invitation {arn} has already been accepted.",
                )
            invitation["status"] = "ACCEPTED"
            return json.dumps({"resourceShareInvitation": invitation})
        raise UnknownResourceException(f"ResourceShareInvitation {arn} could not be found.")

    original_get_shares = ResourceAccessManagerResponse.get_resource_shares

    def get_resource_shares(self):
        params = json.loads(self.body or "{}")
        if params.get("resourceOwner") != "OTHER-ACCOUNTS":
            return original_get_shares(self)
        accepted = [i for i in _invitations(self.ram_backend) if i["status"] == "ACCEPTED"]
        shares = []
        for invitation in accepted:
            owner = _ram(invitation["senderAccountId"], self.region)
            shares += [s.describe() for s in owner.resource_shares if s.arn == invitation["resourceShareArn"]]
        return json.dumps({"resourceShares": shares})

    ResourceAccessManagerResponse.get_resource_share_invitations = get_resource_share_invitations  # type: ignore[attr-defined]
    ResourceAccessManagerResponse.accept_resource_share_invitation = accept_resource_share_invitation  # type: ignore[attr-defined]
    ResourceAccessManagerResponse.get_resource_shares = get_resource_shares  # type: ignore[method-assign]


# ---------------------------------------------------------------------------------------------
# Grants visible to the grantee, and tag-policy evaluation
# ---------------------------------------------------------------------------------------------


def _other_backends(current: str, region: str):
    from moto.lakeformation.models import lakeformation_backends

    for account_id, regions in list(lakeformation_backends.items()):
        if account_id != current and region in regions:
            yield account_id, regions[region]


def _table_tags(backend: LakeFormationBackend, catalog_id: str, database: str, table: str) -> dict[str, str]:
    """A table's effective LF tags: its database's, overridden by its own (LF inheritance)."""
    tags = {t["TagKey"]: t["TagValues"][0] for t in backend.lf_database_tags.get((catalog_id, database), [])}
    tags.update({t["TagKey"]: t["TagValues"][0] for t in backend.lf_table_tags.get((catalog_id, database, table), [])})
    return tags


def _policy_selects(policy: dict[str, Any], tags: dict[str, str]) -> bool:
    return policy.get("ResourceType") == "TABLE" and all(
        tags.get(e["TagKey"]) in (e.get("TagValues") or []) for e in policy.get("Expression") or []
    )


def fix_list_permissions_across_accounts() -> None:
    """ListPermissions shows grants received from other accounts and, on request, tag-policy grants.

    - In the grantee account, ListPermissions with CatalogId = the grantor's account lists the
      grants that account made to the grantee account or to its principals, with the resource's
      CatalogId the grantor's, as the console's "Data permissions" shows shared resources
      ({LF_DG}/cross-account-permissions.html; LF API ListPermissions, CatalogId).
    - With IncludeRelated = "TRUE", a table resource also answers the LF-Tag policy grants of TABLE
      type whose expression the table's effective tags satisfy (a table tag overrides its
      database's): "IncludeRelated: Indicates that related permissions should be included in the
      results" (https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListPermissions.html,
      {LF_DG}/tag-based-access-control.html).
    moto answered only the caller's own grants, and ignored IncludeRelated.
    """
    own = LakeFormationResponse.list_permissions

    def list_permissions(self):
        catalog_id = self._get_param("CatalogId") or self.current_account
        principal = self._get_param("Principal")
        resource = self._get_param("Resource")
        resource_type = self._get_param("ResourceType")
        related = str(self._get_param("IncludeRelated") or "").upper() == "TRUE"
        received = catalog_id != self.current_account
        if not received and not (related and resource and "Table" in resource):
            return own(self)
        # Everything own() would list (it validates the filters), then the received or related rows.
        listed = json.loads(_all_pages(self, own))
        rows = listed["PrincipalResourcePermissions"]
        if received:
            owner = dict(_other_backends(self.current_account, self.region)).get(catalog_id)
            catalog = owner.grants.get(catalog_id) if owner else None
            for permission in list(catalog.permissions) if catalog else []:
                if _account_of(permission.principal) != self.current_account:
                    continue
                if principal is not None and permission.principal != principal:
                    continue
                if resource_type is not None and not lf._RESOURCE_TYPES[resource_type](permission.resource):
                    continue
                if resource is not None and not lf._resource_matches(
                    lf._normalize_resource(resource, catalog_id), permission.resource
                ):
                    continue
                rows.append(permission.to_external_form())
        if related and resource and "Table" in resource and "Name" in resource["Table"]:
            table = lf._normalize_resource(resource, catalog_id)["Table"]
            owner_id = table["CatalogId"]
            backend = (
                self.lakeformation_backend
                if owner_id == self.current_account
                else dict(_other_backends(self.current_account, self.region)).get(owner_id)
            )
            tags = _table_tags(backend, owner_id, table["DatabaseName"], table["Name"]) if backend else {}
            catalog = backend.grants.get(owner_id) if backend else None
            for permission in list(catalog.permissions) if catalog else []:
                policy = permission.resource.get("LFTagPolicy")
                if policy is None or not _policy_selects(policy, tags):
                    continue
                if principal is not None and permission.principal != principal:
                    continue
                rows.append(permission.to_external_form())
        return lf.permissions_page(self, rows)

    LakeFormationResponse.list_permissions = list_permissions  # type: ignore[method-assign]


def _all_pages(response: LakeFormationResponse, list_own) -> str:
    """own()'s rows for the request's filters in one page (the merged list is paged again)."""
    original = response._get_param

    def unpaged(name, *args, **kwargs):
        if name == "MaxResults":
            return 10**9
        return None if name == "NextToken" else original(name, *args, **kwargs)

    response._get_param = unpaged  # type: ignore[method-assign]
    try:
        return list_own(response)
    finally:
        response._get_param = original  # type: ignore[method-assign]


# ---------------------------------------------------------------------------------------------
# Glue reads across catalogs and through resource links
# ---------------------------------------------------------------------------------------------

_CATALOG_READS = {"GetDatabase", "GetTable", "GetTables", "GetTableVersion", "GetTableVersions", "GetPartitions", "GetPartition"}


def _glue_backend(account_id: str, region: str):
    from moto.glue.models import glue_backends

    return glue_backends[account_id][region]


def fix_glue_reads_follow_catalog_and_links() -> None:
    """Glue reads name another account's catalog with CatalogId, and a database resource link resolves.

    - GetDatabase/GetTable(s)/GetTableVersion(s)/GetPartition(s) with CatalogId = another account
      read that account's Data Catalog (the shared resources; LF decides access, which local AWS
      does not enforce) (https://docs.aws.amazon.com/glue/latest/webapi/API_GetTable.html, CatalogId).
    - A database created with TargetDatabase is a resource link: GetTable of a table through it
      resolves to the target catalog's database, as a query through the link does
      ({LF_DG}/resource-links-about.html,
      https://docs.aws.amazon.com/glue/latest/webapi/API_DatabaseInput.html TargetDatabase). Not
      modelled: listings (GetTables) of a link database stay empty.
      A table created with TargetTable stays a link: GetTable returns it with its TargetTable,
      which names the central table (https://docs.aws.amazon.com/glue/latest/webapi/API_TableInput.html).
    moto ignored CatalogId for tables and never followed TargetDatabase.
    """
    parameters_property = GlueResponse.parameters

    def resolved(self) -> tuple[str, dict[str, Any]]:
        cached = getattr(self, "_lakesync_resolved", None)
        if cached is not None:
            return cached
        params = parameters_property.fget(self)  # type: ignore[attr-defined]
        account = self.current_account
        action = (self.headers.get("X-Amz-Target") or "").split(".")[-1]
        if action in _CATALOG_READS:
            catalog = params.get("CatalogId")
            if catalog and catalog != account:
                account = catalog
            # Only a single-table read follows a database link: listings of the link database stay
            # its own (empty), as the catalog readers and batch copies of link databases expect.
            database_name = params.get("DatabaseName") if action == "GetTable" else None
            database = _glue_backend(account, self.region).databases.get(database_name) if database_name else None
            target = ((database.input or {}).get("TargetDatabase") if database is not None else None) or None
            if target:
                account = target.get("CatalogId") or account
                params = {**params, "DatabaseName": target.get("DatabaseName")}
        self._lakesync_resolved = (account, params)
        return self._lakesync_resolved

    def glue_backend(self):
        account, _ = resolved(self)
        return _glue_backend(account, self.region)

    def parameters(self):
        return resolved(self)[1]

    GlueResponse.glue_backend = property(glue_backend)  # type: ignore[method-assign,assignment]
    GlueResponse.parameters = property(parameters)  # type: ignore[method-assign,assignment]


def apply() -> None:
    fix_grants_share_through_ram()
    fix_resource_share_invitations()
    fix_list_permissions_across_accounts()
    fix_glue_reads_follow_catalog_and_links()
