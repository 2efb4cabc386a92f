// Where paths go: every path an Iceberg file names is mapped with the bucket mapping (only the
// bucket changes, never the key), and every file lakesync rewrites gets a key derived from its
// source URI, the mapping and its content, beside the source file under `lakesync-dr/`.
import { createHash } from "node:crypto";
import { type MappingRules, mapS3Uri } from "../mapping/mapping.ts";

/** The folder, beside a table's own metadata files, that holds lakesync's rewritten files. */
export const rewrittenFolder = "lakesync-dr";

export type BucketMapping = MappingRules["buckets"];

const rewrittenSegment = new RegExp(`/${rewrittenFolder}/[0-9a-f]{20}/(?=[^/]+$)`);

/**
 * The path a rewritten file stands for: `…/metadata/lakesync-dr/<hash>/<name>` -> `…/metadata/<name>`
 * (the source file's key, in the target bucket: what pointer-only replication would name). Other
 * paths are returned as they are.
 */
export function pointerOf(uri: string): string {
  return uri.replace(rewrittenSegment, "/");
}

export class PathMapper {
  private readonly rules: Pick<MappingRules, "buckets">;
  /** Identifies the mapping in rewritten keys: another mapping writes other files. */
  readonly fingerprint: string;

  constructor(buckets: BucketMapping) {
    this.rules = { buckets };
    const pairs = Object.entries(buckets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.fingerprint = JSON.stringify(pairs);
  }

  /** A path as the target sees it (unchanged when its bucket is not mapped or it is not s3). */
  map(uri: string): string {
    return mapS3Uri(uri, this.rules);
  }

  /** Whether the mapping moves this path to another bucket. */
  moves(uri: string): boolean {
    return this.map(uri) !== uri;
  }

  /**
   * The target URI of the rewritten copy of a source file: `<mapped folder of the source
   * file>/lakesync-dr/<hash>/<file name>`. The hash covers the source URI, the mapping and the
   * source bytes, so the same source always gives the same key (a re-run finds it) and a
   * different source or mapping never lands on it. The file name is kept as is, so readers that
   * parse it (metadata version numbers, `.gz.metadata.json` compression, `.avro`) still can.
   */
  rewrittenUri(sourceUri: string, sourceBytes: Uint8Array): string {
    const slash = sourceUri.lastIndexOf("/");
    const folder = sourceUri.slice(0, slash);
    const name = sourceUri.slice(slash + 1);
    const hash = createHash("sha256")
      .update("lakesync-iceberg-rewrite/1\n")
      .update(`${sourceUri}\n${this.fingerprint}\n`)
      .update(sourceBytes)
      .digest("hex")
      .slice(0, 20);
    return `${this.map(folder)}/${rewrittenFolder}/${hash}/${name}`;
  }
}
