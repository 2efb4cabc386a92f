// Which complete backups to delete so that `keep` remain. The newest is never deleted, whatever
// `keep` says, and folders without a manifest (runs in progress) are not considered at all.
import { isBackupId } from "./layout.ts";

export function expiredBackups(completeIds: readonly string[], keep: number): string[] {
  const keepCount = Math.max(1, Math.floor(keep));
  const newestFirst = [...new Set(completeIds.filter(isBackupId))].sort().reverse();
  return newestFirst.slice(keepCount);
}

export function newestBackup(completeIds: readonly string[]): string | undefined {
  return [...completeIds].filter(isBackupId).sort().at(-1);
}
