// Data lake settings and principals in target terms, and the protected admins rule. One
// implementation for the realtime planner (PutDataLakeSettings, database default permissions,
// grants), the snapshot diff and the executor's settings merge. The rule, the same on every path:
// a settings write follows the source (PutDataLakeSettings replaces the whole object there), except
// that the target's protected admins (lakesync's own roles, configured `targets[].protectedAdmins`)
// are never removed; they are kept when present, not added when absent.
import { isObject, type Json } from "./json.ts";
import { type MappingRules, mapAccount, mapPrincipal } from "./mapping.ts";

/** A DataLakePrincipal ({DataLakePrincipalIdentifier}) in target terms; other shapes are returned as is. */
export function mapDataLakePrincipal(principal: unknown, rules: MappingRules): unknown {
  if (!isObject(principal) || typeof principal.DataLakePrincipalIdentifier !== "string") return principal;
  return {
    ...principal,
    DataLakePrincipalIdentifier: mapPrincipal(principal.DataLakePrincipalIdentifier, rules),
  };
}

function mapPrincipalList(list: unknown, rules: MappingRules): unknown {
  return Array.isArray(list) ? list.map((p) => mapDataLakePrincipal(p, rules)) : list;
}

/** PrincipalPermissions lists (default permissions of databases and of the settings). */
export function mapPrincipalPermissions(list: unknown, rules: MappingRules): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((entry) =>
    isObject(entry) ? { ...entry, Principal: mapDataLakePrincipal(entry.Principal, rules) } : entry,
  );
}

/** The DataLakeSettings fields that list DataLakePrincipals. */
export const principalListFields = [
  "DataLakeAdmins",
  "ReadOnlyAdmins",
  "ExternalDataFilteringAllowList",
] as const;
/** The DataLakeSettings fields that list PrincipalPermissions (default permissions). */
export const principalPermissionFields = [
  "CreateDatabaseDefaultPermissions",
  "CreateTableDefaultPermissions",
] as const;

/**
 * DataLakeSettings in target terms: admins, read-only admins, the external data filtering allow
 * list and default permissions name principals; trusted resource owners are account ids. Fields
 * the settings leave out stay out; everything else (Parameters, flags, session tag values) is
 * the same on both sides.
 */
export function mapDataLakeSettings(settings: Json, rules: MappingRules): Json {
  const out: Json = { ...settings };
  for (const field of principalListFields) {
    if (out[field] !== undefined) out[field] = mapPrincipalList(out[field], rules);
  }
  for (const field of principalPermissionFields) {
    if (out[field] !== undefined) out[field] = mapPrincipalPermissions(out[field], rules);
  }
  if (Array.isArray(out.TrustedResourceOwners)) {
    out.TrustedResourceOwners = out.TrustedResourceOwners.map((a: unknown) =>
      typeof a === "string" ? mapAccount(a, rules) : a,
    );
  }
  return out;
}

/** The principal ids of a settings object's DataLakeAdmins, in order. */
export function adminIds(settings: Json | undefined): string[] {
  const list = settings?.DataLakeAdmins;
  if (!Array.isArray(list)) return [];
  return list.flatMap((p: unknown) =>
    isObject(p) && typeof p.DataLakePrincipalIdentifier === "string" ? [p.DataLakePrincipalIdentifier] : [],
  );
}

export const adminList = (ids: readonly string[]) => ids.map((id) => ({ DataLakePrincipalIdentifier: id }));

/** Why a protected admin stays; shown in plans. */
export const protectedAdminsReason = "lakesync's own roles or configured protectedAdmins";

/**
 * One plan line: `keeps protected admins a, b (lakesync's own roles or configured protectedAdmins)`;
 * `whenPresent` for a write that keeps them only if the target has them (a realtime replay).
 */
export function protectedAdminsNote(ids: readonly string[], options: { whenPresent?: boolean } = {}): string {
  return `keeps protected admins ${ids.join(", ")}${options.whenPresent ? " when present" : ""} (${protectedAdminsReason})`;
}

/** The protected admins among `admins`, in their order. */
export function protectedAmong(
  admins: readonly string[],
  rules: Pick<MappingRules, "protectedAdmins">,
): string[] {
  const protectedSet = new Set(rules.protectedAdmins);
  return admins.filter((id) => protectedSet.has(id));
}

/**
 * The admins a settings write leaves: the desired admins, then the current admins that are
 * protected (`keep`). A protected admin is kept when present and never added when absent; every
 * other admin follows the desired list, as it does in the source, where PutDataLakeSettings
 * replaces the whole list.
 */
export function settledAdmins(admins: {
  current: readonly string[];
  desired: readonly string[];
  keep: readonly string[];
}): string[] {
  const kept = protectedAmong(admins.current, { protectedAdmins: admins.keep });
  return [...new Set([...admins.desired, ...kept])];
}
