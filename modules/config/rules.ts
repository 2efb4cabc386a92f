// Field-level rules shared by the config schema and the seed importer: what a valid AWS account
// id, region, ARN, S3 bucket name or catalog glob looks like. Each check returns a message that
// says what was expected, so every caller reports the same words.

import { awsPartitionRegions } from "./aws-regions.ts";

export const accountIdPattern = /^\d{12}$/;

// Real region names: partition prefix, direction, ordinal (us-east-1, ap-southeast-5,
// us-gov-west-1, cn-northwest-1, il-central-1, mx-central-1, eusc-de-east-1).
export const regionPattern =
  /^(?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob|eusc-de)-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-[1-9]$/;

/**
 * A region is valid when its partition lists it (the SDK's partitions data, generated into
 * aws-regions.ts): the pattern alone would accept us-west-9. Says what was expected, or undefined.
 */
export function regionProblem(value: string): string | undefined {
  if (Object.values(awsPartitionRegions).some((regions) => regions.includes(value))) return undefined;
  const got = `got ${JSON.stringify(value)}`;
  if (!regionPattern.test(value)) return `expected an AWS region name like "us-west-2", ${got}`;
  const [partition, regions] = Object.entries(awsPartitionRegions).find(([, list]) =>
    list.some((r) => r.split("-")[0] === value.split("-")[0]),
  ) ?? ["aws", awsPartitionRegions.aws ?? []];
  const similar = regions.filter(
    (r) => r.split("-").slice(0, -1).join("-") === value.split("-").slice(0, -1).join("-"),
  );
  return `expected a region of the ${partition} partition${similar.length ? ` (${similar.join(", ")})` : ""}, ${got} (no such region)`;
}

export const iamRoleArnPattern = /^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** An IAM role or user ARN: what Lake Formation accepts as a data lake administrator. */
export const iamPrincipalArnPattern =
  /^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:(?:role|user)\/[\w+=,.@/-]{1,512}$/;

export const secretArnPattern =
  /^arn:aws(?:-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]{1,512}$/;

/** Any ARN with a partition, service and resource; region and account may be empty (IdC groups). */
export const arnPattern = /^arn:aws(?:-cn|-us-gov)?:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12})?:.+$/;

/** `db` or `db.table`, with `*` and `?` wildcards; Glue keeps names in lower case. */
export const catalogGlobPattern = /^[a-z0-9_\-*?]+(?:\.[a-z0-9_\-*?]+)?$/;

/** A Glue database name as Lake Formation and Athena accept it. */
export const databaseNamePattern = /^[a-z0-9_-]{1,255}$/;

export const scheduleExpressionPattern =
  /^(?:rate\([1-9]\d* (?:minute|minutes|hour|hours|day|days)\)|cron\(\S+ \S+ \S+ \S+ \S+ \S+\))$/;

/** Principals are keyed by ARN, 12-digit account id, or the IAM_ALLOWED_PRINCIPALS group. */
export function principalProblem(value: string): string | undefined {
  if (value === "IAM_ALLOWED_PRINCIPALS" || accountIdPattern.test(value) || arnPattern.test(value)) {
    return undefined;
  }
  return `expected a principal ARN (arn:aws:iam::123456789012:role/name), a 12-digit account id or IAM_ALLOWED_PRINCIPALS, got ${JSON.stringify(value)}`;
}

/**
 * The S3 general-purpose bucket naming rules
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 * Returns what is wrong, or undefined when the name is valid.
 */
export function bucketNameProblem(name: string): string | undefined {
  const got = `got ${JSON.stringify(name)}`;
  if (/^s3[an]?:\/\//.test(name) || name.includes("/")) {
    return `expected a bucket name only (no s3:// scheme, no key prefix), ${got}`;
  }
  if (name.length < 3 || name.length > 63) return `expected a bucket name of 3 to 63 characters, ${got}`;
  if (!/^[a-z0-9.-]+$/.test(name)) {
    return `expected a bucket name of lower-case letters, digits, dots and hyphens, ${got}`;
  }
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) {
    return `expected a bucket name that begins and ends with a letter or digit, ${got}`;
  }
  if (name.includes("..")) return `expected a bucket name without two adjacent dots, ${got}`;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return `expected a bucket name that is not an IP address, ${got}`;
  const prefix = ["xn--", "sthree-", "amzn-s3-demo-"].find((p) => name.startsWith(p));
  if (prefix)
    return `expected a bucket name that does not start with the reserved prefix "${prefix}", ${got}`;
  const suffix = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].find((s) => name.endsWith(s));
  if (suffix) return `expected a bucket name that does not end with the reserved suffix "${suffix}", ${got}`;
  return undefined;
}

/** `s3://bucket/prefix/`: a valid bucket, then an optional key prefix. */
export function s3UrlProblem(url: string): string | undefined {
  const match = /^s3:\/\/([^/]+)(\/.*)?$/.exec(url);
  if (!match) return `expected an S3 URL like "s3://bucket/prefix/", got ${JSON.stringify(url)}`;
  const bucketProblem = bucketNameProblem(match[1]!);
  return bucketProblem ? `${bucketProblem} (in ${JSON.stringify(url)})` : undefined;
}
