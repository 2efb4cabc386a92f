// Runs the pyiceberg scripts of test/support/iceberg (a real Iceberg implementation) against the
// run's local AWS, with the default local credentials.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { endpoint } from "../support/local-aws.ts";

const python = fileURLToPath(new URL("../../.venv/bin/python", import.meta.url));
const scripts = fileURLToPath(new URL("../support/iceberg/", import.meta.url));

export interface RowsSummary {
  count: number;
  checksum: string;
}

export interface SourceTable {
  metadataLocation: string;
  snapshotIds: string[];
  firstSnapshotId: string;
  rows: RowsSummary;
  firstSnapshotRows: RowsSummary;
}

export interface ReadTable {
  metadataLocation: string;
  rows: RowsSummary;
  firstSnapshotRows: RowsSummary;
  scannedFiles: string[];
}

/** Credentials pyiceberg acts with (an assumed role's act in its account); default "testing". */
export interface PyicebergCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

let credentials: PyicebergCredentials = { accessKeyId: "testing", secretAccessKey: "testing" };

/** The credentials of the following pyiceberg runs of this test file. */
export function actAs(next: PyicebergCredentials): void {
  credentials = next;
}

async function run<T>(script: string, args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(python, [`${scripts}${script}`, ...args], {
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: endpoint(),
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
      PYTHONWARNINGS: "ignore",
    },
    timeout: 180_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as T;
}

/** A partitioned table: two appends, a delete, a schema evolution and an append after it. */
export function createSourceTable(
  region: string,
  bucket: string,
  database: string,
  table: string,
  formatVersion: "1" | "2" = "2",
) {
  return run<SourceTable>("make_table.py", ["create", region, bucket, database, table, formatVersion]);
}

export function appendToSourceTable(region: string, database: string, table: string, firstId: number) {
  return run<SourceTable>("make_table.py", ["append", region, database, table, String(firstId)]);
}

/**
 * Registers the metadata location in the region's Glue catalog and reads the table through it;
 * metadataLocation "-" reads the table the catalog already has.
 */
export function readRegisteredTable(
  region: string,
  metadataLocation: string,
  database: string,
  table: string,
  firstSnapshotId: string,
) {
  return run<ReadTable>("read_table.py", [region, metadataLocation, database, table, firstSnapshotId]);
}
