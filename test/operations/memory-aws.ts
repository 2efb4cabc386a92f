// A small in-memory Glue + Lake Formation for the executor's unit tests: it keeps state, answers
// with AWS's error names (thrown as SDK v3 errors are: `name`, `message`, `$metadata`) and batch
// APIs' per-entry errors, and records every call and the peak number of calls in flight.
import type { TargetOperation } from "../../modules/operations/operation.ts";
import {
  commandInput,
  type OperationOutput,
  UnsupportedOperationError,
} from "../../modules/operations/runner.ts";

// biome-ignore lint/suspicious/noExplicitAny: SDK-shaped JSON, read loosely like the service does.
type Input = Record<string, any>;

export function awsError(name: string, message = name, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

interface Fault {
  matches: (op: TargetOperation) => boolean;
  error: () => Error;
  remaining: number;
}

export class MemoryAws {
  readonly databases = new Map<string, Input>();
  readonly tables = new Map<string, Input>();
  readonly partitions = new Map<string, Input>();
  readonly permissions = new Set<string>();
  readonly lfTags = new Map<string, string[]>();
  settings: Input = { DataLakeAdmins: [] };
  readonly calls: { operation: string; input: Input }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly faults: Fault[] = [];

  /** The next `times` calls matching `matches` throw `error()` instead of running. */
  failWith(matches: (op: TargetOperation) => boolean, error: () => Error, times = 1): this {
    this.faults.push({ matches, error, remaining: times });
    return this;
  }

  operations(): string[] {
    return this.calls.map((c) => c.operation);
  }

  readonly run = async (op: TargetOperation): Promise<OperationOutput> => {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Yield to the event loop so concurrent operations really overlap.
      await new Promise((resolve) => setImmediate(resolve));
      const input = commandInput(op.input) as Input;
      this.calls.push({ operation: op.operation, input });
      const fault = this.faults.find((f) => f.remaining > 0 && f.matches(op));
      if (fault) {
        fault.remaining -= 1;
        throw fault.error();
      }
      return this.apply(op.operation, input);
    } finally {
      this.inFlight -= 1;
    }
  };

  private apply(operation: string, input: Input): OperationOutput {
    const table = (db: string, name: string) => {
      if (!this.databases.has(db)) throw awsError("EntityNotFoundException", `Database ${db} not found.`);
      return `${db}.${name}`;
    };
    const needTable = (db: string, name: string) => {
      const key = table(db, name);
      if (!this.tables.has(key)) throw awsError("EntityNotFoundException", `Table ${name} not found.`);
      return key;
    };
    const partitionKey = (db: string, name: string, values: string[]) =>
      `${db}.${name}${JSON.stringify(values)}`;
    const permission = (entry: Input) =>
      (entry.Permissions as string[]).map(
        (p) => `${entry.Principal.DataLakePrincipalIdentifier}|${JSON.stringify(entry.Resource)}|${p}`,
      );

    switch (operation) {
      case "CreateDatabase": {
        const name = input.DatabaseInput.Name;
        if (this.databases.has(name)) throw awsError("AlreadyExistsException", "Database already exists.");
        this.databases.set(name, input.DatabaseInput);
        return {};
      }
      case "DeleteDatabase":
        if (!this.databases.delete(input.Name))
          throw awsError("EntityNotFoundException", "Database not found.");
        return {};
      case "CreateTable": {
        const key = table(input.DatabaseName, input.TableInput.Name);
        if (this.tables.has(key)) throw awsError("AlreadyExistsException", "Table already exists.");
        this.tables.set(key, input.TableInput);
        return {};
      }
      case "UpdateTable":
        this.tables.set(needTable(input.DatabaseName, input.TableInput.Name), input.TableInput);
        return {};
      case "DeleteTable":
        if (!this.tables.delete(table(input.DatabaseName, input.Name))) {
          throw awsError("EntityNotFoundException", "Table not found.");
        }
        return {};
      case "BatchCreatePartition": {
        needTable(input.DatabaseName, input.TableName);
        const Errors = [];
        for (const p of input.PartitionInputList as Input[]) {
          const key = partitionKey(input.DatabaseName, input.TableName, p.Values);
          if (this.partitions.has(key)) {
            Errors.push({
              PartitionValues: p.Values,
              ErrorDetail: { ErrorCode: "AlreadyExistsException", ErrorMessage: "Partition already exists." },
            });
          } else this.partitions.set(key, p);
        }
        return Errors.length ? { Errors } : {};
      }
      case "BatchUpdatePartition": {
        const Errors = [];
        for (const e of input.Entries as Input[]) {
          const key = partitionKey(input.DatabaseName, input.TableName, e.PartitionValueList);
          if (!this.partitions.has(key)) {
            Errors.push({
              PartitionValueList: e.PartitionValueList,
              ErrorDetail: { ErrorCode: "EntityNotFoundException", ErrorMessage: "Partition not found." },
            });
          } else this.partitions.set(key, e.PartitionInput);
        }
        return Errors.length ? { Errors } : {};
      }
      case "BatchDeletePartition": {
        const Errors = [];
        for (const p of input.PartitionsToDelete as Input[]) {
          if (!this.partitions.delete(partitionKey(input.DatabaseName, input.TableName, p.Values))) {
            Errors.push({
              PartitionValues: p.Values,
              ErrorDetail: { ErrorCode: "EntityNotFoundException", ErrorMessage: "Partition not found." },
            });
          }
        }
        return Errors.length ? { Errors } : {};
      }
      case "GrantPermissions":
        for (const p of permission(input)) this.permissions.add(p);
        return {};
      case "RevokePermissions": {
        const held = permission(input).filter((p) => this.permissions.delete(p));
        if (!held.length)
          throw awsError(
            "InvalidInputException",
            "No permissions revoked. Grantee has no permissions and no grantable permissions on resource",
          );
        return {};
      }
      case "BatchGrantPermissions":
      case "BatchRevokePermissions": {
        const Failures = [];
        for (const entry of input.Entries as Input[]) {
          if (!entry.Principal?.DataLakePrincipalIdentifier) {
            Failures.push({
              RequestEntry: entry,
              Error: { ErrorCode: "InvalidInputException", ErrorMessage: "Principal is required" },
            });
          } else if (operation === "BatchGrantPermissions") {
            for (const p of permission(entry)) this.permissions.add(p);
          } else if (!permission(entry).filter((p) => this.permissions.delete(p)).length) {
            Failures.push({
              RequestEntry: entry,
              Error: { ErrorCode: "InvalidInputException", ErrorMessage: "No permissions revoked." },
            });
          }
        }
        return { Failures };
      }
      case "GetDataLakeSettings":
        return { DataLakeSettings: structuredClone(this.settings) };
      case "PutDataLakeSettings":
        this.settings = structuredClone(input.DataLakeSettings);
        return {};
      case "GetLFTag": {
        const values = this.lfTags.get(input.TagKey);
        if (!values) throw awsError("EntityNotFoundException", "Tag key does not exist");
        return { TagKey: input.TagKey, TagValues: [...values] };
      }
      case "CreateLFTag":
        if (this.lfTags.has(input.TagKey)) throw awsError("AlreadyExistsException", "Tag key already exists");
        this.lfTags.set(input.TagKey, [...input.TagValues]);
        return {};
      case "UpdateLFTag": {
        const values = this.lfTags.get(input.TagKey);
        if (!values) throw awsError("EntityNotFoundException", "Tag key does not exist");
        this.lfTags.set(input.TagKey, [...values, ...(input.TagValuesToAdd ?? [])]);
        return {};
      }
      default:
        throw new UnsupportedOperationError("memory", operation);
    }
  }
}
