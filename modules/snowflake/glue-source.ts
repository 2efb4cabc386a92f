// The port the Snowflake sync reads Glue tables through. modules/aws/snowflake-glue-source.ts is
// the AWS implementation; tests of the core may pass any other.
import type { GlueTable } from "./glue-table.ts";

export interface TableRef {
  database: string;
  name: string;
  catalogId?: string;
}

export interface GlueTableSource {
  /** The table now, or undefined when it does not exist. */
  getTable(ref: TableRef): Promise<GlueTable | undefined>;
  /** The version before `current` (Glue keeps one per UpdateTable), unless it was deleted. */
  getPreviousVersion(ref: TableRef, current: GlueTable): Promise<GlueTable | undefined>;
  databases(catalogId?: string): AsyncIterable<string>;
  tables(database: string, catalogId?: string): AsyncIterable<GlueTable>;
}
