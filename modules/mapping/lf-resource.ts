// Lake Formation Resource values in target terms, and the database/table they name for the
// include/exclude filters. One implementation for the realtime planner and the snapshot diff.
// Per the Lake Formation API reference, every catalog id field (Catalog.Id, CatalogId,
// TableCatalogId) holds an account id, optionally followed by `:<catalog name>` for a nested
// catalog; the only ARN is DataLocation.ResourceArn, an S3 ARN, which maps by bucket.
import { isObject, type Json } from "./json.ts";
import { isIncluded, type MappingRules, mapCatalogId, mapPrincipal, mapS3Arn } from "./mapping.ts";

/** The fields of each resource shape that carry a catalog id. */
const catalogIdFields: Readonly<Record<string, readonly string[]>> = {
  Catalog: ["Id"],
  Database: ["CatalogId"],
  Table: ["CatalogId"],
  TableWithColumns: ["CatalogId"],
  DataLocation: ["CatalogId"],
  DataCellsFilter: ["TableCatalogId"],
  LFTag: ["CatalogId"],
  LFTagPolicy: ["CatalogId"],
  LFTagExpression: ["CatalogId"],
};

/**
 * Catalog, Database, Table, TableWithColumns, DataLocation, DataCellsFilter, LFTag, LFTagPolicy and
 * LFTagExpression resources with their catalog ids and data location mapped; names, columns and
 * tag expressions are the same on both sides. Shapes AWS adds later pass through unchanged.
 */
export function mapLfResource(resource: Json, rules: MappingRules): Json {
  const out: Json = {};
  for (const [kind, value] of Object.entries(resource)) {
    if (!isObject(value)) {
      out[kind] = value;
      continue;
    }
    const mapped: Json = { ...value };
    for (const field of catalogIdFields[kind] ?? []) {
      const id = mapped[field];
      if (typeof id === "string") mapped[field] = mapCatalogId(id, rules);
    }
    if (kind === "DataLocation" && typeof mapped.ResourceArn === "string")
      mapped.ResourceArn = mapS3Arn(mapped.ResourceArn, rules);
    out[kind] = mapped;
  }
  return out;
}

/**
 * The database and table a resource names, for include/exclude filters (undefined: catalog-wide,
 * e.g. Catalog, DataLocation, LFTag). A TableWildcard grant is database-wide: no table.
 */
export function resourceScope(resource: Json): { database: string; table?: string } | undefined {
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  if (isObject(resource.Database)) {
    const database = str(resource.Database.Name);
    return database === undefined ? undefined : { database };
  }
  for (const kind of ["Table", "TableWithColumns", "DataCellsFilter"] as const) {
    const value = resource[kind];
    if (!isObject(value)) continue;
    const database = str(value.DatabaseName);
    if (database === undefined) return undefined;
    // A DataCellsFilter's Name is the filter's; its table is TableName.
    const table = kind === "DataCellsFilter" ? str(value.TableName) : str(value.Name);
    return table === undefined ? { database } : { database, table };
  }
  return undefined;
}

/** Undefined when the resource is replicated, else the reason it is not. */
export function excludedResource(resource: Json, rules: MappingRules): string | undefined {
  const scope = resourceScope(resource);
  if (scope === undefined || isIncluded(rules, scope.database, scope.table)) return undefined;
  const { database, table } = scope;
  return `${table === undefined ? `database ${database}` : `table ${database}.${table}`} is excluded by the filters`;
}

/**
 * RegisterResource / UpdateResource / DeregisterResource inputs and ListResources rows: the S3
 * ARN maps by bucket, the registration role like any principal.
 */
export function mapRegisteredLocation(location: Json, rules: MappingRules): Json {
  const out: Json = { ...location };
  if (typeof out.ResourceArn === "string") out.ResourceArn = mapS3Arn(out.ResourceArn, rules);
  if (typeof out.RoleArn === "string") out.RoleArn = mapPrincipal(out.RoleArn, rules);
  return out;
}
