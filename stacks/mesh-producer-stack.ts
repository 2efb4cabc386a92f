// A mesh producer account: the policies of its existing data buckets let the central crawler role
// and Lake Formation's data access role read the shared prefixes (and nothing else, no s3:*), and
// KMS grants let them decrypt with the buckets' keys (grants, so the keys' own policies are left
// alone). Outside one Organization, the writer role the reconciler accepts RAM invitations with.
import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import type { Construct } from "constructs";
import type { MeshConfig, MeshProducer } from "../modules/config/mesh-schema.ts";
import type { LakesyncConfig } from "../modules/config/schema.ts";
import {
  dataAccessActions,
  dataAccessKeyOperations,
  MESH_CRAWLER_ACTIONS,
  MESH_CRAWLER_KEY_OPERATIONS,
  meshWritesData,
} from "../modules/deploy/mesh-iam.ts";
import { sharedLocations } from "../modules/deploy/mesh-locations.ts";
import {
  meshCrawlerRoleArn,
  meshDataAccessRoleArn,
  meshReconcileRoleArn,
  meshWriterRoleName,
} from "../modules/deploy/naming.ts";
import { MeshWriterRole } from "./constructs/mesh-writer-role.ts";
import { LakesyncStack } from "./lakesync-stack.ts";

export class MeshProducerStack extends LakesyncStack {
  constructor(
    scope: Construct,
    id: string,
    config: LakesyncConfig,
    mesh: MeshConfig,
    producer: MeshProducer,
  ) {
    const region = mesh.central.region;
    super(
      scope,
      id,
      { account: producer.account, region, roleArn: producer.roleArn },
      {
        ...config.deployment,
        kmsKeyArn: undefined,
      },
    );
    const writes = meshWritesData(mesh);
    const access = dataAccessActions(writes);
    const crawlerRole = meshCrawlerRoleArn(config, mesh);
    const dataAccessRole = meshDataAccessRoleArn(mesh);
    const crawled = producer.crawlers.flatMap((c) => c.prefixes);
    const locations = sharedLocations({ producers: [producer] });

    for (const bucket of producer.buckets) {
      const mine = locations.filter((l) => l.bucket === bucket.name);
      const crawledHere = crawled.filter((url) => url.startsWith(`s3://${bucket.name}/`));
      const listed = (principal: string, sid: string, prefixes: string[]) => ({
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: principal },
        Action: access.bucket,
        Resource: `arn:aws:s3:::${bucket.name}`,
        ...(prefixes.includes("")
          ? {}
          : { Condition: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } } }),
      });
      const statements: Record<string, unknown>[] = [
        {
          Sid: "LakeFormationReadsSharedPrefixes",
          Effect: "Allow",
          Principal: { AWS: dataAccessRole },
          Action: access.objects,
          Resource: mine.map((l) => l.objectsArn),
        },
        listed(
          dataAccessRole,
          "LakeFormationListsSharedPrefixes",
          mine.map((l) => l.prefix),
        ),
      ];
      if (crawledHere.length > 0) {
        const keys = crawledHere.map((url) => url.replace(`s3://${bucket.name}/`, ""));
        statements.push(
          {
            Sid: "CrawlerReadsCrawledPrefixes",
            Effect: "Allow",
            Principal: { AWS: crawlerRole },
            Action: MESH_CRAWLER_ACTIONS.objects,
            Resource: keys.map((k) => `arn:aws:s3:::${bucket.name}/${k}*`),
          },
          listed(crawlerRole, "CrawlerListsCrawledPrefixes", keys),
        );
      }
      new S3BucketPolicy(this, `policy-${bucket.name}`, {
        bucket: bucket.name,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
      });
      if (!bucket.kmsKeyArn) continue;
      new KmsGrant(this, `key-grant-${bucket.name}-data-access`, {
        name: "lakesync-mesh-data-access",
        keyId: bucket.kmsKeyArn,
        granteePrincipal: dataAccessRole,
        operations: dataAccessKeyOperations(writes),
      });
      if (crawledHere.length > 0) {
        new KmsGrant(this, `key-grant-${bucket.name}-crawler`, {
          name: "lakesync-mesh-crawler",
          keyId: bucket.kmsKeyArn,
          granteePrincipal: crawlerRole,
          operations: MESH_CRAWLER_KEY_OPERATIONS,
        });
      }
    }

    if (!mesh.sameOrganization) {
      new MeshWriterRole(this, "writer", {
        name: meshWriterRoleName(config),
        account: producer.account,
        region,
        centralAccount: mesh.central.account,
        reconcilerRoleArn: meshReconcileRoleArn(config, mesh),
        writesCatalog: false,
        acceptsShares: true,
      });
    }
  }
}
