// The DDL lakesync sends to Snowflake, as immutable data. plan.ts builds it, render.ts is the only
// place that turns it into SQL text (and the only place that quotes).
import type { FileFormat } from "./file-format.ts";

/** Unquoted name parts, e.g. ["sales", "public", "orders"]. */
export type ObjectName = readonly string[];

/** How a virtual column reads its value. */
export type ColumnSource =
  /** A field of the row variant: `value:<key>` (JSON/Parquet/ORC/Avro) or `value:c<n>` (CSV). */
  | { kind: "field"; key: string }
  /**
   * A folder of the file's path (`metadata$filename`: the object key, stage URL prefix included) at
   * 1-based `segment`; a hive-style `key=value` folder yields the part after `key=`, a plain folder
   * yields itself. `unescape`: decode Hive's `%XX` path escapes (string and timestamp keys).
   */
  | { kind: "pathSegment"; segment: number; hiveKey: string; unescape?: boolean };

export interface VirtualColumn {
  name: string;
  /** Snowflake type, e.g. NUMBER(10,0), VARCHAR, VARIANT. */
  type: string;
  source: ColumnSource;
}

export interface ExternalTableDefinition {
  name: ObjectName;
  columns: readonly VirtualColumn[];
  /** Names of the partition columns (they are also in `columns`), in PARTITION BY order. */
  partitionBy: readonly string[];
  location: { stage: ObjectName; path: string };
  fileFormat: FileFormat;
  autoRefresh: boolean;
  /** Glue's table Description (or its `comment` parameter). */
  comment?: string;
}

export type Statement =
  | { kind: "createExternalTable"; orReplace: boolean; copyGrants: boolean; table: ExternalTableDefinition }
  /** IF NOT EXISTS / IF EXISTS: a redelivered event must not fail on a column already changed. */
  | { kind: "addColumn"; table: ObjectName; column: VirtualColumn }
  /** `exact`: the name as Snowflake stores it (from INFORMATION_SCHEMA), so always double-quoted. */
  | { kind: "dropColumn"; table: ObjectName; column: string; exact?: boolean }
  | { kind: "dropExternalTable"; table: ObjectName }
  /** Text produced by compat mode (the seed's template), passed through untouched. */
  | { kind: "verbatim"; sql: string };
