// The producer locations a mesh shares, as the central and producer stacks address them: the S3
// ARNs the roles and bucket policies are scoped to, the ARN Lake Formation registers, and the key
// that encrypts them. One list, so the registration, the roles and the bucket policies agree.
import type { MeshConfig } from "../config/mesh-schema.ts";
import type { LakesyncConfig } from "../config/schema.ts";
import { meshWriterRoleArn } from "./naming.ts";

export interface SharedLocation {
  /** Stable construct id: "<producer>-<bucket>-<prefix>". */
  id: string;
  producer: string;
  bucket: string;
  /** Key prefix ("" for the whole bucket), ending in "/". */
  prefix: string;
  bucketArn: string;
  /** The objects under the prefix. */
  objectsArn: string;
  /** What Lake Formation registers: the bucket, or bucket/prefix without the trailing "/". */
  registeredArn: string;
  kmsKeyArn?: string;
}

export function sharedLocations(mesh: Pick<MeshConfig, "producers">): SharedLocation[] {
  return mesh.producers.flatMap((producer) =>
    producer.buckets.flatMap((bucket) =>
      bucket.prefixes.map((prefix) => {
        const bucketArn = `arn:aws:s3:::${bucket.name}`;
        const path = prefix.replace(/\/$/, "");
        return {
          id: [producer.name, bucket.name, path]
            .filter(Boolean)
            .join("-")
            .replace(/[^\w-]+/g, "-"),
          producer: producer.name,
          bucket: bucket.name,
          prefix,
          bucketArn,
          objectsArn: `${bucketArn}/${prefix}*`,
          registeredArn: path ? `${bucketArn}/${path}` : bucketArn,
          ...(bucket.kmsKeyArn ? { kmsKeyArn: bucket.kmsKeyArn } : {}),
        };
      }),
    ),
  );
}

/**
 * The writer role the reconciler assumes in each mesh account: central and every consumer, and the
 * producers too when their RAM invitations need accepting (accounts outside one Organization).
 */
export function meshAccountRoles(
  config: Pick<LakesyncConfig, "source">,
  mesh: Pick<MeshConfig, "central" | "producers" | "consumers" | "sameOrganization">,
): Record<string, string> {
  const accounts = [
    mesh.central.account,
    ...mesh.consumers.map((c) => c.account),
    ...(mesh.sameOrganization ? [] : mesh.producers.map((p) => p.account)),
  ];
  return Object.fromEntries(accounts.map((account) => [account, meshWriterRoleArn(config, account)]));
}
