// Which table writes carry the Iceberg metadata rewrite directive: an Iceberg table
// (`Parameters.table_type` ICEBERG, any case) whose `metadata_location` the bucket mapping moves to
// another bucket. The target's `iceberg` setting (MappingRules.iceberg, default rewrite) says what
// happens then; the runner acts on the directive (modules/aws/iceberg-runner.ts).
import { pointerOf } from "../iceberg/paths.ts";
import type { IcebergDirectives } from "../operations/directives.ts";
import { isObject, type Json } from "./json.ts";
import { type IcebergMode, icebergModes, type MappingRules, mapS3Uri } from "./mapping.ts";

export { type IcebergMode, icebergModes };

const parametersOf = (tableInput: Json | undefined): Json | undefined =>
  tableInput && isObject(tableInput.Parameters) ? tableInput.Parameters : undefined;

export function isIcebergTable(tableInput: Json | undefined): boolean {
  const type = parametersOf(tableInput)?.table_type;
  return typeof type === "string" && type.toUpperCase() === "ICEBERG";
}

const bucketOf = (uri: string) => /^s3[an]?:\/\/([^/]+)/.exec(uri)?.[1];

/**
 * The directive of a write of `sourceTableInput` (source terms) to the target, or undefined when
 * the write is a plain one: not Iceberg, metadata not moved, or the target's setting pointer-only.
 */
export function icebergDirectivesFor(
  sourceTableInput: Json | undefined,
  rules: MappingRules,
): IcebergDirectives | undefined {
  if (!isIcebergTable(sourceTableInput)) return undefined;
  const parameters = parametersOf(sourceTableInput)!;
  const location = parameters.metadata_location;
  if (typeof location !== "string" || mapS3Uri(location, rules) === location) return undefined;
  const mode = rules.iceberg ?? "rewrite";
  if (mode === "pointer-only") return undefined;
  if (mode === "skip") {
    return {
      mode: "skip",
      reason: `Iceberg table moved from bucket ${bucketOf(location)} to ${bucketOf(mapS3Uri(location, rules))}: the target's iceberg setting is skip`,
    };
  }
  const previous = parameters.previous_metadata_location;
  return {
    mode: "rewrite",
    sourceMetadataLocation: location,
    ...(typeof previous === "string" && previous !== "" ? { sourcePreviousMetadataLocation: previous } : {}),
    buckets: { ...rules.buckets },
    source: { account: rules.sourceAccount, region: rules.sourceRegion },
  };
}

/**
 * The same for a table input already in target terms (the batch diff's desired value): its
 * metadata locations are mapped back to the one source bucket that maps onto theirs. Several
 * source buckets mapping onto one target bucket leave the source unknown: the table is skipped.
 */
export function icebergDirectivesForMapped(
  mappedTableInput: Json | undefined,
  rules: MappingRules,
): IcebergDirectives | undefined {
  if (!isIcebergTable(mappedTableInput)) return undefined;
  const parameters = parametersOf(mappedTableInput)!;
  const location = parameters.metadata_location;
  if (typeof location !== "string") return undefined;
  const targetBucket = bucketOf(location);
  const sources = Object.entries(rules.buckets)
    .filter(([from, to]) => to === targetBucket && from !== to)
    .map(([from]) => from);
  if (sources.length === 0) return undefined;
  if (sources.length > 1 && (rules.iceberg ?? "rewrite") === "rewrite") {
    return {
      mode: "skip",
      reason: `Iceberg metadata in ${targetBucket} cannot be traced to one source bucket (${sources.join(", ")} map onto it)`,
    };
  }
  const unmap = { buckets: { [targetBucket!]: sources[0]! } };
  const sourceParameters: Json = { ...parameters, metadata_location: mapS3Uri(location, unmap) };
  const previous = parameters.previous_metadata_location;
  if (typeof previous === "string") sourceParameters.previous_metadata_location = mapS3Uri(previous, unmap);
  return icebergDirectivesFor({ ...mappedTableInput, Parameters: sourceParameters }, rules);
}

const locationParameters = ["metadata_location", "previous_metadata_location"] as const;

/**
 * A target table input with its rewritten Iceberg metadata locations read as the files they stand
 * for (`pointerOf`): what the batch diff compares with the mapped source, so a table whose rewrite
 * is up to date shows no difference.
 */
export function withIcebergPointers(tableInput: Json): Json {
  const parameters = parametersOf(tableInput);
  if (!parameters || !isIcebergTable(tableInput)) return tableInput;
  const out: Json = { ...parameters };
  for (const key of locationParameters) {
    const value = out[key];
    if (typeof value === "string") out[key] = pointerOf(value);
  }
  return { ...tableInput, Parameters: out };
}
