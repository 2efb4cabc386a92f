// The SDK v3 command input of every API in apis.ts, by name. Type-only: the SDK's shapes check
// what producers build (modules/operations/build/) and nothing of the SDK is loaded here.
import type * as Glue from "@aws-sdk/client-glue";
import type * as LakeFormation from "@aws-sdk/client-lakeformation";
import type * as Ram from "@aws-sdk/client-ram";
import type { GlueApi, LakeFormationApi, RamApi } from "./apis.ts";
import type { IcebergDirectives, MergeDirectives } from "./directives.ts";

/** `Inputs` when it names exactly the APIs `Api`; a missing API fails the constraint, an extra one is never. */
type ExactlyFor<Api extends PropertyKey, Inputs extends Record<Api, object>> = Inputs &
  Record<Exclude<keyof Inputs, Api>, never>;

export type GlueInputs = ExactlyFor<
  GlueApi,
  {
    CreateDatabase: Glue.CreateDatabaseCommandInput;
    UpdateDatabase: Glue.UpdateDatabaseCommandInput;
    DeleteDatabase: Glue.DeleteDatabaseCommandInput;
    /** With the Iceberg metadata rewrite directive, `icebergField` (directives.ts). */
    CreateTable: Glue.CreateTableCommandInput & { __iceberg?: IcebergDirectives };
    UpdateTable: Glue.UpdateTableCommandInput & { __iceberg?: IcebergDirectives };
    DeleteTable: Glue.DeleteTableCommandInput;
    BatchDeleteTable: Glue.BatchDeleteTableCommandInput;
    CreatePartition: Glue.CreatePartitionCommandInput;
    UpdatePartition: Glue.UpdatePartitionCommandInput;
    DeletePartition: Glue.DeletePartitionCommandInput;
    BatchCreatePartition: Glue.BatchCreatePartitionCommandInput;
    /** As an onExists of BatchCreatePartition the executor fills Entries (README, Batch APIs). */
    BatchUpdatePartition: Omit<Glue.BatchUpdatePartitionCommandInput, "Entries"> &
      Partial<Pick<Glue.BatchUpdatePartitionCommandInput, "Entries">>;
    BatchDeletePartition: Glue.BatchDeletePartitionCommandInput;
    CreatePartitionIndex: Glue.CreatePartitionIndexCommandInput;
    DeletePartitionIndex: Glue.DeletePartitionIndexCommandInput;
    GetDatabase: Glue.GetDatabaseCommandInput;
    GetTable: Glue.GetTableCommandInput;
    GetPartition: Glue.GetPartitionCommandInput;
    GetPartitions: Glue.GetPartitionsCommandInput;
  }
>;

export type LakeFormationInputs = ExactlyFor<
  LakeFormationApi,
  {
    GrantPermissions: LakeFormation.GrantPermissionsCommandInput;
    RevokePermissions: LakeFormation.RevokePermissionsCommandInput;
    BatchGrantPermissions: LakeFormation.BatchGrantPermissionsCommandInput;
    BatchRevokePermissions: LakeFormation.BatchRevokePermissionsCommandInput;
    CreateLFTag: LakeFormation.CreateLFTagCommandInput;
    UpdateLFTag: LakeFormation.UpdateLFTagCommandInput;
    DeleteLFTag: LakeFormation.DeleteLFTagCommandInput;
    AddLFTagsToResource: LakeFormation.AddLFTagsToResourceCommandInput;
    RemoveLFTagsFromResource: LakeFormation.RemoveLFTagsFromResourceCommandInput;
    /** With the executor's read-modify-write directive, `mergeField` (directives.ts). */
    PutDataLakeSettings: LakeFormation.PutDataLakeSettingsCommandInput & { __merge?: MergeDirectives };
    RegisterResource: LakeFormation.RegisterResourceCommandInput;
    DeregisterResource: LakeFormation.DeregisterResourceCommandInput;
    UpdateResource: LakeFormation.UpdateResourceCommandInput;
    CreateDataCellsFilter: LakeFormation.CreateDataCellsFilterCommandInput;
    UpdateDataCellsFilter: LakeFormation.UpdateDataCellsFilterCommandInput;
    DeleteDataCellsFilter: LakeFormation.DeleteDataCellsFilterCommandInput;
    GetDataLakeSettings: LakeFormation.GetDataLakeSettingsCommandInput;
    GetDataCellsFilter: LakeFormation.GetDataCellsFilterCommandInput;
    GetLFTag: LakeFormation.GetLFTagCommandInput;
    GetResourceLFTags: LakeFormation.GetResourceLFTagsCommandInput;
    DescribeResource: LakeFormation.DescribeResourceCommandInput;
    ListPermissions: LakeFormation.ListPermissionsCommandInput;
  }
>;

export type RamInputs = ExactlyFor<
  RamApi,
  {
    AcceptResourceShareInvitation: Ram.AcceptResourceShareInvitationCommandInput;
  }
>;
