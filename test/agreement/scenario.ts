// A generated lifecycle of source writes that makes every replicated event at least once: data
// lake settings, a registered location, a database, a partitioned table and its partitions, an LF
// tag and its assignment, grants (single and batch) and revokes, a data cells filter, and the
// deletes. fast-check picks the names, columns, partition values, permissions, tag values,
// principals and filters within bounds AWS accepts.
import fc from "fast-check";
import type { EventName } from "../../modules/replication/change.ts";
import { role, SOURCE_BUCKET, type SourceWrite } from "./support.ts";

type Json = Record<string, unknown>;

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);
const names = (min: number, max: number) => fc.uniqueArray(name, { minLength: min, maxLength: max });
const word = fc.stringMatching(/^[a-z0-9]{1,6}$/);
const words = (min: number, max: number) => fc.uniqueArray(word, { minLength: min, maxLength: max });
const parameters = fc.dictionary(fc.stringMatching(/^[a-z][a-z.]{0,8}$/), word, { maxKeys: 3 });
const columnType = fc.constantFrom("string", "bigint", "int", "double", "boolean", "date", "timestamp");
const tablePermissions = ["SELECT", "INSERT", "DELETE", "DESCRIBE", "ALTER", "DROP"] as const;
const databasePermissions = ["CREATE_TABLE", "ALTER", "DROP", "DESCRIBE"] as const;
/** Principals: `analyst` is in the principal map, the others map by account. */
const principalNames = ["analyst", "etl", "auditor"] as const;

const subset = <T>(items: readonly T[], min = 1) =>
  fc.subarray([...items], { minLength: min }).map((picked) => [...picked].sort());

/** How a settings write names a list: left out (AWS then holds it empty), empty, or with entries. */
const listForm = fc.constantFrom("omitted", "empty", "set");
const settingsWrite = (minAdmins: number) =>
  fc.record({
    admins: subset(["LakeAdmin", "PlatformAdmin", "analyst", "BreakGlass", "etl"], minAdmins),
    databaseDefaults: listForm,
    tableDefaults: listForm,
    trustedOwners: listForm,
  });
type SettingsWrite = typeof settingsWrite extends (n: number) => fc.Arbitrary<infer T> ? T : never;

export const scenarioParameters = fc.record({
  /** The two settings writes: the second may drop admins, name none, or leave lists out. */
  settings: fc.tuple(settingsWrite(1), settingsWrite(0)),
  locationPrefix: name,
  databases: names(2, 2),
  databaseParameters: parameters,
  description: word,
  tables: names(3, 4),
  // Prefixed so that no data column takes a partition key's name (pk_a, pk_b).
  columns: names(2, 4).chain((columnNames) =>
    fc.tuple(...columnNames.map((column) => columnType.map((Type) => ({ Name: `c_${column}`, Type })))),
  ),
  extraColumn: name.map((column) => `c_${column}`),
  partitionKeys: fc.integer({ min: 1, max: 2 }),
  partitionValues: fc.uniqueArray(fc.tuple(word, word), {
    minLength: 4,
    maxLength: 6,
    selector: ([a, b]) => `${a}/${b}`,
  }),
  partitionParameters: parameters,
  tagKeys: names(2, 2),
  tagValues: words(2, 4),
  tagValuesToAdd: words(1, 2),
  tagOnColumn: fc.boolean(),
  grantee: fc.constantFrom(...principalNames),
  /** What the single grant and revoke name: every Lake Formation resource shape but a filter's. */
  grantOn: fc.constantFrom("table", "database", "columns", "catalog", "dataLocation", "lfTag", "lfTagPolicy"),
  granted: subset(tablePermissions),
  grantable: fc.boolean(),
  batchGrantees: subset(principalNames),
  databaseGranted: subset(databasePermissions),
  filterName: name,
  /** A row filter on the first column, or all rows. */
  rowFilterValue: fc.option(word, { nil: undefined }),
});

export type ScenarioParameters = typeof scenarioParameters extends fc.Arbitrary<infer T> ? T : never;

const storage = (path: string, columns: Json[]) => ({
  Columns: columns,
  Location: `s3://${SOURCE_BUCKET}/${path}`,
  InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
  OutputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
  SerdeInfo: {
    SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
    Parameters: { path: `s3://${SOURCE_BUCKET}/${path}` },
  },
});

/**
 * A PutDataLakeSettings input. AWS replaces the whole settings object, so a list the write leaves
 * out is empty afterwards and an admin it leaves out is no longer one: both paths must follow
 * (only protected admins stay, and the agreement's mapping protects none).
 */
