// Decodes a validated CloudTrail record into a CatalogChange, or says why there is none:
// failed or read-only source calls are ignored, other events are unsupported, omitted request
// parameters become source reads (refetch), and failed entries of a source batch are dropped so
// only what really happened in the source is replayed.
import { resourceKeys } from "../operations/operation.ts";
import {
  type CatalogChange,
  type ChangeSource,
  type Decoded,
  type EventName,
  glueEvents,
  lakeFormationEvents,
  type SourceRead,
} from "./change.ts";
import type { CloudTrailRecord } from "./cloudtrail-record.ts";
import { type ServiceName, translateRequest } from "./translate.ts";

type Json = Record<string, unknown>;

const serviceBySource: Record<string, ServiceName> = {
  "glue.amazonaws.com": "glue",
  "lakeformation.amazonaws.com": "lakeformation",
};

const eventsByService: Record<ServiceName, readonly string[]> = {
  glue: glueEvents,
  lakeformation: lakeFormationEvents,
};

/** The request parameters were omitted and no source read can recover them (e.g. a delete). */
export class UnrecoverableEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnrecoverableEventError";
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const omissionKeys = new Set(["omitted", "originalSize", "reason"]);

/**
 * CloudTrail replaces a truncated field with `{omitted: true, originalSize?, reason?}`. The string
 * "true" is accepted only in that exact marker shape, so a map entry such as a table parameter
 * named "omitted" is not mistaken for one.
 */
function hasOmitted(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasOmitted);
  if (!isObject(value)) return false;
  if (value.omitted === true) return true;
  if (value.omitted === "true" && Object.keys(value).every((k) => omissionKeys.has(k))) return true;
  return Object.values(value).some(hasOmitted);
}

export function sourceOf(record: CloudTrailRecord): ChangeSource {
  return {
    eventId: record.eventID,
    eventName: record.eventName,
    eventTime: new Date(record.eventTime).toISOString(),
    account: record.recipientAccountId,
    region: record.awsRegion,
  };
}

/** Read APIs by name, for records that do not say `readOnly` (GetTable, ListLFTags, SearchTables...). */
const readApiName = /^(Get|List|Describe|Search|BatchGet)[A-Z]/;

/** A call that changed nothing, whatever the service: it failed, or it only read. */
function unchanging(record: CloudTrailRecord): string | undefined {
  if (record.errorCode) return `the source call failed (${record.errorCode}); nothing changed`;
  if (record.readOnly === true || readApiName.test(record.eventName))
    return `${record.eventName} is a read-only event`;
  return undefined;
}

/**
 * `requestParameters` CloudTrail did not keep whole: only the truncation markers
 * (`{"omitted": true, "originalSize": ...}`), or a truncated field anywhere inside.
 */
function parametersOmitted(params: Json): boolean {
  const keys = Object.keys(params);
  if (keys.length > 0 && keys.every((key) => omissionKeys.has(key))) return true;
  return hasOmitted(params);
}

export function toChange(record: CloudTrailRecord): Decoded {
  const nothingChanged = unchanging(record);
  if (nothingChanged) return { outcome: "ignore", reason: nothingChanged };
  const service = serviceBySource[record.eventSource];
  const name = record.eventName;
  if (!service || !eventsByService[service].includes(name)) {
    return { outcome: "unsupported", reason: `${record.eventSource} ${name} is not replicated` };
  }
  const source = sourceOf(record);
  const params = record.requestParameters;
  if (!params || parametersOmitted(params)) {
    return {
      outcome: "refetch",
      reason: "CloudTrail omitted the request parameters; the object is re-read from the source",
      source,
      reads: refetchReads(name as EventName, params ?? {}, record),
    };
  }
  const input = translateRequest(service, name, params);
  const change = { kind: name, source, input } as CatalogChange;
  return withoutFailedEntries(change, record.responseElements ?? undefined);
}

