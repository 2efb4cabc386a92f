// `lakesync mesh explain`: can this principal DESCRIBE and SELECT this table, and if not, which
// grant, link or setting is missing? Pure: it evaluates facts a live-state reader gathered
// (modules/aws/mesh-explain-reader.ts). Lake Formation's rules as evaluated here:
// - a table named through a resource link needs DESCRIBE on the link, in the link's account, and
//   the permission on the link's target (LF dg "resource-links-about", "Querying through links");
// - a permission on a table comes from a named grant, a table wildcard of its database, a grant
//   on its columns (SELECT), or an LF-Tag policy whose expression its effective tags satisfy
//   (a table tag overrides its database's) (LF dg "TBAC"); ALL holds every permission;
// - for a principal in another account: either a grant to the principal itself in the owner's
//   catalog (cross-account version 3 or later), or a grant to its account that includes the
//   permission with grant option, re-granted by that account to the principal on the target
//   (CatalogId = the owner), with the owner's RAM invitation accepted where one is pending
//   (LF dg "cross-account-permissions", "Accepting a RAM resource share invitation").
import type { PermissionValue } from "../catalog/model.ts";
import { expressionMatches, type Tags } from "./tags.ts";

export type ExplainedPermission = "DESCRIBE" | "SELECT";

export interface TableName {
  account: string;
  database: string;
  table: string;
}

/** The grants of one catalog, resources in the reader's normal form (own CatalogId left out). */
export interface CatalogGrants {
  account: string;
  grants: readonly PermissionValue[];
}

export interface ExplainFacts {
  principal: string;
  principalAccount: string;
  /** The table as asked (DB.TABLE in --account). */
  asked: TableName;
  /** Whether the asked table exists; a resource link names its target in `target`. */
  askedExists: boolean;
  isLink: boolean;
  /** The table the data is in: the link's target, else the asked table. */
  target: TableName & { exists: boolean; tags: Tags };
  /** The target owner's grants. */
  owner: CatalogGrants & { crossAccountVersion?: number };
  /** The principal's account grants (re-grants on the target), when it is not the owner. */
  principalCatalog?: CatalogGrants;
  /** The link's account grants, when the asked table is a link. */
  linkCatalog?: CatalogGrants;
  /** RAM invitations in the principal's account from the owner (status PENDING, ACCEPTED, …). */
  invitations: { arn: string; status: string }[];
}

export interface Verdict {
  permission: ExplainedPermission;
  allowed: boolean;
  /** The grants that give it. */
  via: string[];
  /** What is missing, one item each (empty when allowed). */
  missing: string[];
}

export interface Explanation {
  principal: string;
  table: string;
  /** The table the data is in (`owner:db.table`), when the asked table is a link. */
  target?: string;
  allowed: boolean;
  describe: Verdict;
  select: Verdict;
}

