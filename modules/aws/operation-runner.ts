// The only code that turns a TargetOperation into an AWS call: `service + operation` picks the SDK
// v3 command, the client comes from AwsClients for the operation's target (account, region, role).
// Idempotency, ordering and retries are the executor's job (modules/operations/executor.ts).
// Table writes of moved Iceberg tables first rewrite the metadata tree (iceberg-runner.ts, loaded on
// first use).
import {
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  BatchDeleteTableCommand,
  BatchUpdatePartitionCommand,
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreatePartitionIndexCommand,
  CreateTableCommand,
  DeleteDatabaseCommand,
  DeletePartitionCommand,
  DeletePartitionIndexCommand,
  DeleteTableCommand,
  GetDatabaseCommand,
  GetPartitionCommand,
  GetPartitionsCommand,
  GetTableCommand,
  UpdateDatabaseCommand,
  UpdatePartitionCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-glue";
import {
  AddLFTagsToResourceCommand,
  BatchGrantPermissionsCommand,
  BatchRevokePermissionsCommand,
  CreateDataCellsFilterCommand,
  CreateLFTagCommand,
  DeleteDataCellsFilterCommand,
  DeleteLFTagCommand,
  DeregisterResourceCommand,
  DescribeResourceCommand,
  GetDataCellsFilterCommand,
  GetDataLakeSettingsCommand,
  GetLFTagCommand,
  GetResourceLFTagsCommand,
  GrantPermissionsCommand,
  ListPermissionsCommand,
  PutDataLakeSettingsCommand,
  RegisterResourceCommand,
  RemoveLFTagsFromResourceCommand,
  RevokePermissionsCommand,
  UpdateDataCellsFilterCommand,
  UpdateLFTagCommand,
  UpdateResourceCommand,
} from "@aws-sdk/client-lakeformation";
import type { GlueApi, LakeFormationApi } from "../operations/apis.ts";
import type { Service, TargetOperation } from "../operations/operation.ts";
import {
  commandInput,
  icebergDirectives,
  type OperationOutput,
  type Runner,
  UnsupportedOperationError,
} from "../operations/runner.ts";
import type { AwsClients } from "./clients.ts";

// Commands are used generically (input in, output out); their precise types are checked by the
// producers that build `input`, so the table only needs a constructor taking any input.
type AnyCommand = new (input: never) => unknown;

export const glueCommands = {
  CreateDatabase: CreateDatabaseCommand,
  UpdateDatabase: UpdateDatabaseCommand,
  DeleteDatabase: DeleteDatabaseCommand,
  CreateTable: CreateTableCommand,
  UpdateTable: UpdateTableCommand,
  DeleteTable: DeleteTableCommand,
  BatchDeleteTable: BatchDeleteTableCommand,
  CreatePartition: CreatePartitionCommand,
  UpdatePartition: UpdatePartitionCommand,
  DeletePartition: DeletePartitionCommand,
  BatchCreatePartition: BatchCreatePartitionCommand,
  BatchUpdatePartition: BatchUpdatePartitionCommand,
  BatchDeletePartition: BatchDeletePartitionCommand,
  CreatePartitionIndex: CreatePartitionIndexCommand,
  DeletePartitionIndex: DeletePartitionIndexCommand,
  // Reads, for refetches and the executor's read-modify-write.
  GetDatabase: GetDatabaseCommand,
  GetTable: GetTableCommand,
  GetPartition: GetPartitionCommand,
  GetPartitions: GetPartitionsCommand,
} satisfies Record<GlueApi, AnyCommand>;

export const lakeFormationCommands = {
  GrantPermissions: GrantPermissionsCommand,
  RevokePermissions: RevokePermissionsCommand,
  BatchGrantPermissions: BatchGrantPermissionsCommand,
  BatchRevokePermissions: BatchRevokePermissionsCommand,
  CreateLFTag: CreateLFTagCommand,
  UpdateLFTag: UpdateLFTagCommand,
  DeleteLFTag: DeleteLFTagCommand,
  AddLFTagsToResource: AddLFTagsToResourceCommand,
  RemoveLFTagsFromResource: RemoveLFTagsFromResourceCommand,
  GetDataLakeSettings: GetDataLakeSettingsCommand,
  PutDataLakeSettings: PutDataLakeSettingsCommand,
  RegisterResource: RegisterResourceCommand,
  DeregisterResource: DeregisterResourceCommand,
  UpdateResource: UpdateResourceCommand,
  CreateDataCellsFilter: CreateDataCellsFilterCommand,
  UpdateDataCellsFilter: UpdateDataCellsFilterCommand,
  DeleteDataCellsFilter: DeleteDataCellsFilterCommand,
  // Reads.
  GetDataCellsFilter: GetDataCellsFilterCommand,
  GetLFTag: GetLFTagCommand,
  GetResourceLFTags: GetResourceLFTagsCommand,
  DescribeResource: DescribeResourceCommand,
  ListPermissions: ListPermissionsCommand,
} satisfies Record<LakeFormationApi, AnyCommand>;

/**
 * A service's command table, or an import() of it for a service whose operations only some entry
 * points plan: RAM's one command comes from the mesh reconciler alone, so the replicator's and the
 * batch worker's bundles keep the RAM client's code in a chunk their cold start does not load.
 */
const commandsByService: Record<
  Service,
  Record<string, AnyCommand> | (() => Promise<Record<string, AnyCommand>>)
> = {
  glue: glueCommands,
  lakeformation: lakeFormationCommands,
  ram: async () => (await import("./lazy/ram-commands.ts")).ramCommands,
};

/** The SDK command class for an operation, or undefined when lakesync has none. */
export async function commandFor(service: Service, operation: string): Promise<AnyCommand | undefined> {
  const entry = commandsByService[service];
  const table = typeof entry === "function" ? await entry() : entry;
  return table && Object.hasOwn(table, operation) ? table[operation] : undefined;
}

interface Sender {
  send(command: unknown): Promise<unknown>;
}

export function createOperationRunner(clients: AwsClients): Runner {
  return async (operation: TargetOperation): Promise<OperationOutput> => {
    const Command = await commandFor(operation.service, operation.operation);
    if (!Command) throw new UnsupportedOperationError(operation.service, operation.operation);
    const { region, account, roleArn } = operation.target;
    const client = clients.get(operation.service, {
      region,
      account,
      ...(roleArn ? { roleArn } : {}),
    }) as unknown as Sender;
    // The Iceberg rewrite (and its Avro and JSON codecs) is imported on the first table write that
    // carries the directive: a Lambda bundle keeps it in a chunk its cold start does not load.
    const input = icebergDirectives(operation.input)
      ? await (await import("./iceberg-runner.ts")).inputWithIcebergRewrite(operation, clients)
      : commandInput(operation.input);
    const output = await client.send(new Command(input as never));
    return (output ?? {}) as OperationOutput;
  };
}