const sameValues = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function failedEntries(response: Json | undefined, listKey: string, valueKey: string): unknown[] {
  const list = response?.[listKey];
  if (!Array.isArray(list)) return [];
  return list.map((entry) => {
    if (!isObject(entry)) return undefined;
    if (valueKey.includes(".")) {
      const [outer, inner] = valueKey.split(".") as [string, string];
      const nested = entry[outer];
      return isObject(nested) ? nested[inner] : undefined;
    }
    return entry[valueKey];
  });
}

/** Drops the entries of a source batch call that failed there (responseElements errors/failures),
 * and the tags an LF tag assignment call failed on. */
function withoutFailedEntries(change: CatalogChange, response: Json | undefined): Decoded {
  const keep = <T>(entries: T[], failed: unknown[], key: (entry: T) => unknown): T[] =>
    failed.length === 0 ? entries : entries.filter((e) => !failed.some((f) => sameValues(f, key(e))));
  let remaining: number | undefined;
  switch (change.kind) {
    case "BatchCreatePartition": {
      const failed = failedEntries(response, "errors", "partitionValues");
      change.input.PartitionInputList = keep(change.input.PartitionInputList, failed, (p) => p.Values);
      remaining = change.input.PartitionInputList.length;
      break;
    }
    case "BatchUpdatePartition": {
      const failed = failedEntries(response, "errors", "partitionValueList");
      change.input.Entries = keep(change.input.Entries, failed, (e) => e.PartitionValueList);
      remaining = change.input.Entries.length;
      break;
    }
    case "BatchDeletePartition": {
      const failed = failedEntries(response, "errors", "partitionValues");
      change.input.PartitionsToDelete = keep(change.input.PartitionsToDelete, failed, (p) => p.Values);
      remaining = change.input.PartitionsToDelete.length;
      break;
    }
    case "BatchDeleteTable": {
      const failed = failedEntries(response, "errors", "tableName");
      change.input.TablesToDelete = keep(change.input.TablesToDelete, failed, (t) => t);
      remaining = change.input.TablesToDelete.length;
      break;
    }
    case "BatchGrantPermissions":
    case "BatchRevokePermissions": {
      const failed = failedEntries(response, "failures", "requestEntry.id");
      change.input.Entries = keep(change.input.Entries, failed, (e) => e.Id);
      remaining = change.input.Entries.length;
      break;
    }
    case "AddLFTagsToResource":
    case "RemoveLFTagsFromResource": {
      // Per-tag failures (an unknown key, a value the key does not allow): the call answers 200
      // with `failures: [{lFTag, error}]` and applies only the other tags.
      const failed = failedEntries(response, "failures", "lFTag.tagKey");
      change.input.LFTags = keep(change.input.LFTags, failed, (tag) =>
        isObject(tag) ? tag.TagKey : undefined,
      );
      remaining = change.input.LFTags.length;
      break;
    }
    default:
      break;
  }
  if (remaining === 0) return { outcome: "ignore", reason: "every entry of the source batch call failed" };
  return { outcome: "change", change };
}

// ---- refetch: identify the object from what CloudTrail kept, then read it from the source ----

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Database and table named by the record's resources[] ARNs: the most specific one, in any order.
 * CloudTrail lists the catalog (…:catalog) and database (…:database/db) before the table
 * (…:table/db/name), so the first Glue ARN is rarely the object the call wrote.
 */
export function fromResources(record: Pick<CloudTrailRecord, "resources">): {
  database?: string;
  table?: string;
} {
  let database: string | undefined;
  for (const resource of record.resources ?? []) {
    const match = /:glue:[^:]*:\d{12}:(table|database)\/([^/]+)(?:\/([^/]+))?$/.exec(resource.ARN ?? "");
    if (!match) continue;
    if (match[1] === "table" && match[3]) return { database: match[2], table: match[3] };
    database ??= match[2];
  }
  return database === undefined ? {} : { database };
}