const nameOf = (t: TableName) => `${t.account}:${t.database}.${t.table}`;
const tagsText = (tags: Tags) =>
  Object.keys(tags).length === 0
    ? "no LF tags"
    : Object.entries(tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ");

interface Match {
  grant: PermissionValue;
  how: string;
}

/** The grants in `catalog` to one of `holders` that give `permission` on the table. */
function grantsOn(
  catalog: CatalogGrants,
  holders: readonly string[],
  table: TableName,
  tags: Tags | undefined,
  permission: ExplainedPermission,
): Match[] {
  const matches: Match[] = [];
  for (const grant of catalog.grants) {
    if (!holders.includes(grant.Principal.DataLakePrincipalIdentifier)) continue;
    if (!grant.Permissions.includes(permission) && !grant.Permissions.includes("ALL")) continue;
    const how = resourceGives(catalog.account, grant.Resource, table, tags, permission);
    if (how) matches.push({ grant, how });
  }
  return matches;
}

function resourceGives(
  catalogAccount: string,
  resource: Record<string, unknown>,
  table: TableName,
  tags: Tags | undefined,
  permission: ExplainedPermission,
): string | undefined {
  const [kind, raw] = Object.entries(resource)[0] ?? [];
  const body = (raw ?? {}) as Record<string, unknown>;
  const catalog = typeof body.CatalogId === "string" ? body.CatalogId : catalogAccount;
  if (catalog !== table.account) return undefined;
  if (kind === "Table" && body.DatabaseName === table.database) {
    if (body.Name === table.table) return "named grant on the table";
    if (body.TableWildcard !== undefined) return `grant on all tables of ${table.database}`;
  }
  if (kind === "TableWithColumns" && permission === "SELECT") {
    if (body.DatabaseName === table.database && body.Name === table.table)
      return "grant on columns of the table";
  }
  if (kind === "LFTagPolicy" && body.ResourceType === "TABLE" && tags) {
    const expression = Object.fromEntries(
      ((body.Expression as { TagKey: string; TagValues: string[] }[]) ?? []).map((e) => [
        e.TagKey,
        e.TagValues,
      ]),
    );
    if (expressionMatches(expression, tags)) return `LF-Tag policy ${tagsText(flatten(expression))}`;
  }
  return undefined;
}

const flatten = (expression: Record<string, string[]>): Tags =>
  Object.fromEntries(Object.entries(expression).map(([k, v]) => [k, v.join("|")]));

const describeMatch = (m: Match, catalog: string) =>
  `${m.grant.Permissions.join(", ")}${m.grant.PermissionsWithGrantOption.length > 0 ? ` (grant option ${m.grant.PermissionsWithGrantOption.join(", ")})` : ""} to ${m.grant.Principal.DataLakePrincipalIdentifier} in ${catalog}: ${m.how}`;

const grantable = (grant: PermissionValue, permission: string) =>
  grant.PermissionsWithGrantOption.includes(permission) || grant.PermissionsWithGrantOption.includes("ALL");

function verdict(facts: ExplainFacts, permission: ExplainedPermission): Verdict {
  const via: string[] = [];
  const missing: string[] = [];
  const { target, owner, principal, principalAccount } = facts;
  if (!facts.askedExists) {
    return { permission, allowed: false, via, missing: [`table ${nameOf(facts.asked)} does not exist`] };
  }
  if (facts.isLink) {
    const link = facts.linkCatalog ?? { account: facts.asked.account, grants: [] };
    const onLink = grantsOn(link, [principal], facts.asked, undefined, "DESCRIBE");
    if (onLink.length > 0) via.push(...onLink.map((m) => `link: ${describeMatch(m, link.account)}`));
    else
      missing.push(
        `DESCRIBE on the resource link ${nameOf(facts.asked)} granted to ${principal} in ${link.account}`,
      );
  }
  if (!target.exists) {
    missing.push(`the link's target table ${nameOf(target)} does not exist`);
    return { permission, allowed: false, via, missing };
  }
  const wanted = `${permission} on ${nameOf(target)}`;
  const tagged = `(a named grant, a table wildcard, or an LF-Tag policy its tags satisfy: ${tagsText(target.tags)})`;
  if (principalAccount === owner.account) {
    const direct = grantsOn(owner, [principal, "IAM_ALLOWED_PRINCIPALS"], target, target.tags, permission);
    via.push(...direct.map((m) => describeMatch(m, owner.account)));
    if (direct.length === 0) missing.push(`${wanted} granted to ${principal} in ${owner.account} ${tagged}`);
    return { permission, allowed: missing.length === 0, via, missing };
  }
  // Either path shares through the owner's RAM share, which the account must have accepted.
  const pending = facts.invitations.filter((i) => i.status === "PENDING");
  const unaccepted =
    pending.length > 0 && !facts.invitations.some((i) => i.status === "ACCEPTED")
      ? [
          `acceptance in ${principalAccount} of the RAM invitation${pending.length > 1 ? "s" : ""} from ${owner.account} (${pending.map((i) => i.arn).join(", ")})`,
        ]
      : [];
  const direct = grantsOn(owner, [principal], target, target.tags, permission);
  const version = owner.crossAccountVersion ?? 1;
  if (direct.length > 0 && version >= 3) {
    via.push(...direct.map((m) => `${describeMatch(m, owner.account)} (cross-account principal grant)`));
    missing.push(...unaccepted);
    return { permission, allowed: missing.length === 0, via, missing };
  }
  const path: string[] = [];
  if (direct.length > 0) {
    path.push(
      `cross-account version 3 or later in ${owner.account} (it is ${version}): its grant to ${principal} has no effect before`,
    );
  }
  const toAccount = grantsOn(owner, [principalAccount], target, target.tags, permission);
  if (toAccount.length === 0) {
    path.push(`${wanted} granted to account ${principalAccount} in ${owner.account} ${tagged}`);
  } else {
    via.push(...toAccount.map((m) => describeMatch(m, owner.account)));
    if (!toAccount.some((m) => grantable(m.grant, permission))) {
      path.push(
        `grant option on ${permission} in ${owner.account}'s grant to account ${principalAccount} (without it the account's grants to its principals have no effect)`,
      );
    }
  }
  const home = facts.principalCatalog ?? { account: principalAccount, grants: [] };
  const regrants = grantsOn(home, [principal], target, undefined, permission);
  if (regrants.length > 0) via.push(...regrants.map((m) => describeMatch(m, home.account)));
  else path.push(`${wanted} (CatalogId ${owner.account}) granted to ${principal} in ${principalAccount}`);
  missing.push(...path, ...unaccepted);
  return { permission, allowed: missing.length === 0, via, missing };
}

export function explainAccess(facts: ExplainFacts): Explanation {
  const describe = verdict(facts, "DESCRIBE");
  const select = verdict(facts, "SELECT");
  return {
    principal: facts.principal,
    table: nameOf(facts.asked),
    ...(facts.isLink ? { target: nameOf(facts.target) } : {}),
    allowed: describe.allowed && select.allowed,
    describe,
    select,
  };
}

/** The human report: one block per permission. */
export function explanationLines(explanation: Explanation): string[] {
  const lines = [
    `${explanation.principal} on ${explanation.table}${explanation.target ? ` (resource link to ${explanation.target})` : ""}`,
  ];
  for (const v of [explanation.describe, explanation.select]) {
    lines.push(`  ${v.permission}: ${v.allowed ? "allowed" : "not allowed"}`);
    for (const via of v.via) lines.push(`    via ${via}`);
    for (const missing of v.missing) lines.push(`    missing: ${missing}`);
  }
  lines.push(explanation.allowed ? "access allowed" : "access denied");
  return lines;
}
