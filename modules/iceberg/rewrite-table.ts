// The use case: make a replicated Iceberg table readable from the target bucket alone. Plans the
// rewrite of its metadata tree, writes the new files children first (a metadata file is written
// only once everything it names is there), and returns the metadata location to point the
// target table's `metadata_location` at.
import { PathMapper } from "./paths.ts";
import { type PlanInput, planTableRewrite } from "./plan.ts";

/** The source table's `metadata_location`, the bucket mapping and the store (see PlanInput). */
export type RewriteTableInput = PlanInput;

export interface RewriteTableResult {
  /**
   * The rewritten metadata file in the target bucket; when skipped, the source location with
   * only its bucket mapped (what pointer-only replication would set).
   */
  metadataLocation: string;
  /** Files written by this call. */
  written: string[];
  /**
   * Rewritten files found already in place (an earlier run wrote them, and everything they name
   * before them, so nothing below them is read again).
   */
  reused: string[];
  /** Target paths of the data and delete files named by the manifests rewritten in this call. */
  dataFiles: string[];
  /** Why the table was not rewritten (nothing was written then). */
  skipped?: string;
}

export async function rewriteTableForTarget(input: RewriteTableInput): Promise<RewriteTableResult> {
  const outcome = await planTableRewrite(input);
  if ("skipped" in outcome) {
    const mapped = new PathMapper(input.buckets).map(input.metadataLocation);
    return { metadataLocation: mapped, written: [], reused: [], dataFiles: [], skipped: outcome.skipped };
  }
  const { plan } = outcome;
  // In plan order: every file is written after the files it names.
  for (const write of plan.writes) await input.store.put(write.uri, write.bytes);
  return {
    metadataLocation: plan.metadataLocation,
    written: plan.writes.map((write) => write.uri),
    reused: plan.reused,
    dataFiles: plan.dataFiles,
  };
}
