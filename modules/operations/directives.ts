// Executor directives carried inside an operation's `input` (see modules/operations/README.md).
// They never reach AWS: the runner strips them before sending.

export const mergeField = "__merge";
export const icebergField = "__iceberg";

export interface MergeDirectives {
  /**
   * PutDataLakeSettings: the protected admins, which stay data lake admins when the target has them
   * whatever the desired settings say (never added when absent).
   */
  keepAdmins?: string[];
}

/**
 * CreateTable/UpdateTable of an Iceberg table whose metadata the bucket mapping moves to another
 * bucket (`iceberg` setting of the target, modules/mapping/iceberg-tables.ts):
 * - rewrite: the runner writes the rewritten metadata tree into the target bucket
 *   (modules/iceberg) and sends the input with `metadata_location` (and
 *   `previous_metadata_location`) pointing at the rewritten files;
 * - skip: the table is not written; the operation ends `skipped` with `reason`.
 */
export type IcebergDirectives =
  | {
      mode: "rewrite";
      /** The source table's metadata_location (source bucket). */
      sourceMetadataLocation: string;
      sourcePreviousMetadataLocation?: string;
      /** MappingRules.buckets: source bucket -> target bucket. */
      buckets: Record<string, string>;
      /** The source catalog's account and region: its buckets are read with the source's clients. */
      source: { account: string; region: string };
    }
  | { mode: "skip"; reason: string };

/** The directives an input carries (`{}` when none). */
export function mergeDirectives(input: Record<string, unknown>): MergeDirectives {
  const value = input[mergeField];
  return value && typeof value === "object" ? (value as MergeDirectives) : {};
}

/** The Iceberg directive of a table write, if any. */
export function icebergDirectives(input: Record<string, unknown>): IcebergDirectives | undefined {
  const value = input[icebergField];
  return value && typeof value === "object" ? (value as IcebergDirectives) : undefined;
}

/** The input exactly as the SDK command takes it: executor directives removed. */
export function commandInput(input: Record<string, unknown>): Record<string, unknown> {
  if (!(mergeField in input) && !(icebergField in input)) return input;
  const { [mergeField]: _merge, [icebergField]: _iceberg, ...rest } = input;
  return rest;
}
