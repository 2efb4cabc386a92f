// TargetOperation builders shared by the executor's unit and local-AWS tests, so each test reads as
// the catalog change it makes rather than as SDK input boilerplate. They are the product's builders
// (modules/operations/build/) with the tests' defaults.
import * as build from "../../modules/operations/build/index.ts";
import {
  type CatalogLocation,
  type OperationOf,
  rewritten,
  type TargetOperation,
} from "../../modules/operations/operation.ts";

export function target(account = "111122223333", region = "us-east-1"): CatalogLocation {
  return { name: "test-target", account, region };
}

const storage = (columns: string[], location: string) => ({
  Columns: columns.map((Name) => ({ Name, Type: "string" })),
  Location: location,
});

export function createDatabase(at: CatalogLocation, name: string): TargetOperation {
  return build.createDatabase({ target: at }, { Name: name });
}

export function deleteDatabase(at: CatalogLocation, name: string): TargetOperation {
  return build.deleteDatabase({ target: at }, name);
}

export function tableInput(name: string, columns: string[]) {
  return {
    Name: name,
    TableType: "EXTERNAL_TABLE",
    PartitionKeys: [{ Name: "dt", Type: "string" }],
    StorageDescriptor: storage(columns, `s3://lake/${name}/`),
  };
}

/** CreateTable that falls back to UpdateTable when the table exists (restore/sync semantics). */
export function createTable(
  at: CatalogLocation,
  db: string,
  name: string,
  columns: string[],
): TargetOperation {
  return build.createOrUpdateTable(
    { target: at },
    { DatabaseName: db, TableInput: tableInput(name, columns) },
  );
}

export function deleteTable(at: CatalogLocation, db: string, name: string): TargetOperation {
  return build.deleteTable({ target: at }, db, name);
}

export function partitionInput(table: string, values: string[], extra: Record<string, string> = {}) {
  return {
    Values: values,
    StorageDescriptor: storage(["id"], `s3://lake/${table}/dt=${values[0]}/`),
    Parameters: extra,
  };
}

/** One BatchCreatePartition, keyed by its first partition (so it does not wait for its table). */
export function createPartitions(
  at: CatalogLocation,
  db: string,
  table: string,
  valueLists: string[][],
  options: { updateExisting?: boolean; parameters?: Record<string, string> } = {},
): TargetOperation {
  const partitions = valueLists.map((values) => partitionInput(table, values, options.parameters));
  const make = options.updateExisting ? build.batchCreateOrUpdatePartitions : build.batchCreatePartitions;
  const [operation] = make({ target: at }, { DatabaseName: db, TableName: table }, partitions, {
    keyBy: "firstEntry",
  });
  // All the partitions in one operation, even past the API limit: the executor's chunking is tested.
  return rewritten(operation as TargetOperation, {
    input: { ...operation?.input, PartitionInputList: partitions },
    description: `create ${partitions.length} partition(s) of ${db}.${table}`,
  });
}

export function deletePartitions(
  at: CatalogLocation,
  db: string,
  table: string,
  valueLists: string[][],
): TargetOperation {
  const [operation] = build.batchDeletePartitions(
    { target: at },
    { DatabaseName: db, TableName: table },
    valueLists.map((Values) => ({ Values })),
    { keyBy: "firstEntry" },
  );
  return operation as TargetOperation;
}

const onTable = (
  principal: string,
  db: string,
  table: string,
  permissions: string[],
  grantable?: string[],
) => ({
  Principal: { DataLakePrincipalIdentifier: principal },
  Resource: { Table: { DatabaseName: db, Name: table } },
  Permissions: permissions,
  ...(grantable ? { PermissionsWithGrantOption: grantable } : {}),
});

export function grantOnTable(
  at: CatalogLocation,
  principal: string,
  db: string,
  table: string,
  permissions: string[],
  grantable: string[] = [],
): OperationOf<"GrantPermissions"> {
  return build.grantPermissions({ target: at }, onTable(principal, db, table, permissions, grantable));
}

export function revokeOnTable(
  at: CatalogLocation,
  principal: string,
  db: string,
  table: string,
  permissions: string[],
): OperationOf<"RevokePermissions"> {
  return build.revokePermissions({ target: at }, onTable(principal, db, table, permissions, []));
}

export function mergeAdmins(
  at: CatalogLocation,
  admins: string[],
  keepAdmins: string[] = [],
): OperationOf<"PutDataLakeSettings"> {
  const DataLakeAdmins = admins.map((DataLakePrincipalIdentifier) => ({ DataLakePrincipalIdentifier }));
  return build.putDataLakeSettings({ target: at }, { DataLakeAdmins }, { keepAdmins });
}
