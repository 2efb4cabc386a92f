// Applies MappingRules to Glue inputs in AWS SDK v3 shape (DatabaseInput, TableInput,
// PartitionInput, StorageDescriptor): every location field, Iceberg metadata pointers,
// resource-link catalog ids and the principals of database default permissions. Map keys and
// values other than those are never touched.
import { isObject, type Json } from "./json.ts";
import { type MappingRules, mapCatalogId, mapS3Uri } from "./mapping.ts";
import { mapPrincipalPermissions } from "./settings.ts";

const icebergLocationParameters = ["metadata_location", "previous_metadata_location"] as const;

function mapStringMapValues(parameters: unknown, keys: readonly string[], rules: MappingRules): unknown {
  if (!isObject(parameters)) return parameters;
  const out: Json = { ...parameters };
  for (const key of keys) {
    const value = out[key];
    if (typeof value === "string") out[key] = mapS3Uri(value, rules);
  }
  return out;
}

export function mapStorageDescriptor(sd: unknown, rules: MappingRules): unknown {
  if (!isObject(sd)) return sd;
  const out: Json = { ...sd };
  if (typeof out.Location === "string") out.Location = mapS3Uri(out.Location, rules);
  if (Array.isArray(out.AdditionalLocations)) {
    out.AdditionalLocations = out.AdditionalLocations.map((l: unknown) =>
      typeof l === "string" ? mapS3Uri(l, rules) : l,
    );
  }
  if (isObject(out.SerdeInfo)) {
    out.SerdeInfo = {
      ...out.SerdeInfo,
      Parameters: mapStringMapValues(out.SerdeInfo.Parameters, ["path"], rules),
    };
    if ((out.SerdeInfo as Json).Parameters === undefined) delete (out.SerdeInfo as Json).Parameters;
  }
  return out;
}

/** Resource links (TargetDatabase, TargetTable) point at the mapped catalog and, when they point at the source region, the target region. */
function mapResourceLink(link: unknown, rules: MappingRules): unknown {
  if (!isObject(link)) return link;
  const out: Json = { ...link };
  if (typeof out.CatalogId === "string") out.CatalogId = mapCatalogId(out.CatalogId, rules);
  if (out.Region === rules.sourceRegion) out.Region = rules.targetRegion;
  return out;
}

export function mapDatabaseInput(input: Json, rules: MappingRules): Json {
  const out: Json = { ...input };
  if (typeof out.LocationUri === "string") out.LocationUri = mapS3Uri(out.LocationUri, rules);
  if (out.TargetDatabase !== undefined) out.TargetDatabase = mapResourceLink(out.TargetDatabase, rules);
  if (out.CreateTableDefaultPermissions !== undefined)
    out.CreateTableDefaultPermissions = mapPrincipalPermissions(out.CreateTableDefaultPermissions, rules);
  return out;
}

export function mapTableInput(input: Json, rules: MappingRules): Json {
  const out: Json = { ...input };
  if (out.StorageDescriptor !== undefined)
    out.StorageDescriptor = mapStorageDescriptor(out.StorageDescriptor, rules);
  if (out.Parameters !== undefined)
    out.Parameters = mapStringMapValues(out.Parameters, icebergLocationParameters, rules);
  if (out.TargetTable !== undefined) out.TargetTable = mapResourceLink(out.TargetTable, rules);
  return out;
}

export function mapPartitionInput(input: Json, rules: MappingRules): Json {
  const out: Json = { ...input };
  if (out.StorageDescriptor !== undefined)
    out.StorageDescriptor = mapStorageDescriptor(out.StorageDescriptor, rules);
  return out;
}
