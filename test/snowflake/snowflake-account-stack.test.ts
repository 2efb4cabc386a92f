// The Snowflake account stack, synthesised with cdktf's Testing helpers.
import { AccountRole } from "@cdktf/provider-snowflake/lib/account-role/index.js";
import { Database } from "@cdktf/provider-snowflake/lib/database/index.js";
import { GrantPrivilegesToAccountRole } from "@cdktf/provider-snowflake/lib/grant-privileges-to-account-role/index.js";
import { Schema } from "@cdktf/provider-snowflake/lib/schema/index.js";
import { ServiceUser } from "@cdktf/provider-snowflake/lib/service-user/index.js";
import { Stage } from "@cdktf/provider-snowflake/lib/stage/index.js";
import { StorageIntegration } from "@cdktf/provider-snowflake/lib/storage-integration/index.js";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { publicKeyBody, SnowflakeAccountStack } from "../../stacks/snowflake-account-stack.ts";
import { testKeyPair } from "./keys.ts";

const { publicPem } = testKeyPair();
/** A Terraform reference as cdktf writes it: "${type.id.attribute}". */
const reference = (path: string) => `$${"{"}${path}}`;

function synth() {
  const app = Testing.app();
  const stack = new SnowflakeAccountStack(app, "snowflake", {
    snowflake: {
      account: "myorg-myaccount",
      user: "LAKESYNC_SYNC",
      role: "LAKESYNC_SYNC_ROLE",
      warehouse: "SYNC_WH",
      stages: {
        "sales.public.lake": "s3://lake-bucket/",
        "sales.public.curated": "s3://lake-bucket/curated/",
      },
    },
    storageAwsRoleArn: "arn:aws:iam::111122223333:role/snowflake-s3-reader",
    rsaPublicKey: publicPem,
  });
  return Testing.synth(stack);
}

describe("SnowflakeAccountStack", () => {
  const synthesized = synth();
  // Testing.toHaveResourceWithProperties takes the Terraform type name (the class's tfResourceType).
  const has = (type: { tfResourceType: string }, properties: Record<string, unknown>) =>
    Testing.toHaveResourceWithProperties(synthesized, type.tfResourceType, properties);

  it("creates the storage integration for the stages' S3 locations with the AWS role", () => {
    expect(
      has(StorageIntegration, {
        name: "LAKESYNC_S3",
        type: "EXTERNAL_STAGE",
        storage_provider: "S3",
        enabled: true,
        storage_allowed_locations: ["s3://lake-bucket/", "s3://lake-bucket/curated/"],
        storage_aws_role_arn: "arn:aws:iam::111122223333:role/snowflake-s3-reader",
      }),
    ).toBe(true);
  });

  it("creates the database, the schema and one stage per configured stage", () => {
    expect(has(Database, { name: "sales" })).toBe(true);
    expect(has(Schema, { name: "public" })).toBe(true);
    expect(has(Stage, { name: "lake", url: "s3://lake-bucket/", database: "sales" })).toBe(true);
    expect(has(Stage, { name: "curated", url: "s3://lake-bucket/curated/" })).toBe(true);
    const stages = Object.values(
      (JSON.parse(synthesized) as { resource: { snowflake_stage: object } }).resource.snowflake_stage,
    );
    expect(stages).toHaveLength(2);
    for (const stage of stages)
      expect(JSON.stringify(stage)).toContain(
        reference("snowflake_storage_integration.storage-integration.name"),
      );
  });

  it("creates the sync role and a service user with the RSA public key body", () => {
    expect(has(AccountRole, { name: "LAKESYNC_SYNC_ROLE" })).toBe(true);
    expect(
      has(ServiceUser, {
        name: "LAKESYNC_SYNC",
        default_warehouse: "SYNC_WH",
        rsa_public_key: publicKeyBody(publicPem),
      }),
    ).toBe(true);
    expect(publicKeyBody(publicPem)).not.toContain("-----");
  });

  it("grants the role what the sync needs: integration, stages, and CREATE EXTERNAL TABLE on the schema", () => {
    expect(
      has(GrantPrivilegesToAccountRole, {
        privileges: ["USAGE"],
        on_account_object: { object_type: "INTEGRATION" },
      }),
    ).toBe(true);
    expect(
      has(GrantPrivilegesToAccountRole, {
        privileges: ["USAGE", "CREATE EXTERNAL TABLE"],
        on_schema: { schema_name: '"sales"."public"' },
      }),
    ).toBe(true);
    expect(
      has(GrantPrivilegesToAccountRole, {
        on_schema_object: { object_type: "STAGE", object_name: '"sales"."public"."lake"' },
      }),
    ).toBe(true);
  });

  it("outputs the integration's IAM user ARN and external id for the AWS role's trust policy", () => {
    const { output } = JSON.parse(synthesized) as { output: Record<string, { value: string }> };
    expect(output.storage_aws_iam_user_arn?.value).toBe(
      reference("snowflake_storage_integration.storage-integration.storage_aws_iam_user_arn"),
    );
    expect(output.storage_aws_external_id?.value).toBe(
      reference("snowflake_storage_integration.storage-integration.storage_aws_external_id"),
    );
    expect(JSON.parse(synthesized).provider.snowflake[0].preview_features_enabled).toEqual([
      "snowflake_stage_resource",
      "snowflake_storage_integration_resource",
    ]);
  });
});
