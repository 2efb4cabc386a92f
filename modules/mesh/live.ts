// One account's live Lake Formation and Glue state as the mesh planner compares it: built from
// the catalog reader's snapshot records (modules/aws/catalog-reader.ts), so resources are in
// the reader's normal form (the account's own CatalogId left out, lists sorted).
import type {
  Json,
  PermissionValue,
  SnapshotRecord,
  TableValue,
  TagAssignmentValue,
} from "../catalog/model.ts";
import { recordKeys } from "../catalog/model.ts";

export interface LiveCatalog {
  account: string;
  settings: Json;
  /** Key -> allowed values. */
  lfTags: Record<string, string[]>;
  /** Database name -> DatabaseInput. */
  databases: Map<string, Json>;
  /** `database/table` -> table. */
  tables: Map<string, TableValue>;
  /** recordKeys.tagAssignment -> directly assigned tags. */
  tagAssignments: Map<string, TagAssignmentValue>;
  /** recordKeys.permission -> grant. */
  permissions: Map<string, PermissionValue>;
  /** RAM resource share invitations the account received (read for consumers). */
  invitations: ShareInvitation[];
}

export interface ShareInvitation {
  arn: string;
  shareName: string;
  sender: string;
  status: string;
}

export function emptyCatalog(account: string): LiveCatalog {
  return {
    account,
    settings: {},
    lfTags: {},
    databases: new Map(),
    tables: new Map(),
    tagAssignments: new Map(),
    permissions: new Map(),
    invitations: [],
  };
}

/** Folds snapshot records into a LiveCatalog. */
export function liveCatalogOf(account: string, records: Iterable<SnapshotRecord>): LiveCatalog {
  const live = emptyCatalog(account);
  for (const record of records) {
    switch (record.kind) {
      case "dataLakeSettings":
        live.settings = record.value;
        break;
      case "lfTag":
        live.lfTags[record.value.TagKey] = record.value.TagValues;
        break;
      case "database":
        live.databases.set(String(record.value.Name), record.value);
        break;
      case "table":
        live.tables.set(record.key, record.value);
        break;
      case "tagAssignment":
        live.tagAssignments.set(record.key, record.value);
        break;
      case "permission":
        live.permissions.set(record.key, record.value);
        break;
      default:
        break;
    }
  }
  return live;
}

export const tableKey = (database: string, table: string) => recordKeys.table(database, table);

/** A Glue table that is a resource link (TargetTable), not data. */
export const isResourceLink = (table: TableValue) => table.TableInput.TargetTable !== undefined;

/** The tables of a database, resource links left out, by name. */
export function dataTablesOf(live: LiveCatalog, database: string): string[] {
  return [...live.tables.values()]
    .filter((t) => t.DatabaseName === database && !isResourceLink(t))
    .map((t) => String(t.TableInput.Name))
    .sort();
}
