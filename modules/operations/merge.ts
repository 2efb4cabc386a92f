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
 * PutDataLakeSettings replaces the whole settings object, admins included; replaying a source's
 * admin list verbatim can remove the replicator's own admin rights and break every later grant.
 * So the admins written are current ∪ desired ∪ keepAdmins, minus the removeAdmins the producer
 * names explicitly — never a kept (protected) or desired one: the rule of settledAdmins in
 * modules/mapping/settings.ts. Fields the desired settings leave out keep their current values.
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
    remove: directives.removeAdmins ?? [],
  });
  const settings: DataLakeSettings = { ...current, ...desired, DataLakeAdmins: adminList(admins) };
  return {
    settings,
    changed: stableJson(normaliseAdmins(current ?? {})) !== stableJson(normaliseAdmins(settings)),
  };
}

/** Admin order carries no meaning; compare settings with admins sorted. */
function normaliseAdmins(settings: DataLakeSettings): DataLakeSettings {
  return { ...settings, DataLakeAdmins: adminIds(settings).sort() as unknown as Principal[] };
}

/** LF tag values converge by addition: only the desired values the tag lacks are added. */
export function missingTagValues(current: readonly string[], desired: readonly string[]): string[] {
  const have = new Set(current);
  return [...new Set(desired)].filter((value) => !have.has(value));
}