function settingsInput(account: string, write: SettingsWrite): Json {
  const principal = (who: string) => ({ DataLakePrincipalIdentifier: role(account, who) });
  const list = (form: SettingsWrite["databaseDefaults"], entries: unknown[]) =>
    form === "omitted" ? undefined : form === "empty" ? [] : entries;
  const settings: Json = {
    DataLakeAdmins: write.admins.map(principal),
    CreateDatabaseDefaultPermissions: list(write.databaseDefaults, [
      { Principal: { DataLakePrincipalIdentifier: "IAM_ALLOWED_PRINCIPALS" }, Permissions: ["ALL"] },
    ]),
    // `analyst` is in the principal map: the mapped default names analyst-dr.
    CreateTableDefaultPermissions: list(write.tableDefaults, [
      { Principal: principal("analyst"), Permissions: ["SELECT"] },
    ]),
    TrustedResourceOwners: list(write.trustedOwners, [account]),
  };
  return {
    DataLakeSettings: Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)),
  };
}

export function scenario(account: string, p: ScenarioParameters): SourceWrite[] {
  const write = (event: EventName, input: Json): SourceWrite => ({ event, input });
  const principal = (who: string) => ({ DataLakePrincipalIdentifier: role(account, who) });
  const [db, scratchDb] = p.databases as [string, string];
  const [table, ...scratchTables] = p.tables as [string, ...string[]];
  const partitionKeys = ["pk_a", "pk_b"].slice(0, p.partitionKeys).map((Name) => ({ Name, Type: "string" }));
  const columns = p.columns;
  const columnNames = columns.map((c) => c.Name);
  const moreColumns = columnNames.includes(p.extraColumn)
    ? columns
    : [...columns, { Name: p.extraColumn, Type: "string" }];
  const tableInput = (cols: Json[], extra: Json = {}) => ({
    Name: table,
    TableType: "EXTERNAL_TABLE",
    Parameters: { EXTERNAL: "TRUE", classification: "parquet" },
    PartitionKeys: partitionKeys,
    StorageDescriptor: storage(`${db}/${table}/`, cols),
    ...extra,
  });
  const values = p.partitionValues.map((pair) => pair.slice(0, p.partitionKeys));
  const partition = (vals: string[], parameters: Json = {}) => ({
    Values: vals,
    StorageDescriptor: storage(`${db}/${table}/${vals.join("/")}/`, moreColumns),
    Parameters: parameters,
  });
  const inTable = { DatabaseName: db, TableName: table };
  const tableResource = { Table: { DatabaseName: db, Name: table } };
  const [tag, scratchTag] = p.tagKeys as [string, string];
  const [firstValue] = p.tagValues as [string, ...string[]];
  const addedValues = p.tagValuesToAdd.filter((v) => !p.tagValues.includes(v));
  const tagResource = p.tagOnColumn
    ? { TableWithColumns: { DatabaseName: db, Name: table, ColumnNames: [columnNames[0]] } }
    : tableResource;
  const location = `arn:aws:s3:::${SOURCE_BUCKET}/${p.locationPrefix}`;
  const filter = (rowFilter: string | undefined, filterColumns: string[]) => ({
    TableData: {
      TableCatalogId: account,
      DatabaseName: db,
      TableName: table,
      Name: p.filterName,
      RowFilter: rowFilter ? { FilterExpression: rowFilter } : { AllRowsWildcard: {} },
      ColumnNames: filterColumns,
    },
  });
  // The grant's resource and the permissions that resource takes.
  const grant = (() => {
    switch (p.grantOn) {
      case "table":
        return { resource: tableResource, permissions: p.granted };
      case "database":
        return { resource: { Database: { Name: db } }, permissions: p.databaseGranted };
      case "columns":
        return {
          resource: {
            TableWithColumns: { DatabaseName: db, Name: table, ColumnNames: columnNames.slice(0, 2) },
          },
          permissions: ["SELECT"],
        };
      case "catalog":
        return { resource: { Catalog: {} }, permissions: ["CREATE_DATABASE"] };
      case "dataLocation":
        return {
          resource: { DataLocation: { ResourceArn: location } },
          permissions: ["DATA_LOCATION_ACCESS"],
        };
      case "lfTag":
        return {
          resource: { LFTag: { TagKey: tag, TagValues: [firstValue] } },
          permissions: ["DESCRIBE", "ASSOCIATE"],
        };
      case "lfTagPolicy":
        return {
          resource: {
            LFTagPolicy: { ResourceType: "TABLE", Expression: [{ TagKey: tag, TagValues: [firstValue] }] },
          },
          permissions: ["SELECT", "DESCRIBE"],
        };
    }
  })();
  const revoked = grant.permissions.slice(0, Math.max(1, grant.permissions.length - 1));

  return [
    write("PutDataLakeSettings", settingsInput(account, p.settings[0])),
    write("PutDataLakeSettings", settingsInput(account, p.settings[1])),
    write("RegisterResource", { ResourceArn: location, RoleArn: role(account, "lf-access") }),
    write("CreateDatabase", {
      DatabaseInput: {
        Name: db,
        LocationUri: `s3://${SOURCE_BUCKET}/${db}/`,
        Parameters: p.databaseParameters,
      },
    }),
    write("UpdateDatabase", {
      Name: db,
      DatabaseInput: { Name: db, LocationUri: `s3://${SOURCE_BUCKET}/${db}/`, Description: p.description },
    }),
    write("CreateTable", { DatabaseName: db, TableInput: tableInput(columns) }),
    write("UpdateTable", {
      DatabaseName: db,
      TableInput: tableInput(moreColumns, { Description: p.description }),
    }),
    write("CreatePartition", { ...inTable, PartitionInput: partition(values[0]!) }),
    write("BatchCreatePartition", {
      ...inTable,
      PartitionInputList: values.slice(1).map((v) => partition(v)),
    }),
    write("UpdatePartition", {
      ...inTable,
      PartitionValueList: values[0],
      PartitionInput: partition(values[0]!, p.partitionParameters),
    }),
    write("BatchUpdatePartition", {
      ...inTable,
      Entries: [{ PartitionValueList: values[1], PartitionInput: partition(values[1]!, { updated: "yes" }) }],
    }),
    write("DeletePartition", { ...inTable, PartitionValues: values[2] }),
    write("BatchDeletePartition", { ...inTable, PartitionsToDelete: [{ Values: values[3] }] }),
    write("CreateLFTag", { TagKey: tag, TagValues: p.tagValues }),
    write("UpdateLFTag", {
      TagKey: tag,
      ...(addedValues.length ? { TagValuesToAdd: addedValues } : {}),
      TagValuesToDelete: p.tagValues.slice(1, 2),
    }),
    write("AddLFTagsToResource", {
      Resource: tagResource,
      LFTags: [{ TagKey: tag, TagValues: [firstValue] }],
    }),
    write("RemoveLFTagsFromResource", {
      Resource: tagResource,
      LFTags: [{ TagKey: tag, TagValues: [firstValue] }],
    }),
    write("AddLFTagsToResource", {
      Resource: { Database: { Name: db } },
      LFTags: [{ TagKey: tag, TagValues: [firstValue] }],
    }),
    write("CreateLFTag", { TagKey: scratchTag, TagValues: ["x"] }),
    write("DeleteLFTag", { TagKey: scratchTag }),
    write("GrantPermissions", {
      Principal: principal(p.grantee),
      Resource: grant.resource,
      Permissions: grant.permissions,
      PermissionsWithGrantOption: p.grantable ? grant.permissions : [],
    }),
    write("RevokePermissions", {
      Principal: principal(p.grantee),
      Resource: grant.resource,
      Permissions: revoked,
      PermissionsWithGrantOption: p.grantable ? revoked : [],
    }),
    write("BatchGrantPermissions", {
      Entries: p.batchGrantees.map((who, i) => ({
        Id: String(i),
        Principal: principal(who),
        Resource: { Database: { Name: db } },
        Permissions: p.databaseGranted,
      })),
    }),
    write("BatchRevokePermissions", {
      Entries: [
        {
          Id: "0",
          Principal: principal(p.batchGrantees[0]!),
          Resource: { Database: { Name: db } },
          Permissions: p.databaseGranted.slice(0, 1),
        },
      ],
    }),
    write(
      "CreateDataCellsFilter",
      filter(
        p.rowFilterValue === undefined ? undefined : `${columnNames[0]} = '${p.rowFilterValue}'`,
        columnNames.slice(0, 1),
      ),
    ),
    write("UpdateDataCellsFilter", filter(undefined, columnNames)),
    write("DeleteDataCellsFilter", {
      TableCatalogId: account,
      DatabaseName: db,
      TableName: table,
      Name: p.filterName,
    }),
    write("DeregisterResource", { ResourceArn: location }),
    ...scratchTables.map((scratch) =>
      write("CreateTable", { DatabaseName: db, TableInput: { Name: scratch, TableType: "EXTERNAL_TABLE" } }),
    ),
    write("DeleteTable", { DatabaseName: db, Name: scratchTables[0] }),
    write("BatchDeleteTable", { DatabaseName: db, TablesToDelete: scratchTables.slice(1) }),
    write("CreateDatabase", { DatabaseInput: { Name: scratchDb } }),
    write("DeleteDatabase", { Name: scratchDb }),
  ];
}
