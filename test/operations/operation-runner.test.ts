import { describe, expect, it } from "vitest";
import { commandFor } from "../../modules/aws/operation-runner.ts";
import { commandInput } from "../../modules/operations/runner.ts";

// Every Glue / Lake Formation API that lakesync's producers emit or the executor reads.
const glueApis = [
  "CreateDatabase",
  "UpdateDatabase",
  "DeleteDatabase",
  "CreateTable",
  "UpdateTable",
  "DeleteTable",
  "BatchDeleteTable",
  "CreatePartition",
  "UpdatePartition",
  "DeletePartition",
  "BatchCreatePartition",
  "BatchUpdatePartition",
  "BatchDeletePartition",
  "CreatePartitionIndex",
  "DeletePartitionIndex",
  "GetDatabase",
  "GetTable",
  "GetPartition",
  "GetPartitions",
];
const lakeFormationApis = [
  "GrantPermissions",
  "RevokePermissions",
  "BatchGrantPermissions",
  "BatchRevokePermissions",
  "CreateLFTag",
  "UpdateLFTag",
  "DeleteLFTag",
  "AddLFTagsToResource",
  "RemoveLFTagsFromResource",
  "GetDataLakeSettings",
  "PutDataLakeSettings",
  "RegisterResource",
  "DeregisterResource",
  "UpdateResource",
  "CreateDataCellsFilter",
  "UpdateDataCellsFilter",
  "DeleteDataCellsFilter",
  "GetDataCellsFilter",
  "GetLFTag",
  "GetResourceLFTags",
  "DescribeResource",
];

describe("operation runner command table", () => {
  it.each(glueApis)("glue %s maps to its SDK command", async (api) => {
    expect((await commandFor("glue", api))?.name).toBe(`${api}Command`);
  });

  it.each(lakeFormationApis)("lakeformation %s maps to its SDK command", async (api) => {
    expect((await commandFor("lakeformation", api))?.name).toBe(`${api}Command`);
  });

  it("ram AcceptResourceShareInvitation maps to its SDK command (a table imported on first use)", async () => {
    expect((await commandFor("ram", "AcceptResourceShareInvitation"))?.name).toBe(
      "AcceptResourceShareInvitationCommand",
    );
  });

  it("has no command for unknown operations, wrong services or inherited names", async () => {
    expect(await commandFor("glue", "CreateCrawler")).toBeUndefined();
    expect(await commandFor("glue", "GrantPermissions")).toBeUndefined();
    expect(await commandFor("lakeformation", "toString")).toBeUndefined();
    expect(await commandFor("ram", "toString")).toBeUndefined();
  });

  it("strips the executor's __merge directive from the command input", () => {
    const input = { DataLakeSettings: { DataLakeAdmins: [] }, __merge: { keepAdmins: ["r"] } };
    expect(commandInput(input)).toEqual({ DataLakeSettings: { DataLakeAdmins: [] } });
    const plain = { Name: "x" };
    expect(commandInput(plain)).toBe(plain);
  });
});