function refetchReads(name: EventName, raw: Json, record: CloudTrailRecord): SourceRead[] {
  const catalogId = str(raw.catalogId);
  const catalog = catalogId ?? record.recipientAccountId;
  const withCatalog = catalogId ? { CatalogId: catalogId } : {};
  const arn = fromResources(record);
  const databaseInput = isObject(raw.databaseInput) ? raw.databaseInput : {};
  const tableInput = isObject(raw.tableInput) ? raw.tableInput : {};
  const unrecoverable = (why: string) =>
    new UnrecoverableEventError(`CloudTrail omitted the request parameters of ${name}; ${why}`);
  const glueRead = (operation: string, input: Json, resourceKey: string, description: string) => ({
    service: "glue" as const,
    operation,
    input: { ...withCatalog, ...input },
    resourceKey,
    description,
  });
  switch (name) {
    case "CreateDatabase":
    case "UpdateDatabase": {
      const db = str(databaseInput.name) ?? str(raw.name) ?? arn.database;
      if (!db) throw unrecoverable("no database name survives to re-read it");
      return [
        glueRead("GetDatabase", { Name: db }, resourceKeys.database(catalog, db), `read database ${db}`),
      ];
    }
    case "CreateTable":
    case "UpdateTable": {
      const db = str(raw.databaseName) ?? arn.database;
      const table = str(tableInput.name) ?? str(raw.name) ?? arn.table;
      if (!db || !table) throw unrecoverable("no database/table name survives to re-read it");
      return [
        glueRead(
          "GetTable",
          { DatabaseName: db, Name: table },
          resourceKeys.table(catalog, db, table),
          `read table ${db}.${table}`,
        ),
      ];
    }
    case "CreatePartition":
    case "UpdatePartition":
    case "BatchCreatePartition":
    case "BatchUpdatePartition": {
      const db = str(raw.databaseName) ?? arn.database;
      const table = str(raw.tableName) ?? arn.table;
      if (!db || !table) throw unrecoverable("no database/table name survives to re-read the partitions");
      const partitionInput = isObject(raw.partitionInput) ? raw.partitionInput : {};
      const values = raw.partitionValueList ?? partitionInput.values;
      if (Array.isArray(values) && values.every((v) => typeof v === "string")) {
        return [
          glueRead(
            "GetPartition",
            { DatabaseName: db, TableName: table, PartitionValues: values },
            resourceKeys.partition(catalog, db, table, values),
            `read partition ${db}.${table} ${JSON.stringify(values)}`,
          ),
        ];
      }
      // Which partitions changed is lost with the parameters: re-read the table's partitions.
      return [
        glueRead(
          "GetPartitions",
          { DatabaseName: db, TableName: table },
          resourceKeys.table(catalog, db, table),
          `read all partitions of ${db}.${table}`,
        ),
      ];
    }
    case "PutDataLakeSettings":
      return [
        {
          service: "lakeformation",
          operation: "GetDataLakeSettings",
          input: withCatalog,
          resourceKey: resourceKeys.settings(catalog),
          description: "read data lake settings",
        },
      ];
    case "CreateLFTag":
    case "UpdateLFTag": {
      const key = str(raw.tagKey);
      if (!key) throw unrecoverable("the tag key did not survive");
      return [
        {
          service: "lakeformation",
          operation: "GetLFTag",
          input: { ...withCatalog, TagKey: key },
          resourceKey: resourceKeys.lfTag(catalog, key),
          description: `read LF tag ${key}`,
        },
      ];
    }
    case "CreateDataCellsFilter":
    case "UpdateDataCellsFilter": {
      const data = isObject(raw.tableData) ? raw.tableData : {};
      const [tableCatalog, db, table, filter] = [
        str(data.tableCatalogId) ?? record.recipientAccountId,
        str(data.databaseName),
        str(data.tableName),
        str(data.name),
      ];
      if (!db || !table || !filter)
        throw unrecoverable("the filter's database, table and name did not survive");
      return [
        {
          service: "lakeformation",
          operation: "GetDataCellsFilter",
          input: { TableCatalogId: tableCatalog, DatabaseName: db, TableName: table, Name: filter },
          resourceKey: resourceKeys.dataCellsFilter(tableCatalog, db, table, filter),
          description: `read data cells filter ${db}.${table}/${filter}`,
        },
      ];
    }
    default:
      throw unrecoverable("there is no source read that recovers it");
  }
}
