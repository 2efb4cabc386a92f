// Lake Formation Resource values (Catalog, Database, Table, TableWithColumns, DataLocation,
// DataCellsFilter, LFTag, LFTagPolicy, LFTagExpression): catalog ids and S3 ARNs mapped, and the
// database/table they name for the include/exclude filters.
import { isIncluded, type MappingRules, mapAccount, mapArn } from "../../mapping/mapping.ts";
import { isObject, type Json } from "./context.ts";

const catalogIdFields = new Set(["CatalogId", "TableCatalogId"]);

export function mapLfResource(resource: Json, rules: MappingRules): Json {
  const out: Json = {};
  for (const [kind, value] of Object.entries(resource)) {
    if (!isObject(value)) {
      out[kind] = value;
      continue;
    }
    const mapped: Json = { ...value };
    for (const [field, v] of Object.entries(value)) {
      if (typeof v !== "string") continue;
      if (catalogIdFields.has(field) || (kind === "Catalog" && field === "Id"))
        mapped[field] = mapAccount(v, rules);
      if (field === "ResourceArn") mapped[field] = mapArn(v, rules);
    }
    out[kind] = mapped;
  }
  return out;
}

/** The database (and table) a resource names, if any. */
export function resourceScope(resource: Json): { database?: string; table?: string } {
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  if (isObject(resource.Database)) return { database: str(resource.Database.Name) };
  for (const kind of ["Table", "TableWithColumns", "DataCellsFilter"] as const) {
    const value = resource[kind];
    if (!isObject(value)) continue;
    const table = kind === "DataCellsFilter" ? str(value.TableName) : str(value.Name);
    return { database: str(value.DatabaseName), table };
  }
  return {};
}

/** Undefined when the resource is replicated, else the reason it is not. */
export function excludedResource(resource: Json, rules: MappingRules): string | undefined {
  const { database, table } = resourceScope(resource);
  if (database === undefined || isIncluded(rules, database, table)) return undefined;
  return `${table === undefined ? `database ${database}` : `table ${database}.${table}`} is excluded by the filters`;
}
