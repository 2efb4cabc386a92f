// Where backups live: s3://<bucket>/<prefix><source-account>/<region>/<backup-id>/ holding
// part-NNNNN.jsonl.gz files and manifest.json (written last). Backup ids are UTC timestamps that
// sort lexicographically in time order, so "newest" is the greatest id.

export interface BackupSource {
  account: string;
  region: string;
}

export const defaultBackupPrefix = "lakesync/backups/";

/** 2026-11-22T11:08:16.123Z -> 20261122T110816123Z */
export function backupId(time: Date): string {
  return time.toISOString().replace(/[-:.]/g, "");
}

const backupIdPattern = /^\d{8}T\d{9}Z$/;
export const isBackupId = (value: string): boolean => backupIdPattern.test(value);

/**
 * A backup prefix is a plain key prefix: no `.` or `..` segment (consoles and tools that resolve
 * paths would put the backup elsewhere) and no control characters. What is wrong, or undefined.
 */
export function backupPrefixProblem(prefix: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(prefix))
    return `expected a key prefix without control characters, got ${JSON.stringify(prefix)}`;
  if (prefix.split("/").some((segment) => segment === "." || segment === ".."))
    return `expected a key prefix without "." or ".." segments, got ${JSON.stringify(prefix)}`;
  return undefined;
}

export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, "");
  return trimmed === "" || trimmed.endsWith("/") ? trimmed : `${trimmed}/`;
}

/**
 * One key segment built from a value that may come from outside (a manifest, a flag): it must be
 * what it claims (an account id, a region name, a backup id), so no value can add a `/`, a `..`
 * or a control character and move a key out of its folder.
 */
function segment(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw new Error(`not a ${what} for a backup key: ${JSON.stringify(value)}`);
  return value;
}

/** The folder holding every backup of one source catalog. */
export function sourceFolder(prefix: string, source: BackupSource): string {
  const problem = backupPrefixProblem(prefix);
  if (problem) throw new Error(`backup prefix: ${problem}`);
  return `${normalisePrefix(prefix)}${segment(source.account, /^\d{12}$/, "account id")}/${segment(source.region, /^[a-z]{2,4}(?:-[a-z]+)+-\d+$/, "region")}/`;
}

export function backupFolder(prefix: string, source: BackupSource, id: string): string {
  return `${sourceFolder(prefix, source)}${segment(id, backupIdPattern, "backup id")}/`;
}

export interface S3Location {
  bucket: string;
  key: string;
}

/** s3://bucket/key -> {bucket, key}; a backup may be named by its folder or its manifest.json. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new Error(`expected an S3 URL like s3://bucket/prefix/, got ${JSON.stringify(url)}`);
  return { bucket: match[1]!, key: match[2]! };
}

/** The backup folder an s3:// URL names (a trailing manifest.json is dropped). */
export function backupFolderOfUrl(url: string): S3Location {
  const { bucket, key } = parseS3Url(url);
  const folder = key.replace(/manifest\.json$/, "");
  return { bucket, key: folder === "" || folder.endsWith("/") ? folder : `${folder}/` };
}

export const s3Url = (bucket: string, key: string): string => `s3://${bucket}/${key}`;
