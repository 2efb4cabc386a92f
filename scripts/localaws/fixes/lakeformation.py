"""Lake Formation: where moto 5.2.5 differs from AWS, patched onto moto's backend and responses.

Each `fix_*` function installs one behaviour and names the API reference it follows. State that
moto lacks (data cells filters) lives on the backend instance, so it is per account and region
and is wiped by moto's reset like everything else.
"""

from __future__ import annotations

import copy
import json
import os
import time
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.lakeformation import urls
from moto.lakeformation.exceptions import AlreadyExists, InvalidInput
from moto.lakeformation.models import LakeFormationBackend, Permission, PermissionCatalog, Resource
from moto.lakeformation.responses import LakeFormationResponse

from .paging import page

API = "https://docs.aws.amazon.com/lake-formation/latest/APIReference"
NOT_GRANTED = "No permissions revoked. Grantee has no permissions and no grantable permissions on resource."


class EntityNotFound(JsonRESTError):
    """moto's own EntityNotFound has a fixed message; AWS says what was not found."""

    def __init__(self, message: str) -> None:
        super().__init__("EntityNotFoundException", message)


# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------

_CATALOG_SCOPED = ("Database", "Table", "TableWithColumns", "DataLocation", "LFTag", "LFTagPolicy")


def _normalize_resource(resource: dict[str, Any], catalog_id: str) -> dict[str, Any]:
    """AWS fills in the default CatalogId, so a grant with and without it names the same resource."""
    normalized = copy.deepcopy(resource or {})
    for kind in _CATALOG_SCOPED:
        if isinstance(normalized.get(kind), dict):
            normalized[kind].setdefault("CatalogId", catalog_id)
    if isinstance(normalized.get("DataCellsFilter"), dict):
        normalized["DataCellsFilter"].setdefault("TableCatalogId", catalog_id)
    return normalized


def _find(catalog: PermissionCatalog | None, principal: dict[str, Any], resource: dict[str, Any]) -> Permission | None:
    if catalog is None:
        return None
    for permission in catalog.permissions:
        if permission.principal == principal and permission.resource == resource:
            return permission
    return None


def _error_detail(error: JsonRESTError) -> dict[str, str]:
    return {"ErrorCode": error.error_type, "ErrorMessage": error.message}


def _glue_table(account_id: str, region: str, database: str, table: str) -> Any:
    """The Glue table moto holds for this account and region, or None."""
    from moto.glue.models import glue_backends

    glue = glue_backends[account_id][region]
    db = glue.databases.get(database)
    return db.tables.get(table) if db is not None else None


def _glue_column_names(backend: LakeFormationBackend, database: str, table: str) -> list[str] | None:
    found = _glue_table(backend.account_id, backend.region_name, database, table)
    if found is None:
        return None
    version = found.get_version(str(found._current_version))
    columns = (version.get("StorageDescriptor") or {}).get("Columns") or []
    return [c["Name"] for c in columns] + [c["Name"] for c in version.get("PartitionKeys") or []]


