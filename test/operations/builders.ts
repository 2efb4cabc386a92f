// TargetOperation builders shared by the executor's unit and local-AWS tests, so each test reads as
// the catalog change it makes rather than as SDK input boilerplate.
import {
  type CatalogLocation,
  Phase,
  resourceKeys,
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
  return {
    target: at,
    service: "glue",
    operation: "CreateDatabase",
    input: { DatabaseInput: { Name: name } },
    resourceKey: resourceKeys.database(at.account, name),
    idempotency: "create",
    phase: Phase.databases,
    description: `create database ${name}`,
  };
}

export function deleteDatabase(at: CatalogLocation, name: string): TargetOperation {
  return {
    ...createDatabase(at, name),
    operation: "DeleteDatabase",
    input: { Name: name },
    idempotency: "delete",
    description: `delete database ${name}`,
  };
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
  const TableInput = tableInput(name, columns);
  const base = {
    target: at,
    service: "glue" as const,
    resourceKey: resourceKeys.table(at.account, db, name),
    phase: Phase.tables,
  };
  return {
    ...base,
    operation: "CreateTable",
    input: { DatabaseName: db, TableInput },
    idempotency: "create",
    description: `create table ${db}.${name}`,
    onExists: {
      ...base,
      operation: "UpdateTable",
      input: { DatabaseName: db, TableInput },
      idempotency: "upsert",
      description: `update table ${db}.${name}`,
    },
  };
}

export function deleteTable(at: CatalogLocation, db: string, name: string): TargetOperation {
  return {
    target: at,
    service: "glue",
    operation: "DeleteTable",
    input: { DatabaseName: db, Name: name },
    resourceKey: resourceKeys.table(at.account, db, name),
    idempotency: "delete",
    phase: Phase.tables,
    description: `delete table ${db}.${name}`,
  };
}

export function partitionInput(table: string, values: string[], extra: Record<string, string> = {}) {
  return {
    Values: values,
    StorageDescriptor: storage(["id"], `s3://lake/${table}/dt=${values[0]}/`),
    Parameters: extra,
  };
}

export function createPartitions(
  at: CatalogLocation,
  db: string,
  table: string,
  valueLists: string[][],
  options: { updateExisting?: boolean; parameters?: Record<string, string> } = {},
): TargetOperation {
  const base = {
    target: at,
    service: "glue" as const,
    resourceKey: `${resourceKeys.table(at.account, db, table)}#partitions:${valueLists.map((v) => v.join("/")).join(",")}`,
    phase: Phase.partitions,
  };
  return {
    ...base,
    operation: "BatchCreatePartition",
    input: {
      DatabaseName: db,
      TableName: table,
      PartitionInputList: valueLists.map((values) => partitionInput(table, values, options.parameters)),
    },
    idempotency: "create",
    description: `create ${valueLists.length} partitions of ${db}.${table}`,
    ...(options.updateExisting
      ? {
          onExists: {
            ...base,
            operation: "BatchUpdatePartition",
            input: { DatabaseName: db, TableName: table },
            idempotency: "upsert" as const,
            description: `update existing partitions of ${db}.${table}`,
          },
        }
      : {}),
  };
}

export function deletePartitions(
  at: CatalogLocation,
  db: string,
  table: string,
  valueLists: string[][],
): TargetOperation {
  return {
    target: at,
    service: "glue",
    operation: "BatchDeletePartition",
    input: {
      DatabaseName: db,
      TableName: table,
      PartitionsToDelete: valueLists.map((Values) => ({ Values })),
    },
    resourceKey: `${resourceKeys.table(at.account, db, table)}#partitions-delete:${valueLists.map((v) => v.join("/")).join(",")}`,
    idempotency: "delete",
    phase: Phase.partitions,
    description: `delete ${valueLists.length} partitions of ${db}.${table}`,
  };
}

export function grantOnTable(
  at: CatalogLocation,
  principal: string,
  db: string,
  table: string,
  permissions: string[],
  grantable: string[] = [],
): TargetOperation {
  const Resource = { Table: { DatabaseName: db, Name: table } };
  return {
    target: at,
    service: "lakeformation",
    operation: "GrantPermissions",
    input: {
      Principal: { DataLakePrincipalIdentifier: principal },
      Resource,
      Permissions: permissions,
      PermissionsWithGrantOption: grantable,
    },
    resourceKey: resourceKeys.permission(principal, Resource),
    idempotency: "grant",
    phase: Phase.permissions,
    description: `grant ${permissions.join(",")} on ${db}.${table} to ${principal}`,
  };
}

export function revokeOnTable(
  at: CatalogLocation,
  principal: string,
  db: string,
  table: string,
  permissions: string[],
) {
  const grant = grantOnTable(at, principal, db, table, permissions);
  return {
    ...grant,
    operation: "RevokePermissions",
    idempotency: "revoke",
    description: `revoke ${permissions.join(",")} on ${db}.${table} from ${principal}`,
  } satisfies TargetOperation;
}

export function mergeAdmins(
  at: CatalogLocation,
  admins: string[],
  keepAdmins: string[] = [],
): TargetOperation {
  return {
    target: at,
    service: "lakeformation",
    operation: "PutDataLakeSettings",
    input: {
      DataLakeSettings: {
        DataLakeAdmins: admins.map((DataLakePrincipalIdentifier) => ({ DataLakePrincipalIdentifier })),
      },
      __merge: { keepAdmins },
    },
    resourceKey: resourceKeys.settings(at.account),
    idempotency: "merge",
    phase: Phase.settings,
    description: `merge data lake admins ${admins.join(",")}`,
  };
}
