// Contract: registered data lake locations on local AWS keep what AWS keeps
// (fixes in scripts/localaws/fixes/lakeformation.py).
import {
  DescribeResourceCommand,
  ListResourcesCommand,
  paginateListResources,
  RegisterResourceCommand,
  UpdateResourceCommand,
} from "@aws-sdk/client-lakeformation";
import { describe, expect, it } from "vitest";
import { client, testLocation } from "../../support/local-aws.ts";

const location = testLocation();
const lakeformation = client("lakeformation", location);

describe("Lake Formation registered locations", () => {
  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_RegisterResource.html
  it("RegisterResource with UseServiceLinkedRole registers the Lake Formation service-linked role and keeps the flags", async () => {
    const arn = "arn:aws:s3:::lake-bucket/raw";
    await lakeformation.send(
      new RegisterResourceCommand({
        ResourceArn: arn,
        UseServiceLinkedRole: true,
        HybridAccessEnabled: true,
      }),
    );
    const { ResourceInfo } = await lakeformation.send(new DescribeResourceCommand({ ResourceArn: arn }));
    expect(ResourceInfo).toMatchObject({
      ResourceArn: arn,
      RoleArn: `arn:aws:iam::${location.account}:role/aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess`,
      HybridAccessEnabled: true,
      WithFederation: false,
    });
    expect(ResourceInfo?.LastModified).toBeInstanceOf(Date);
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_UpdateResource.html
  it("UpdateResource changes the role of a registered location and rejects an unregistered one", async () => {
    const arn = "arn:aws:s3:::lake-bucket/curated";
    const role = (name: string) => `arn:aws:iam::${location.account}:role/${name}`;
    await lakeformation.send(new RegisterResourceCommand({ ResourceArn: arn, RoleArn: role("old-access") }));
    await lakeformation.send(new UpdateResourceCommand({ ResourceArn: arn, RoleArn: role("new-access") }));
    const { ResourceInfo } = await lakeformation.send(new DescribeResourceCommand({ ResourceArn: arn }));
    expect(ResourceInfo?.RoleArn).toBe(role("new-access"));
    await expect(
      lakeformation.send(
        new UpdateResourceCommand({ ResourceArn: "arn:aws:s3:::nowhere", RoleArn: role("x") }),
      ),
    ).rejects.toMatchObject({ name: "EntityNotFoundException" });
  });

  // https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_ListResources.html
  it("ListResources pages with MaxResults and NextToken and returns the registered role", async () => {
    const where = testLocation();
    const lf = client("lakeformation", where);
    const role = `arn:aws:iam::${where.account}:role/lake-access`;
    for (const prefix of ["a", "b", "c"]) {
      await lf.send(
        new RegisterResourceCommand({ ResourceArn: `arn:aws:s3:::bucket/${prefix}`, RoleArn: role }),
      );
    }
    const first = await lf.send(new ListResourcesCommand({ MaxResults: 2 }));
    expect(first.ResourceInfoList).toHaveLength(2);
    expect(first.NextToken).toBeTruthy();
    const listed: string[] = [];
    for await (const page of paginateListResources({ client: lf, pageSize: 2 }, {})) {
      listed.push(...(page.ResourceInfoList ?? []).map((r) => `${r.ResourceArn} ${r.RoleArn}`));
    }
    expect(listed).toEqual(["a", "b", "c"].map((p) => `arn:aws:s3:::bucket/${p} ${role}`));
  });
});
