// modules/config/aws-regions.ts is generated from the installed SDK's partitions data; it must
// match what the SDK ships, so a region AWS adds (and the SDK learns) is accepted after regenerating.
import { describe, expect, it } from "vitest";
import { awsPartitionRegions } from "../../modules/config/aws-regions.ts";
import { regionProblem } from "../../modules/config/rules.ts";
import { sdkPartitions } from "../../modules/config/sdk-partitions.ts";

describe("AWS regions", () => {
  it("are the installed SDK's partitions and regions (npx tsx modules/config/write-aws-regions.ts)", async () => {
    const { partitions } = await sdkPartitions();
    expect(awsPartitionRegions).toEqual(Object.fromEntries(partitions.map((p) => [p.id, p.regions])));
  });

  it("accept every region the SDK lists and refuse ones that do not exist, naming the partition", () => {
    for (const regions of Object.values(awsPartitionRegions))
      for (const region of regions) expect(regionProblem(region)).toBeUndefined();
    expect(regionProblem("us-west-9")).toBe(
      'expected a region of the aws partition (us-west-1, us-west-2), got "us-west-9" (no such region)',
    );
    expect(regionProblem("us west 2")).toBe('expected an AWS region name like "us-west-2", got "us west 2"');
    expect(regionProblem("cn-north-7")).toMatch(/^expected a region of the aws-cn partition/);
  });
});
