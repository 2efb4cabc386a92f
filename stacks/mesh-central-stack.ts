// The mesh's central governance account: the role Lake Formation reads the producer locations
// with and their registration, the crawler role and one crawler per producer prefix, the central
// databases and declared tables, the Glue catalog resource policy that lets the mesh accounts use
// tag-shared resources, and the reconciler function on its schedule with the writer role it
// assumes. Lake Formation state (tags, assignments, grants, links, settings) is the reconciler's.
import { GlueCrawler } from "@cdktf/provider-aws/lib/glue-crawler/index.js";
import { GlueResourcePolicy } from "@cdktf/provider-aws/lib/glue-resource-policy/index.js";
import { GlueSecurityConfiguration } from "@cdktf/provider-aws/lib/glue-security-configuration/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { LakeformationResource } from "@cdktf/provider-aws/lib/lakeformation-resource/index.js";
import type { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import type { Construct } from "constructs";
import { crawlersOf, type MeshConfig, type MeshCrawler } from "../modules/config/mesh-schema.ts";
import type { LakesyncConfig } from "../modules/config/schema.ts";
import { HANDLERS } from "../modules/deploy/handlers.ts";
import {
  encodeMeshConfig,
  LAMBDA_ENVIRONMENT_LIMIT_BYTES,
  MESH_RECONCILE_ENV,
} from "../modules/deploy/mesh-env.ts";
import {
  catalogPolicyActions,
  dataAccessActions,
  MESH_CRAWLER_ACTIONS,
  meshWritesData,
} from "../modules/deploy/mesh-iam.ts";
import { meshAccountRoles, type SharedLocation, sharedLocations } from "../modules/deploy/mesh-locations.ts";
import {
  meshCrawlerRoleArn,
  meshCrawlerRoleName,
  meshReconcileFunctionName,
  meshWriterRoleArn,
  meshWriterRoleName,
  resourcePrefix,
} from "../modules/deploy/naming.ts";
import { Alerts } from "./constructs/alerts.ts";
import { MeshTables } from "./constructs/mesh-tables.ts";
import { MeshWriterRole } from "./constructs/mesh-writer-role.ts";
import { NodejsFunction } from "./constructs/nodejs-function.ts";
import { assumeRolePolicy, policyDocument } from "./constructs/policy.ts";
import { FunctionSchedule } from "./constructs/schedule.ts";
import { KEY_USE_ACTIONS } from "./constructs/stack-key.ts";
import { LakesyncStack } from "./lakesync-stack.ts";

export class MeshCentralStack extends LakesyncStack {
  /** Lake Formation's role on the producer locations (none without producer buckets). */
  readonly dataAccessRole?: IamRole;
  /** The crawlers' role (none without crawlers). */
  readonly crawlerRole?: IamRole;
  readonly reconciler: NodejsFunction;

  constructor(scope: Construct, id: string, config: LakesyncConfig, mesh: MeshConfig) {
    super(scope, id, { ...mesh.central }, { ...config.deployment, kmsKeyArn: undefined });
    const { account, region } = mesh.central;
    const prefix = resourcePrefix(config);
    const locations = sharedLocations(mesh);
    const keys = [...new Set(locations.flatMap((l) => (l.kmsKeyArn ? [l.kmsKeyArn] : [])))];
    if (locations.length > 0) this.dataAccessRole = this.registerLocations(mesh, locations, keys);

    const crawlerTargets = mesh.producers.flatMap((p) =>
      p.crawlers.flatMap((c) => crawlersOf(c).map((one) => ({ ...one, crawler: c }))),
    );
    const databases = new MeshTables(this, "catalog", { mesh, account, region }).databases;
    if (crawlerTargets.length > 0) {
      const key = this.dataKey();
      const crawlerRole = this.crawlerRoleFor(config, mesh, crawlerTargets, keys);
      this.crawlerRole = crawlerRole;
      key.allowRole(crawlerRole.arn);
      const security = new GlueSecurityConfiguration(this, "crawler-security", {
        name: `${prefix}-mesh-crawlers`,
        encryptionConfiguration: {
          cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: key.arn },
          jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: key.arn },
          s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: key.arn },
        },
      });
      for (const target of crawlerTargets) {
        new GlueCrawler(this, `crawler-${target.name}`, {
          name: target.name,
          role: crawlerRole.arn,
          databaseName: databases.get(target.crawler.database)?.name ?? target.crawler.database,
          tablePrefix: target.crawler.tablePrefix || undefined,
          schedule: target.crawler.schedule,
          securityConfiguration: security.name,
          s3Target: [{ path: target.prefix }],
        });
      }
    }
    this.catalogPolicy(mesh);
    this.reconciler = this.reconcilerFunction(config, mesh);
  }

  /** Lake Formation's data access role, and each shared prefix registered with it. */
  private registerLocations(mesh: MeshConfig, locations: SharedLocation[], keys: string[]): IamRole {
    const access = dataAccessActions(meshWritesData(mesh));
    const role = new IamRole(this, "data-access", {
      name: mesh.central.dataAccessRoleName,
      description: "Lake Formation reads (and writes) the registered producer locations with this role",
      assumeRolePolicy: assumeRolePolicy("lakeformation.amazonaws.com"),
      inlinePolicy: [
        {
          name: "producer-locations",
          policy: policyDocument([
            { Sid: "SharedObjects", Action: access.objects, Resource: locations.map((l) => l.objectsArn) },
            ...locations.map((l, i) => ({
              Sid: `ListShared${i}`,
              Action: access.bucket,
              Resource: [l.bucketArn],
              ...(l.prefix ? { Condition: { StringLike: { "s3:prefix": [`${l.prefix}*`] } } } : {}),
            })),
            ...(keys.length > 0 ? [{ Sid: "ProducerKeys", Action: access.key, Resource: keys }] : []),
          ]),
        },
      ],
    });
    for (const location of locations) {
      new LakeformationResource(this, `location-${location.id}`, {
        arn: location.registeredArn,
        roleArn: role.arn,
        hybridAccessEnabled: mesh.central.hybridAccessMode,
      });
    }
    return role;
  }

  /** The crawlers' role: Glue on their databases, reads of the crawled prefixes, the keys, its logs. */
  private crawlerRoleFor(
    config: LakesyncConfig,
    mesh: MeshConfig,
    targets: { prefix: string; crawler: MeshCrawler }[],
    keys: string[],
  ): IamRole {
    const { account, region } = mesh.central;
    const key = this.dataKey();
    const crawled = [...new Set(targets.map((t) => t.prefix))].map((url) => {
      const [, bucket = "", keyPrefix = ""] = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url) ?? [];
      return { bucket, keyPrefix };
    });
    const buckets = [...new Set(crawled.map((c) => c.bucket))];
    return new IamRole(this, "crawler", {
      name: meshCrawlerRoleName(config),
      description: "The mesh's Glue crawlers read the producer prefixes and write the central databases",
      assumeRolePolicy: assumeRolePolicy("glue.amazonaws.com"),
      inlinePolicy: [
        {
          name: "crawl",
          policy: policyDocument([
            {
              Sid: "CrawlerCatalog",
              Action: MESH_CRAWLER_ACTIONS.glue,
              Resource: [
                `arn:aws:glue:${region}:${account}:catalog`,
                ...[...new Set(targets.map((t) => t.crawler.database))].flatMap((db) => [
                  `arn:aws:glue:${region}:${account}:database/${db}`,
                  `arn:aws:glue:${region}:${account}:table/${db}/*`,
                ]),
              ],
            },
            { Sid: "LakeFormationCatalog", Action: MESH_CRAWLER_ACTIONS.lakeformation, Resource: ["*"] },
            {
              Sid: "CrawledObjects",
              Action: MESH_CRAWLER_ACTIONS.objects,
              Resource: crawled.map((c) => `arn:aws:s3:::${c.bucket}/${c.keyPrefix}*`),
            },
            ...buckets.map((bucket, i) => {
              const prefixes = crawled.filter((c) => c.bucket === bucket).map((c) => c.keyPrefix);
              return {
                Sid: `ListCrawled${i}`,
                Action: MESH_CRAWLER_ACTIONS.bucket,
                Resource: [`arn:aws:s3:::${bucket}`],
                ...(prefixes.includes("")
                  ? {}
                  : { Condition: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } } }),
              };
            }),
            ...(keys.length > 0
              ? [{ Sid: "ProducerKeys", Action: MESH_CRAWLER_ACTIONS.key, Resource: keys }]
              : []),
            // The security configuration encrypts the crawlers' logs with the stack key.
            { Sid: "StackKey", Action: KEY_USE_ACTIONS, Resource: [key.arn] },
            {
              Sid: "CrawlerLogs",
              Action: MESH_CRAWLER_ACTIONS.logs,
              Resource: [
                `arn:aws:logs:${region}:${account}:log-group:/aws-glue/crawlers*`,
                `arn:aws:logs:${region}:${account}:log-group:/aws-glue/crawlers*:*`,
              ],
            },
          ]),
        },
      ],
    });
  }

  /**
   * Tag-based cross-account sharing: the other accounts may use central resources only where Lake
   * Formation's tag grants decide (Lake Formation Developer Guide, "Cross-account data sharing
   * prerequisites"); hybrid so the RAM shares Lake Formation creates keep working.
   */
  private catalogPolicy(mesh: MeshConfig): void {
    const { account, region } = mesh.central;
    const others = [...mesh.producers, ...mesh.consumers].map((a) => a.account);
    if (others.length > 0) {
      const catalogResources = [
        `arn:aws:glue:${region}:${account}:catalog`,
        `arn:aws:glue:${region}:${account}:database/*`,
        `arn:aws:glue:${region}:${account}:table/*/*`,
      ];
      new GlueResourcePolicy(this, "catalog-policy", {
        enableHybrid: "TRUE",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "MeshAccountsByTags",
              Effect: "Allow",
              Principal: { AWS: others.map((a) => `arn:aws:iam::${a}:root`) },
              Action: catalogPolicyActions(mesh),
              Resource: catalogResources,
              Condition: { Bool: { "glue:EvaluatedByLakeFormationTags": "true" } },
            },
            {
              Sid: "RamSharesCatalog",
              Effect: "Allow",
              Principal: { Service: "ram.amazonaws.com" },
              Action: ["glue:ShareResource"],
              Resource: catalogResources,
            },
          ],
        }),
      });
    }
  }

  private reconcilerFunction(config: LakesyncConfig, mesh: MeshConfig): NodejsFunction {
    const { account, region } = mesh.central;
    const name = meshReconcileFunctionName(config);
    const alerts = new Alerts(this, "alerts", { name: `${name}-alerts`, email: config.realtime.alertEmail });
    const accountRoles = meshAccountRoles(config, mesh);
    const environment = {
      [MESH_RECONCILE_ENV.mesh]: encodeMeshConfig(mesh),
      [MESH_RECONCILE_ENV.accountRoles]: JSON.stringify(accountRoles),
      [MESH_RECONCILE_ENV.accountRoleTemplate]: meshWriterRoleArn(config, "{account}"),
      [MESH_RECONCILE_ENV.prune]: "false",
      [MESH_RECONCILE_ENV.alertTopicArn]: alerts.topic.arn,
      ...(this.crawlerRole ? { [MESH_RECONCILE_ENV.crawlerRoleArn]: meshCrawlerRoleArn(config, mesh) } : {}),
    };
    // The topic ARN is a token at synth; an SNS topic ARN is at most 256 + 60 characters.
    const size = Object.entries(environment).reduce((n, [k, v]) => n + k.length + v.length, 320);
    if (size > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
      throw new Error(
        `mesh: the reconciler's environment would be about ${size} bytes, over Lambda's ${LAMBDA_ENVIRONMENT_LIMIT_BYTES}; split the mesh or shorten its globs and names`,
      );
    }
    const fn = new NodejsFunction(this, "reconcile", {
      entry: HANDLERS.meshReconcile.entry,
      functionName: name,
      description: "Applies the declared mesh: LF tags, assignments, grants, resource links and settings",
      environment,
      settings: { ...config.deployment.lambda, timeoutSeconds: 900 },
      sizing:
        "one run lists the central catalog and each consumer's links and grants, then applies the difference through the executor; 900 s (Lambda's maximum) covers thousands of tables under Lake Formation's throttling",
      // Two overlapping runs would plan the same changes twice.
      reservedConcurrency: 1,
      asyncInvoked: true,
    });
    alerts.grantPublish(fn);
    alerts.alarmOnMessages(
      "reconcile-dlq-alarm",
      fn.deadLetterQueue as SqsQueue,
      "Mesh reconciler runs failed after Lambda's retries",
    );
    const writer = new MeshWriterRole(this, "writer", {
      name: meshWriterRoleName(config),
      account,
      region,
      centralAccount: account,
      reconcilerRoleArn: fn.role.arn,
      writesCatalog: true,
      acceptsShares: false,
    });
    // Every Glue, Lake Formation and RAM call goes through an account's writer role, central included.
    fn.grant({
      Sid: "AssumeMeshWriters",
      Action: ["sts:AssumeRole"],
      Resource: [
        ...new Set([
          writer.role.arn,
          ...Object.values(accountRoles).filter((arn) => !arn.includes(`::${account}:`)),
        ]),
      ],
    });
    new FunctionSchedule(this, "schedule", {
      name: name.slice(0, 64),
      expression: mesh.central.reconcileSchedule,
      target: fn,
    });
    return fn;
  }
}