def _merge_tags(base: list[dict[str, Any]], overrides: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tags of `overrides` replace tags of `base` with the same key (AWS: one value per key)."""
    keys = {tag["TagKey"] for tag in overrides}
    return [tag for tag in base if tag["TagKey"] not in keys] + list(overrides)


# ---------------------------------------------------------------------------------------------
# 1-3. Grants and revokes
# ---------------------------------------------------------------------------------------------


def fix_permission_identity() -> None:
    """Grants are merged in place, so a grant must be found again after it changed.

    moto hashes a Permission by its contents and then mutates it inside a set: a second grant to
    the same principal+resource followed by a revoke raised KeyError (HTTP 500). AWS keeps one
    entry per principal and resource and adds to it:
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GrantPermissions.html
    """
    Permission.__hash__ = object.__hash__  # type: ignore[method-assign,assignment]
    Permission.__eq__ = object.__eq__  # type: ignore[method-assign,assignment]


def fix_grant_merge() -> None:
    """GrantPermissions adds to the principal's existing entry on the resource, without duplicates.

    AWS treats a resource with and without the default CatalogId as the same resource, so both
    grants land in one entry: https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GrantPermissions.html
    """

    def grant_permissions(self, catalog_id, principal, resource, permissions, permissions_with_grant_options):
        resource = _normalize_resource(resource, catalog_id)
        catalog = self.grants.setdefault(catalog_id, PermissionCatalog())
        existing = _find(catalog, principal, resource)
        if existing is None:
            catalog.permissions.add(
                Permission(
                    principal=principal,
                    resource=resource,
                    permissions=sorted(set(permissions or [])),
                    permissions_with_grant_options=sorted(set(permissions_with_grant_options or [])),
                )
            )
            return
        existing.permissions = sorted(set(existing.permissions) | set(permissions or []))
        existing.permissions_with_grant_options = sorted(
            set(existing.permissions_with_grant_options) | set(permissions_with_grant_options or [])
        )

    LakeFormationBackend.grant_permissions = grant_permissions  # type: ignore[method-assign]


def fix_revoke_semantics() -> None:
    """RevokePermissions keeps grant options a subset of permissions and drops empty entries.

    Revoking SELECT also removes SELECT from the grant options; an entry left with no permissions
    and no grant options disappears. Revoking what the principal does not hold fails with
    InvalidInputException "No permissions revoked. Grantee has no permissions and no grantable
    permissions on resource." (the message AWS returns, as reported by boto users and the
    Terraform provider): https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_RevokePermissions.html
    """

    def revoke_permissions(
        self, catalog_id, principal, resource, permissions_to_revoke, permissions_with_grant_options_to_revoke
    ):
        resource = _normalize_resource(resource, catalog_id)
        catalog = self.grants.get(catalog_id)
        existing = _find(catalog, principal, resource)
        revoke = set(permissions_to_revoke or [])
        revoke_grant = set(permissions_with_grant_options_to_revoke or []) | revoke
        held = set(existing.permissions) | set(existing.permissions_with_grant_options) if existing else set()
        if existing is None or not (revoke | revoke_grant) & held:
            raise InvalidInput(NOT_GRANTED)
        existing.permissions = sorted(set(existing.permissions) - revoke)
        existing.permissions_with_grant_options = sorted(set(existing.permissions_with_grant_options) - revoke_grant)
        if existing.is_empty():
            catalog.permissions.discard(existing)  # type: ignore[union-attr]

    LakeFormationBackend.revoke_permissions = revoke_permissions  # type: ignore[method-assign]


def fix_batch_grant_option_field() -> None:
    """Batch grant/revoke read `PermissionsWithGrantOption` and report failing entries.

    moto read `PermissionsWithGrantOptions` (plural), so grant options were silently dropped, and
    always answered `Failures: []`. AWS applies each entry on its own and lists the entries that
    failed with their error.
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_BatchGrantPermissions.html
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_BatchRevokePermissions.html
    """

    def run_batch(catalog_id, entries, apply):
        failures = []
        for entry in entries or []:
            try:
                apply(
                    catalog_id,
                    entry.get("Principal"),
                    entry.get("Resource"),
                    entry.get("Permissions"),
                    entry.get("PermissionsWithGrantOption"),
                )
            except JsonRESTError as error:
                failures.append({"RequestEntry": entry, "Error": _error_detail(error)})
        return failures

    def batch_grant_permissions(self):
        catalog_id = self._get_param("CatalogId") or self.current_account
        failures = run_batch(catalog_id, self._get_param("Entries"), self.lakeformation_backend.grant_permissions)
        return json.dumps({"Failures": failures})

    def batch_revoke_permissions(self):
        catalog_id = self._get_param("CatalogId") or self.current_account
        failures = run_batch(catalog_id, self._get_param("Entries"), self.lakeformation_backend.revoke_permissions)
        return json.dumps({"Failures": failures})

    LakeFormationResponse.batch_grant_permissions = batch_grant_permissions  # type: ignore[method-assign]
    LakeFormationResponse.batch_revoke_permissions = batch_revoke_permissions  # type: ignore[method-assign]


# ---------------------------------------------------------------------------------------------
# 8. ListPermissions
# ---------------------------------------------------------------------------------------------


def _same(a: dict[str, Any], b: dict[str, Any], *fields: str) -> bool:
    return all(a.get(f) == b.get(f) for f in fields)


def _expression_key(expression: list[dict[str, Any]] | None) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((e["TagKey"], tuple(sorted(e.get("TagValues") or []))) for e in expression or [])


def _resource_matches(wanted: dict[str, Any], granted: dict[str, Any]) -> bool:
    """Whether a grant on `granted` answers ListPermissions filtered by resource `wanted`."""
    if "Catalog" in wanted:
        return "Catalog" in granted
    if "Database" in wanted:
        return "Database" in granted and _same(wanted["Database"], granted["Database"], "CatalogId", "Name")
    if "Table" in wanted:
        table = wanted["Table"]
        if "Table" in granted:
            other = granted["Table"]
            if not _same(table, other, "CatalogId", "DatabaseName"):
                return False
            if "TableWildcard" in table:
                return "TableWildcard" in other
            return other.get("Name") == table.get("Name")
        # AWS: "call this operation on the table, and the operation returns the table and the
        # table with columns" (ListPermissions, Resource).
        if "TableWithColumns" in granted and "Name" in table:
            return _same(table, granted["TableWithColumns"], "CatalogId", "DatabaseName", "Name")
        return False
    if "DataLocation" in wanted:
        return "DataLocation" in granted and _same(wanted["DataLocation"], granted["DataLocation"], "CatalogId", "ResourceArn")
    if "DataCellsFilter" in wanted:
        return "DataCellsFilter" in granted and _same(
            wanted["DataCellsFilter"], granted["DataCellsFilter"], "TableCatalogId", "DatabaseName", "TableName", "Name"
        )
    if "LFTag" in wanted:
        if "LFTag" not in granted or not _same(wanted["LFTag"], granted["LFTag"], "CatalogId", "TagKey"):
            return False
        values = set(wanted["LFTag"].get("TagValues") or ["*"])
        granted_values = set(granted["LFTag"].get("TagValues") or [])
        return "*" in values or "*" in granted_values or bool(values & granted_values)
    if "LFTagPolicy" in wanted:
        mine, theirs = wanted["LFTagPolicy"], granted.get("LFTagPolicy")
        return (
            theirs is not None
            and _same(mine, theirs, "CatalogId", "ResourceType")
            and _expression_key(mine.get("Expression")) == _expression_key(theirs.get("Expression"))
        )
    raise InvalidInput("Resource must have either the catalog, table or database field populated.")


_RESOURCE_TYPES = {
    "CATALOG": lambda r: "Catalog" in r,
    "DATABASE": lambda r: "Database" in r,
    "TABLE": lambda r: "Table" in r or "TableWithColumns" in r,
    "DATA_LOCATION": lambda r: "DataLocation" in r,
    "DATA_CELLS_FILTER": lambda r: "DataCellsFilter" in r,
    "LF_TAG": lambda r: "LFTag" in r,
    "LF_TAG_POLICY": lambda r: "LFTagPolicy" in r,
    "LF_TAG_POLICY_DATABASE": lambda r: (r.get("LFTagPolicy") or {}).get("ResourceType") == "DATABASE",
    "LF_TAG_POLICY_TABLE": lambda r: (r.get("LFTagPolicy") or {}).get("ResourceType") == "TABLE",
    "LF_NAMED_TAG_EXPRESSION": lambda r: "LFTagExpression" in r,
    "ANY_RESOURCE": lambda r: True,
}


def fix_list_permissions() -> None:
    """ListPermissions filters by principal+resource, resource, or resource type, and pages.

    moto answered 500 for LF_TAG and the policy resource types, ignored LFTag/LFTagPolicy/
    DataCellsFilter resources, never returned table-with-columns grants for a table, and had no
    paging. AWS: "This operation does not support getting privileges on a table with columns.
    Instead, call this operation on the table, and the operation returns the table and the table
    w columns." https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListPermissions.html
    """

    def list_permissions(self):
        catalog_id = self._get_param("CatalogId") or self.current_account
        principal = self._get_param("Principal")
        resource = self._get_param("Resource")
        resource_type = self._get_param("ResourceType")
        if principal is not None and resource is None:
            raise InvalidInput("Resource is mandatory if Principal is set in the input.")
        if resource is not None and "TableWithColumns" in resource:
            raise InvalidInput(
                "This operation does not support getting privileges on a table with columns. Use the table instead."
            )
        if resource_type is not None and resource_type not in _RESOURCE_TYPES:
            raise InvalidInput(f"Unknown resource type {resource_type}.")

        catalog = self.lakeformation_backend.grants.get(catalog_id)
        found = list(catalog.permissions) if catalog else []
        if principal is not None:
            found = [p for p in found if p.principal == principal]
        if resource_type is not None:
            found = [p for p in found if _RESOURCE_TYPES[resource_type](p.resource)]
        if resource is not None:
            wanted = _normalize_resource(resource, catalog_id)
            found = [p for p in found if _resource_matches(wanted, p.resource)]
        return permissions_page(self, [p.to_external_form() for p in found])

    LakeFormationResponse.list_permissions = list_permissions  # type: ignore[method-assign]


# ---------------------------------------------------------------------------------------------
# 7. LF-tag definitions
# ---------------------------------------------------------------------------------------------


def _tag_store(backend: LakeFormationBackend, catalog_id: str) -> dict[str, list[str]]:
    """moto keeps LF-tag definitions as tags on a made-up ARN per catalog; reuse that storage."""
    return backend.tagger.tags.setdefault(f"arn:lakeformation:{catalog_id}", {})


def _assignment_lists(backend: LakeFormationBackend) -> list[list[dict[str, Any]]]:
    return [
        *backend.lf_database_tags.values(),
        *backend.lf_table_tags.values(),
        *backend.lf_columns_tags.values(),
    ]


def fix_lf_tag_lifecycle() -> None:
    """CreateLFTag refuses an existing key; Get/Update/DeleteLFTag refuse a missing key.

    moto overwrote an existing key on create and answered a missing key with empty values.
    CreateLFTag on an existing key fails with AlreadyExistsException (the LF model's "A resource
    to be created or added already exists"; SDK users catch that on re-create). A missing key is
    EntityNotFoundException. UpdateLFTag removing a value also removes that value's assignments,
    as DeleteLFTag removes the key's. ListLFTags pages with MaxResults/NextToken.
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_CreateLFTag.html
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GetLFTag.html
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_UpdateLFTag.html
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_DeleteLFTag.html
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListLFTags.html
    """

    def create_lf_tag(self, catalog_id, key, values):
        store = _tag_store(self, catalog_id)
        if key in store:
            raise AlreadyExists(f"Tag key {key} already exists.")
        store[key] = list(dict.fromkeys(values or []))

    def get_lf_tag(self, catalog_id, key):
        store = _tag_store(self, catalog_id)
        if key not in store:
            raise EntityNotFound(f"Tag key {key} does not exist.")
        return list(store[key])

    original_delete = LakeFormationBackend.delete_lf_tag

    def delete_lf_tag(self, catalog_id, key):
        if key not in _tag_store(self, catalog_id):
            raise EntityNotFound(f"Tag key {key} does not exist.")
        original_delete(self, catalog_id, key)

    def update_lf_tag(self, catalog_id, tag_key, to_delete, to_add):
        store = _tag_store(self, catalog_id)
        if tag_key not in store:
            raise EntityNotFound(f"Tag key {tag_key} does not exist.")
        missing = [v for v in to_delete or [] if v not in store[tag_key]]
        if missing:
            raise InvalidInput(f"Tag values {missing} do not exist for tag key {tag_key}.")
        removed = set(to_delete or [])
        store[tag_key] = [v for v in dict.fromkeys([*store[tag_key], *(to_add or [])]) if v not in removed]
        for assigned in _assignment_lists(self):
            assigned[:] = [
                t for t in assigned if not (t["TagKey"] == tag_key and set(t["TagValues"]) & removed)
            ]

    def list_lf_tags(self):
        catalog_id = self._get_param("CatalogId") or self.current_account
        tags = [
            {"CatalogId": catalog_id, "TagKey": key, "TagValues": values}
            for key, values in _tag_store(self.lakeformation_backend, catalog_id).items()
        ]
        items, token = page(tags, self._get_param("MaxResults"), self._get_param("NextToken"), InvalidInput, 100)
        body: dict[str, Any] = {"LFTags": items}
        if token:
            body["NextToken"] = token
        return json.dumps(body)

    LakeFormationResponse.list_lf_tags = list_lf_tags  # type: ignore[method-assign]
    LakeFormationBackend.create_lf_tag = create_lf_tag  # type: ignore[method-assign]
    LakeFormationBackend.get_lf_tag = get_lf_tag  # type: ignore[method-assign]
    LakeFormationBackend.delete_lf_tag = delete_lf_tag  # type: ignore[method-assign]
    LakeFormationBackend.update_lf_tag = update_lf_tag  # type: ignore[method-assign]


# ---------------------------------------------------------------------------------------------
# 4-6. LF-tags on resources
# ---------------------------------------------------------------------------------------------


def _tag_slots(backend: LakeFormationBackend, catalog_id: str, resource: dict[str, Any]) -> list[tuple[dict, tuple]]:
    """The (store, key) pairs an assignment to `resource` touches."""
    if "Database" in resource:
        db = resource["Database"]
        return [(backend.lf_database_tags, (db.get("CatalogId", catalog_id), db["Name"]))]
    if "Table" in resource:
        table = resource["Table"]
        if "TableWildcard" in table or "Name" not in table:
            raise InvalidInput("LF-tags cannot be assigned to a table wildcard.")
        return [(backend.lf_table_tags, (table.get("CatalogId", catalog_id), table["DatabaseName"], table["Name"]))]
    if "TableWithColumns" in resource:
        twc = resource["TableWithColumns"]
        key = (twc.get("CatalogId", catalog_id), twc["DatabaseName"], twc["Name"])
        columns = twc.get("ColumnNames")
        if columns is None and "ColumnWildcard" in twc:
            excluded = set((twc["ColumnWildcard"] or {}).get("ExcludedColumnNames") or [])
            columns = [c for c in _glue_column_names(backend, twc["DatabaseName"], twc["Name"]) or [] if c not in excluded]
        return [(backend.lf_columns_tags, (*key, column)) for column in columns or []]
    raise InvalidInput("Resource must be a database, a table or a table with columns.")


def fix_add_lf_tags_to_resource() -> None:
    """AddLFTagsToResource merges into the resource's tags and validates values.

    A key already on the resource gets the new value; other keys stay (moto replaced the whole
    list). An unknown key is a `Failures` entry with EntityNotFoundException; a value outside the
    key's allowed values is a `Failures` entry with InvalidInputException; the valid tags of the
    same call are still applied. Exactly one value per key, as AWS requires ("input tag value
    list has size not equal to 1").
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_AddLFTagsToResource.html
    """

    def add_lf_tags_to_resource(self, catalog_id, resource, tags):
        failures, accepted = [], []
        for tag in tags or []:
            values = list(tag.get("TagValues") or [])
            if len(values) != 1:
                raise InvalidInput("Tag value wild card was found or input tag value list has size not equal to 1.")
            pair = {"CatalogId": tag.get("CatalogId", catalog_id), "TagKey": tag["TagKey"], "TagValues": values}
            allowed = _tag_store(self, pair["CatalogId"]).get(pair["TagKey"])
            if allowed is None:
                error = {"ErrorCode": "EntityNotFoundException", "ErrorMessage": "Tag or tag value does not exist."}
                failures.append({"LFTag": pair, "Error": error})
            elif values[0] not in allowed:
                message = f"Tag value {values[0]} is not a valid value for tag key {pair['TagKey']}."
                failures.append({"LFTag": pair, "Error": {"ErrorCode": "InvalidInputException", "ErrorMessage": message}})
            else:
                accepted.append(pair)
        if accepted:
            for store, key in _tag_slots(self, catalog_id, resource):
                store[key] = _merge_tags(store.get(key, []), accepted)
        return failures

    LakeFormationBackend.add_lf_tags_to_resource = add_lf_tags_to_resource  # type: ignore[method-assign]


def fix_remove_lf_tags_from_resource() -> None:
    """RemoveLFTagsFromResource of a tag the resource does not carry is a no-op (moto: 500).

    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_RemoveLFTagsFromResource.html
    """

    def remove_lf_tags_from_resource(self, catalog_id, resource, tags):
        pairs = {(t["TagKey"], v) for t in tags or [] for v in t.get("TagValues") or []}
        for store, key in _tag_slots(self, catalog_id, resource):
            if key in store:
                store[key] = [t for t in store[key] if not any((t["TagKey"], v) in pairs for v in t["TagValues"])]

    LakeFormationBackend.remove_lf_tags_from_resource = remove_lf_tags_from_resource  # type: ignore[method-assign]


def fix_get_resource_lf_tags() -> None:
    """GetResourceLFTags answers untagged resources with empty lists and shows inheritance.

    For a table: LFTagOnDatabase is the database's tags; LFTagsOnTable is the table's tags, which
    by default include the tags it inherits from its database (a table tag overrides the
    database tag with the same key); LFTagsOnColumns likewise inherit the table's. With
    ShowAssignedLFTags=true only tags assigned directly to the table and columns are shown.
    moto answered 500 (KeyError) for an untagged resource and had no inheritance:
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GetResourceLFTags.html
    """

    def get_resource_lf_tags(self):
        catalog_id = self._get_param("CatalogId") or self.current_account
        resource = self._get_param("Resource") or {}
        assigned_only = bool(self._get_param("ShowAssignedLFTags"))
        backend = self.lakeformation_backend
        if "Database" in resource:
            db = resource["Database"]
            tags = backend.lf_database_tags.get((db.get("CatalogId", catalog_id), db["Name"]), [])
            return json.dumps({"LFTagOnDatabase": tags})
        table = resource.get("Table") or resource.get("TableWithColumns")
        if not table or "Name" not in table:
            raise InvalidInput("Resource must be a database, a table or a table with columns.")
        table_catalog = table.get("CatalogId", catalog_id)
        key = (table_catalog, table["DatabaseName"], table["Name"])
        db_tags = backend.lf_database_tags.get(key[:2], [])
        own_tags = backend.lf_table_tags.get(key, [])
        table_tags = own_tags if assigned_only else _merge_tags(db_tags, own_tags)

        if "TableWithColumns" in resource and resource["TableWithColumns"].get("ColumnNames"):
            columns = resource["TableWithColumns"]["ColumnNames"]
        else:
            tagged = [k[3] for k in backend.lf_columns_tags if k[:3] == key]
            known = _glue_column_names(backend, table["DatabaseName"], table["Name"]) or []
            columns = list(dict.fromkeys([*known, *tagged]))
        on_columns = []
        for column in columns:
            own = backend.lf_columns_tags.get((*key, column), [])
            shown = own if assigned_only else _merge_tags(table_tags, own)
            if shown:
                on_columns.append({"Name": column, "LFTags": shown})
        return json.dumps({"LFTagOnDatabase": db_tags, "LFTagsOnTable": table_tags, "LFTagsOnColumns": on_columns})

    LakeFormationResponse.get_resource_lf_tags = get_resource_lf_tags  # type: ignore[method-assign]


def _satisfies(tags: list[dict[str, Any]], expression: list[dict[str, Any]]) -> bool:
    """Every condition holds: the resource carries the condition's key with one of its values."""
    values = {t["TagKey"]: set(t["TagValues"]) for t in tags}
    return all(values.get(c["TagKey"], set()) & set(c.get("TagValues") or []) for c in expression)


def _search_input(response: LakeFormationResponse) -> tuple[str, list[dict[str, Any]], Any, Any]:
    expression = response._get_param("Expression")
    if not expression:
        raise InvalidInput("Expression is required and must hold at least one LFTag.")
    max_results = response._get_param("MaxResults")
    if max_results is not None and not 1 <= int(max_results) <= 100:
        raise InvalidInput("MaxResults must be between 1 and 100.")
    catalog_id = response._get_param("CatalogId") or response.current_account
    store = _tag_store(response.lakeformation_backend, catalog_id)
    for condition in expression:
        if condition.get("TagKey") not in store:
            raise EntityNotFound(f"Tag key {condition.get('TagKey')} does not exist.")
    return catalog_id, expression, max_results, response._get_param("NextToken")


def fix_search_by_lf_tags() -> None:
    """SearchDatabasesByLFTags and SearchTablesByLFTags (moto: not routed, 404).

    `Expression` is an AND of conditions, each a key with the values any of which satisfies it;
    pages hold at most 100 resources (SearchPageSize 1..100). Tags are shown and matched as the
    resource *carries* them, inheritance included, as GetResourceLFTags shows them without
    ShowAssignedLFTags: a table carries its database's tags unless it overrides the key, a column
    its table's. The AWS CLI reference example for search-tables-by-lf-tags shows this: a table of
    a database tagged usergroup=developer comes back with usergroup=developer in LFTagOnDatabase,
    LFTagsOnTable and on every column. So a search cannot tell an assigned tag from an inherited one
    with the same value. A table matches when its tags or one of its columns' tags satisfy the
    expression (the API returns the tables "where the given LFTags are valid", column tags with them).
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_SearchDatabasesByLFTags.html
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_SearchTablesByLFTags.html
    https://awscli.amazonaws.com/v2/documentation/api/latest/reference/lakeformation/search-tables-by-lf-tags.html
    """
    for action in ("SearchDatabasesByLFTags", "SearchTablesByLFTags"):
        urls.url_paths[f"{{0}}/{action}$"] = urls.response.dispatch

    def paged(self, field: str, found: list[dict[str, Any]], max_results: Any, token: Any) -> str:
        items, next_token = page(found, max_results, token, InvalidInput, 100)
        body: dict[str, Any] = {field: items}
        if next_token:
            body["NextToken"] = next_token
        return json.dumps(body)

    def search_databases_by_lf_tags(self):
        catalog_id, expression, max_results, token = _search_input(self)
        backend = self.lakeformation_backend
        found = [
            {"Database": {"CatalogId": key[0], "Name": key[1]}, "LFTags": tags}
            for key, tags in sorted(backend.lf_database_tags.items())
            if key[0] == catalog_id and tags and _satisfies(tags, expression)
        ]
        return paged(self, "DatabaseList", found, max_results, token)

    def search_tables_by_lf_tags(self):
        catalog_id, expression, max_results, token = _search_input(self)
        from moto.glue.models import glue_backends

        backend = self.lakeformation_backend
        glue = glue_backends[backend.account_id][backend.region_name]
        found = []
        for database in sorted(glue.databases):
            db_tags = backend.lf_database_tags.get((catalog_id, database), [])
            for table in sorted(glue.databases[database].tables):
                key = (catalog_id, database, table)
                table_tags = _merge_tags(db_tags, backend.lf_table_tags.get(key, []))
                tagged = [k[3] for k in backend.lf_columns_tags if k[:3] == key]
                columns = list(dict.fromkeys([*(_glue_column_names(backend, database, table) or []), *tagged]))
                on_columns = []
                for column in columns:
                    shown = _merge_tags(table_tags, backend.lf_columns_tags.get((*key, column), []))
                    if shown:
                        on_columns.append({"Name": column, "LFTags": shown})
                if not (_satisfies(table_tags, expression) or any(_satisfies(c["LFTags"], expression) for c in on_columns)):
                    continue
                entry: dict[str, Any] = {"Table": {"CatalogId": catalog_id, "DatabaseName": database, "Name": table}}
                if db_tags:
                    entry["LFTagOnDatabase"] = db_tags
                if table_tags:
                    entry["LFTagsOnTable"] = table_tags
                if on_columns:
                    entry["LFTagsOnColumns"] = on_columns
                found.append(entry)
        return paged(self, "TableList", found, max_results, token)

    LakeFormationResponse.search_databases_by_lf_tags = search_databases_by_lf_tags  # type: ignore[attr-defined]
    LakeFormationResponse.search_tables_by_lf_tags = search_tables_by_lf_tags  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# 9. Data cells filters
# ---------------------------------------------------------------------------------------------


def _filters(backend: LakeFormationBackend) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    return backend.__dict__.setdefault("lakesync_data_cells_filters", {})


_FILTER_FIELDS = ("TableCatalogId", "DatabaseName", "TableName", "Name")


def _filter_key(self: LakeFormationResponse, source: dict[str, Any]) -> tuple[str, str, str, str]:
    for field in ("DatabaseName", "TableName", "Name"):
        if not source.get(field):
            raise InvalidInput(f"{field} is required.")
    return (source.get("TableCatalogId") or self.current_account, source["DatabaseName"], source["TableName"], source["Name"])


def fix_data_cells_filters() -> None:
    """Create/Get/Update/Delete/ListDataCellsFilter, stored per account and region (moto: 404).

    Create on an existing name is AlreadyExistsException; create on a table Glue does not have,
    and get/update/delete of a missing filter, are EntityNotFoundException. List filters by Table
    and pages with MaxResults/NextToken.
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_CreateDataCellsFilter.html
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GetDataCellsFilter.html
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_UpdateDataCellsFilter.html
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_DeleteDataCellsFilter.html
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListDataCellsFilter.html
    """
    for action in ("Create", "Get", "Update", "Delete"):
        urls.url_paths[f"{{0}}/{action}DataCellsFilter$"] = urls.response.dispatch

    def table_data(self) -> tuple[tuple[str, str, str, str], dict[str, Any]]:
        data = dict(self._get_param("TableData") or {})
        key = _filter_key(self, data)
        data["TableCatalogId"] = key[0]
        return key, data

    def create_data_cells_filter(self):
        key, data = table_data(self)
        filters = _filters(self.lakeformation_backend)
        if key in filters:
            raise AlreadyExists(f"A data cells filter named {key[3]} already exists on table {key[1]}.{key[2]}.")
        if _glue_table(self.current_account, self.region, key[1], key[2]) is None:
            raise EntityNotFound(f"Table {key[1]}.{key[2]} not found.")
        filters[key] = data
        return "{}"

    def update_data_cells_filter(self):
        key, data = table_data(self)
        filters = _filters(self.lakeformation_backend)
        if key not in filters:
            raise EntityNotFound(f"Data cells filter {key[3]} not found on table {key[1]}.{key[2]}.")
        filters[key] = data
        return "{}"

    def get_data_cells_filter(self):
        key = _filter_key(self, {f: self._get_param(f) for f in _FILTER_FIELDS})
        found = _filters(self.lakeformation_backend).get(key)
        if found is None:
            raise EntityNotFound(f"Data cells filter {key[3]} not found on table {key[1]}.{key[2]}.")
        return json.dumps({"DataCellsFilter": found})

    def delete_data_cells_filter(self):
        key = _filter_key(self, {f: self._get_param(f) for f in _FILTER_FIELDS})
        if _filters(self.lakeformation_backend).pop(key, None) is None:
            raise EntityNotFound(f"Data cells filter {key[3]} not found on table {key[1]}.{key[2]}.")
        return "{}"

    def list_data_cells_filter(self):
        table = self._get_param("Table")
        found = sorted(_filters(self.lakeformation_backend).items())
        if table:
            catalog = table.get("CatalogId") or self.current_account
            found = [
                (k, v) for k, v in found if k[:3] == (catalog, table.get("DatabaseName"), table.get("Name"))
            ]
        items, token = page(
            [v for _, v in found], self._get_param("MaxResults"), self._get_param("NextToken"), InvalidInput, 100
        )
        body: dict[str, Any] = {"DataCellsFilters": items}
        if token:
            body["NextToken"] = token
        return json.dumps(body)

    LakeFormationResponse.create_data_cells_filter = create_data_cells_filter  # type: ignore[attr-defined]
    LakeFormationResponse.get_data_cells_filter = get_data_cells_filter  # type: ignore[attr-defined]
    LakeFormationResponse.update_data_cells_filter = update_data_cells_filter  # type: ignore[attr-defined]
    LakeFormationResponse.delete_data_cells_filter = delete_data_cells_filter  # type: ignore[attr-defined]
    LakeFormationResponse.list_data_cells_filter = list_data_cells_filter  # type: ignore[method-assign]


# ---------------------------------------------------------------------------------------------
# 11. Registered locations
# ---------------------------------------------------------------------------------------------

_REGISTRATION_FLAGS = ("WithFederation", "HybridAccessEnabled", "WithPrivilegedAccess")


def fix_register_resource_details() -> None:
    """RegisterResource keeps its flags and the service-linked role; ListResources pages.

    moto stored only ResourceArn and RoleArn. With UseServiceLinkedRole=true AWS registers the
    location with the AWSServiceRoleForLakeFormationDataAccess role, and DescribeResource/
    ListResources return RoleArn, LastModified, WithFederation, HybridAccessEnabled and
    WithPrivilegedAccess as registered.
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_RegisterResource.html
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ResourceInfo.html
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListResources.html
    """
    original_register = LakeFormationResponse.register_resource

    def register_resource(self):
        result = original_register(self)
        registered = self.lakeformation_backend.resources[self._get_param("ResourceArn")]
        if not registered.role_arn and self._get_param("UseServiceLinkedRole"):
            registered.role_arn = (
                f"arn:aws:iam::{self.current_account}:role/aws-service-role/lakeformation.amazonaws.com/"
                "AWSServiceRoleForLakeFormationDataAccess"
            )
        registered.lakesync_details = {
            **{flag: bool(self._get_param(flag)) for flag in _REGISTRATION_FLAGS},
            "LastModified": time.time(),
        }
        return result

    original_to_dict = Resource.to_dict

    def to_dict(self):
        info = original_to_dict(self)
        if not info.get("RoleArn"):
            info.pop("RoleArn", None)
        return {**info, **getattr(self, "lakesync_details", {})}

    def list_resources(self):
        resources = [r.to_dict() for r in self.lakeformation_backend.list_resources()]
        resources.sort(key=lambda r: r["ResourceArn"])
        items, token = page(resources, self._get_param("MaxResults"), self._get_param("NextToken"), InvalidInput, 100)
        body: dict[str, Any] = {"ResourceInfoList": items}
        if token:
            body["NextToken"] = token
        return json.dumps(body)

    LakeFormationResponse.register_resource = register_resource  # type: ignore[method-assign]
    LakeFormationResponse.list_resources = list_resources  # type: ignore[method-assign]
    Resource.to_dict = to_dict  # type: ignore[method-assign]


def fix_update_resource() -> None:
    """UpdateResource changes the role (and flags) of a registered location.

    moto has no UpdateResource (404). AWS updates the registration in place and answers
    EntityNotFoundException for a location that is not registered.
    https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_UpdateResource.html
    """
    urls.url_paths["{0}/UpdateResource$"] = urls.response.dispatch

    def update_resource(self):
        arn = self._get_param("ResourceArn")
        registered = self.lakeformation_backend.resources.get(arn)
        if registered is None:
            raise EntityNotFound(f"Location {arn} is not registered.")
        registered.role_arn = self._get_param("RoleArn")
        details = getattr(registered, "lakesync_details", {})
        registered.lakesync_details = {
            **details,
            **{flag: bool(self._get_param(flag)) for flag in _REGISTRATION_FLAGS if self._get_param(flag) is not None},
            "LastModified": time.time(),
        }
        return "{}"

    LakeFormationResponse.update_resource = update_resource  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# 12. Glue create/delete and Lake Formation state
# ---------------------------------------------------------------------------------------------

IAM_ALLOWED_PRINCIPALS = "IAM_ALLOWED_PRINCIPALS"


def _lf_backend(account_id: str, region: str) -> LakeFormationBackend:
    from moto.lakeformation.models import lakeformation_backends

    return lakeformation_backends[account_id][region]


def _grant_defaults(
    backend: LakeFormationBackend, defaults: list[dict[str, Any]] | None, resource: dict[str, Any]
) -> None:
    catalog_id = backend.account_id
    for entry in defaults or []:
        principal = entry.get("Principal") or {}
        if principal.get("DataLakePrincipalIdentifier") and entry.get("Permissions"):
            backend.grant_permissions(catalog_id, principal, resource, entry["Permissions"], [])


def fix_default_permissions_on_create() -> None:
    """Glue CreateDatabase/CreateTable grant the data lake's default permissions on the new resource.

    AWS starts every account with "Use only IAM access control" for new resources: the data lake
    settings CreateDatabaseDefaultPermissions and CreateTableDefaultPermissions both hold
    `IAM_ALLOWED_PRINCIPALS: ALL`, and each new database and table gets that grant ("The Super
    permission is granted to the group IAMAllowedPrincipals"); emptying the lists (or omitting them
    in PutDataLakeSettings, "equivalent to passing an empty list") stops it.
    https://docs.aws.amazon.com/lake-formation/latest/dg/change-settings.html
    A database can override the account's table default with its own
    DatabaseInput.CreateTableDefaultPermissions ("You can override this setting when you create a
    database"; Glue: "Creates a set of default permissions on the table for principals"), so a
    table takes the database's list when the database has one, even an empty one, and the
    account's otherwise. https://docs.aws.amazon.com/glue/latest/webapi/API_DatabaseInput.html
    Not modelled: AWS also reports the account default in GetDatabase's
    CreateTableDefaultPermissions of a database created without one; the docs do not say so, and
    moto returns only what was sent. moto granted nothing.
    """
    from moto.glue.models import GlueBackend

    original_create_database = GlueBackend.create_database
    original_create_table = GlueBackend.create_table

    def create_database(self, database_name, database_input, tags=None):
        database = original_create_database(self, database_name, database_input, tags)
        backend = _lf_backend(self.account_id, self.region_name)
        defaults = backend.settings[self.account_id].get("CreateDatabaseDefaultPermissions")
        _grant_defaults(backend, defaults, {"Database": {"CatalogId": self.account_id, "Name": database_name}})
        return database

    def create_table(self, database_name, table_name, table_input, open_table_format_input=None):
        table = original_create_table(self, database_name, table_name, table_input, open_table_format_input)
        backend = _lf_backend(self.account_id, self.region_name)
        database_input = self.databases[database_name].input or {}
        if "CreateTableDefaultPermissions" in database_input:
            defaults = database_input["CreateTableDefaultPermissions"]
        else:
            defaults = backend.settings[self.account_id].get("CreateTableDefaultPermissions")
        resource = {"Table": {"CatalogId": self.account_id, "DatabaseName": database_name, "Name": table_name}}
        _grant_defaults(backend, defaults, resource)
        return table

    GlueBackend.create_database = create_database  # type: ignore[method-assign]
    GlueBackend.create_table = create_table  # type: ignore[method-assign]


def _on_database(resource: dict[str, Any], catalog_id: str, database: str) -> bool:
    """Whether a grant's resource is the database or anything inside it."""
    for kind, catalog_field, database_field in (
        ("Database", "CatalogId", "Name"),
        ("Table", "CatalogId", "DatabaseName"),
        ("TableWithColumns", "CatalogId", "DatabaseName"),
        ("DataCellsFilter", "TableCatalogId", "DatabaseName"),
    ):
        inner = resource.get(kind)
        if isinstance(inner, dict) and inner.get(database_field) == database:
            return inner.get(catalog_field, catalog_id) == catalog_id
    return False


def _on_table(resource: dict[str, Any], catalog_id: str, database: str, table: str) -> bool:
    """Whether a grant's resource is the table, columns of it or a data cells filter on it (not a
    table wildcard, which names the database's tables and outlives any one of them)."""
    for kind, catalog_field, name_field in (
        ("Table", "CatalogId", "Name"),
        ("TableWithColumns", "CatalogId", "Name"),
        ("DataCellsFilter", "TableCatalogId", "TableName"),
    ):
        inner = resource.get(kind)
        if isinstance(inner, dict) and inner.get("DatabaseName") == database and inner.get(name_field) == table:
            return inner.get(catalog_field, catalog_id) == catalog_id
    return False


def _forget(backend: LakeFormationBackend, catalog_id: str, on_resource, tag_key_prefix: tuple[str, ...]) -> None:
    catalog = backend.grants.get(catalog_id)
    if catalog is not None:
        for permission in [p for p in catalog.permissions if on_resource(p.resource)]:
            catalog.permissions.discard(permission)
    for store in (backend.lf_database_tags, backend.lf_table_tags, backend.lf_columns_tags):
        for key in [k for k in store if k[: len(tag_key_prefix)] == tag_key_prefix]:
            del store[key]


def fix_delete_removes_permissions() -> None:
    """Glue DeleteDatabase/DeleteTable/BatchDeleteTable drop the Lake Formation state on what they delete.

    AWS: the developer guide's note "When you delete a Data Catalog resource, ..." says the
    resource's permissions go with it and re-creating a resource of the same name does not bring
    them back (https://docs.aws.amazon.com/lake-formation/latest/dg/granting-catalog-permissions.html).
    So deleting a table removes the grants on it, on its columns and on its data cells filters,
    and its LF-tag assignments (table and columns); deleting a database removes the same for the
    database and everything in it, including table-wildcard grants. Grants on the catalog, on
    LF-tags and on tag policies stay. The docs do not speak of LF-tag assignments; a tag
    assignment names the resource as a grant does, and a re-created table on AWS starts untagged,
    so they go too. moto kept every grant and tag, so a re-created table inherited them.
    """
    from moto.glue.models import GlueBackend

    original_delete_database = GlueBackend.delete_database
    original_delete_table = GlueBackend.delete_table

    def delete_database(self, database_name):
        original_delete_database(self, database_name)
        catalog_id = self.account_id
        backend = _lf_backend(self.account_id, self.region_name)
        on_database = lambda r: _on_database(r, catalog_id, database_name)  # noqa: E731
        _forget(backend, catalog_id, on_database, (catalog_id, database_name))

    def delete_table(self, database_name, table_name):
        original_delete_table(self, database_name, table_name)
        catalog_id = self.account_id
        backend = _lf_backend(self.account_id, self.region_name)
        _forget(
            backend,
            catalog_id,
            lambda r: _on_table(r, catalog_id, database_name, table_name),
            (catalog_id, database_name, table_name),
        )

    # BatchDeleteTable deletes through delete_table, so it is covered too.
    GlueBackend.delete_database = delete_database  # type: ignore[method-assign]
    GlueBackend.delete_table = delete_table  # type: ignore[method-assign]


def apply() -> None:
    fix_permission_identity()
    fix_grant_merge()
    fix_revoke_semantics()
    fix_batch_grant_option_field()
    fix_list_permissions()
    fix_lf_tag_lifecycle()
    fix_add_lf_tags_to_resource()
    fix_remove_lf_tags_from_resource()
    fix_get_resource_lf_tags()
    fix_search_by_lf_tags()
    fix_data_cells_filters()
    fix_register_resource_details()
    fix_update_resource()
    fix_delete_removes_permissions()
    # Opt-out while the product catches up with AWS's default grants (see FIXES.md).
    if os.environ.get("LAKESYNC_LOCAL_DEFAULT_PERMISSIONS", "1") != "0":
        fix_default_permissions_on_create()


def permissions_page(response: LakeFormationResponse, rows: list[dict[str, Any]]) -> str:
    """One ListPermissions answer: rows in a stable order, paged by MaxResults/NextToken (at most 100)."""
    rows = sorted(rows, key=lambda e: json.dumps(e, sort_keys=True))
    items, token = page(rows, response._get_param("MaxResults"), response._get_param("NextToken"), InvalidInput, 100)
    body: dict[str, Any] = {"PrincipalResourcePermissions": items}
    if token:
        body["NextToken"] = token
    return json.dumps(body)
