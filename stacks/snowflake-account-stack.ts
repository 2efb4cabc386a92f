// The Snowflake side of the Glue -> Snowflake sync, as Terraform (snowflakedb/snowflake provider):
// database and schema per mapped stage, one S3 storage integration, the stages, and the sync's role
// and service user (key-pair auth) with just the grants the SQL API calls need.
//
// The IAM trust step, between this stack and the AWS one: Snowflake reaches S3 by assuming
// `storageAwsRoleArn`. After the first apply, the outputs `storage_aws_iam_user_arn` and
// `storage_aws_external_id` (from the storage integration) must go into that AWS role's trust policy
// (Principal AWS = the IAM user ARN, Condition sts:ExternalId = the external id). Recreating the
// integration changes the external id, so the trust policy must be updated again.
// See modules/snowflake/README.md ("IAM trust between the two accounts").
import { AccountRole } from "@cdktf/provider-snowflake/lib/account-role/index.js";
import { Database } from "@cdktf/provider-snowflake/lib/database/index.js";
import { GrantAccountRole } from "@cdktf/provider-snowflake/lib/grant-account-role/index.js";
import { GrantPrivilegesToAccountRole } from "@cdktf/provider-snowflake/lib/grant-privileges-to-account-role/index.js";
import { SnowflakeProvider } from "@cdktf/provider-snowflake/lib/provider/index.js";
import { Schema } from "@cdktf/provider-snowflake/lib/schema/index.js";
import { ServiceUser } from "@cdktf/provider-snowflake/lib/service-user/index.js";
import { Stage } from "@cdktf/provider-snowflake/lib/stage/index.js";
import { StorageIntegration } from "@cdktf/provider-snowflake/lib/storage-integration/index.js";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { SnowflakeSettingsInput } from "../modules/snowflake/settings.ts";

export interface SnowflakeAccountStackSettings {
  snowflake: Pick<SnowflakeSettingsInput, "account" | "user" | "role" | "warehouse" | "stages">;
  /** The AWS IAM role Snowflake assumes to read the stages' buckets. */
  storageAwsRoleArn: string;
  /** The sync user's RSA public key (PEM, or the base64 body alone). */
  rsaPublicKey: string;
  integrationName?: string;
  /** Provider connection; the rest (user, private key) comes from SNOWFLAKE_* variables. */
  provider?: { organizationName?: string; accountName?: string };
}

const sanitize = (name: string) => name.replace(/[^A-Za-z0-9_]/g, "_");

export class SnowflakeAccountStack extends TerraformStack {
  readonly storageIntegration: StorageIntegration;

  constructor(scope: Construct, id: string, settings: SnowflakeAccountStackSettings) {
    super(scope, id);
    const { snowflake } = settings;
    new SnowflakeProvider(this, "snowflake", {
      ...settings.provider,
      // The stage and storage-integration resources are preview features of provider 2.x.
      previewFeaturesEnabled: ["snowflake_stage_resource", "snowflake_storage_integration_resource"],
    });

    const stages = Object.entries(snowflake.stages ?? {}).map(([qualified, url]) => {
      const [database = "", schema = "", name = ""] = qualified.split(".");
      return { database, schema, name, url };
    });
    const databaseNames = [...new Set(stages.map((s) => s.database))];
    const schemaNames = [...new Set(stages.map((s) => `${s.database}.${s.schema}`))];

    const databases = new Map(
      databaseNames.map((name) => [name, new Database(this, `database-${sanitize(name)}`, { name })]),
    );
    const schemas = new Map(
      schemaNames.map((qualified) => {
        const [database = "", name = ""] = qualified.split(".");
        return [
          qualified,
          new Schema(this, `schema-${sanitize(qualified)}`, {
            database: databases.get(database)!.name,
            name,
          }),
        ];
      }),
    );

    this.storageIntegration = new StorageIntegration(this, "storage-integration", {
      name: settings.integrationName ?? "LAKESYNC_S3",
      type: "EXTERNAL_STAGE",
      storageProvider: "S3",
      enabled: true,
      storageAllowedLocations: [...new Set(stages.map((s) => s.url))],
      storageAwsRoleArn: settings.storageAwsRoleArn,
      comment: "lakesync: Glue table locations read by Snowflake external tables",
    });

    const stageResources = stages.map(
      (stage) =>
        new Stage(this, `stage-${sanitize(`${stage.database}.${stage.schema}.${stage.name}`)}`, {
          database: stage.database,
          schema: schemas.get(`${stage.database}.${stage.schema}`)!.name,
          name: stage.name,
          url: stage.url,
          storageIntegration: this.storageIntegration.name,
        }),
    );

    const role = new AccountRole(this, "sync-role", {
      name: snowflake.role,
      comment: "lakesync Snowflake sync",
    });
    const user = new ServiceUser(this, "sync-user", {
      name: snowflake.user,
      defaultRole: role.name,
      defaultWarehouse: snowflake.warehouse,
      rsaPublicKey: publicKeyBody(settings.rsaPublicKey),
      comment: "lakesync Snowflake sync (SQL API, key-pair JWT)",
    });
    new GrantAccountRole(this, "sync-role-to-user", { roleName: role.name, userName: user.name });

    const grant = (
      id: string,
      privileges: string[],
      on: Omit<
        ConstructorParameters<typeof GrantPrivilegesToAccountRole>[2],
        "accountRoleName" | "privileges"
      >,
    ) => new GrantPrivilegesToAccountRole(this, id, { accountRoleName: role.name, privileges, ...on });
    grant("grant-warehouse", ["USAGE"], {
      onAccountObject: { objectType: "WAREHOUSE", objectName: snowflake.warehouse },
    });
    grant("grant-integration", ["USAGE"], {
      onAccountObject: { objectType: "INTEGRATION", objectName: this.storageIntegration.name },
    });
    for (const [name, database] of databases) {
      grant(`grant-database-${sanitize(name)}`, ["USAGE"], {
        onAccountObject: { objectType: "DATABASE", objectName: database.name },
      });
    }
    // Qualified names are spelled out (quoted, as created) and ordered after their objects.
    for (const [qualified, schema] of schemas) {
      const [database = "", name = ""] = qualified.split(".");
      grant(`grant-schema-${sanitize(qualified)}`, ["USAGE", "CREATE EXTERNAL TABLE"], {
        onSchema: { schemaName: `"${database}"."${name}"` },
        dependsOn: [schema],
      });
    }
    for (const [index, stage] of stages.entries()) {
      const resource = stageResources[index]!;
      grant(`grant-${resource.node.id}`, ["USAGE"], {
        onSchemaObject: {
          objectType: "STAGE",
          objectName: `"${stage.database}"."${stage.schema}"."${stage.name}"`,
        },
        dependsOn: [resource],
      });
    }

    new TerraformOutput(this, "storage_aws_iam_user_arn", {
      value: this.storageIntegration.storageAwsIamUserArn,
      description: "Put in the trust policy of storageAwsRoleArn (Principal AWS)",
    });
    new TerraformOutput(this, "storage_aws_external_id", {
      value: this.storageIntegration.storageAwsExternalId,
      description: "Put in the trust policy of storageAwsRoleArn (Condition sts:ExternalId)",
    });
  }
}

/** Snowflake's RSA_PUBLIC_KEY is the PEM body without its BEGIN/END lines. */
export function publicKeyBody(pem: string): string {
  return pem
    .split("\n")
    .filter((line) => !line.startsWith("-----"))
    .join("")
    .trim();
}
