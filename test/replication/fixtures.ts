// Shared plain data for the replication tests: the recorded CloudTrail fixtures, a cross-account
// and cross-region mapping, and the target it plans for.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { MappingRules } from "../../modules/mapping/mapping.ts";
import type { CatalogLocation } from "../../modules/operations/operation.ts";
import { type CloudTrailRecord, parseCloudTrailInput } from "../../modules/replication/cloudtrail-record.ts";
import { type Plan, type PlanOptions, planRecord } from "../../modules/replication/planner.ts";

export const fixtureDir = fileURLToPath(new URL("../fixtures/cloudtrail/", import.meta.url));

export function fixturePath(eventName: string): string {
  return `${fixtureDir}${eventName}.json`;
}

/** The raw fixture JSON (a bare CloudTrail record). */
export function rawFixture(eventName: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fixturePath(eventName), "utf8")) as Record<string, unknown>;
}

export function fixture(
  eventName: string,
  patch: (raw: Record<string, unknown>) => void = () => {},
): CloudTrailRecord {
  const raw = rawFixture(eventName);
  patch(raw);
  return parseCloudTrailInput(raw)[0]!;
}

export const SRC = "111111111111";
export const DST = "222222222222";
export const replicatorRoleArn = `arn:aws:iam::${DST}:role/lakesync-replicator`;

export const target: CatalogLocation = { name: "dr-west", account: DST, region: "us-west-2" };

export function rules(overrides: Partial<MappingRules> = {}): MappingRules {
  return {
    sourceAccount: SRC,
    sourceRegion: "us-east-1",
    targetAccount: DST,
    targetRegion: "us-west-2",
    buckets: { "lake-east": "lake-west" },
    accounts: {},
    principals: { [`arn:aws:iam::${SRC}:role/Analyst`]: `arn:aws:iam::${DST}:role/DrAnalyst` },
    filters: { include: [], exclude: [] },
    protectedAdmins: [],
    ...overrides,
  };
}

export function plan(
  record: CloudTrailRecord,
  mapping: MappingRules = rules(),
  options: PlanOptions = { replicatorRoleArn },
): Plan {
  return planRecord(record, target, mapping, options);
}

/** The operations as [API, input] pairs: what the executor will send. */
export function calls(p: Plan): [string, Record<string, unknown>][] {
  return p.operations.map((op) => [op.operation, op.input]);
}
