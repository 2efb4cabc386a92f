// Read-modify-write rules for shared objects, as pure functions of (current, desired). The executor
// reads the current state, asks these what to write, and writes only when something changes.
import { adminIds, adminList, settledAdmins } from "../mapping/settings.ts";
import { stableJson } from "./operation.ts";
import type { MergeDirectives } from "./runner.ts";

interface Principal {
  DataLakePrincipalIdentifier?: string;
}

export type DataLakeSettings = Record<string, unknown> & { DataLakeAdmins?: Principal[] };

/**
 * PutDataLakeSettings replaces the whole settings object, admins included, and a write follows the
 * source's: the desired settings as a whole (a field they leave out is empty/off afterwards, as in
 * the source). One exception: replaying a source's admin list verbatim could remove lakesync's own
 * roles and break every later grant, so the current admins named in `keepAdmins` (the protected
 * admins) stay — the rule of settledAdmins in modules/mapping/settings.ts.
 */
export function mergeDataLakeSettings(
  current: DataLakeSettings | undefined,
  desired: DataLakeSettings,
  directives: MergeDirectives,
): { settings: DataLakeSettings; changed: boolean } {
  const admins = settledAdmins({
    current: adminIds(current),
    desired: adminIds(desired),
    keep: directives.keepAdmins ?? [],
  });
  const settings: DataLakeSettings = { ...desired, DataLakeAdmins: adminList(admins) };
  return {
    settings,
    changed: stableJson(comparable(current ?? {})) !== stableJson(comparable(settings)),
  };
}

/**
 * Settings as AWS holds them, for comparison: admin order carries no meaning, and an omitted list
 * or flag reads back empty/off (GetDataLakeSettings on AWS lists every field).
 */
function comparable(settings: DataLakeSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(settings)) {
    if (value === undefined || value === false || (Array.isArray(value) && value.length === 0)) continue;
    out[field] = value;
  }
  out.DataLakeAdmins = adminIds(settings).sort();
  return out;
}

/** LF tag values converge by addition: only the desired values the tag lacks are added. */
export function missingTagValues(current: readonly string[], desired: readonly string[]): string[] {
  const have = new Set(current);
  return [...new Set(desired)].filter((value) => !have.has(value));
}
