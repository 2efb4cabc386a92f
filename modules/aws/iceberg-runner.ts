// The runner's step for table writes that carry the Iceberg directive (modules/operations/
// directives.ts): rewrites the table's metadata tree into the target bucket (modules/iceberg) and
// returns the command input pointing at it, or ends the operation skipped. The source buckets are
// read with the source's clients, the target buckets written with the operation's target clients.
import type { S3Client } from "@aws-sdk/client-s3";
import { planTableRewrite } from "../iceberg/plan.ts";
import { rewriteTableForTarget } from "../iceberg/rewrite-table.ts";
import type { TargetOperation } from "../operations/operation.ts";
import {
  commandInput,
  type IcebergDirectives,
  icebergDirectives,
  OperationSkippedError,
} from "../operations/runner.ts";
import type { AwsClients } from "./clients.ts";
import { S3IcebergFileStore } from "./iceberg-file-store.ts";

type Json = Record<string, unknown>;
type Rewrite = Extract<IcebergDirectives, { mode: "rewrite" }>;

/** The input to send for `operation`: as built, or with its Iceberg metadata rewritten. */
export async function inputWithIcebergRewrite(
  operation: TargetOperation,
  clients: AwsClients,
): Promise<Json> {
  const input = commandInput(operation.input);
  const directive = icebergDirectives(operation.input);
  if (!directive) return input;
  if (directive.mode === "skip") throw new OperationSkippedError(directive.reason);
  const store = storeFor(operation, directive, clients);
  // A source table whose own metadata file is absent has no tree to rewrite, and reads nothing in
  // the source either: the target gets the same pointer the mapping gives (as pointer-only). Any
  // file missing below it, or an unsupported tree, ends the table skipped instead (below).
  if (!(await store.exists(directive.sourceMetadataLocation))) return input;
  const current = await rewriteTableForTarget({
    metadataLocation: directive.sourceMetadataLocation,
    buckets: directive.buckets,
    store,
  });
  if (current.skipped !== undefined)
    throw new OperationSkippedError(`Iceberg metadata not rewritten: ${current.skipped}`);
  const parameters: Json = { metadata_location: current.metadataLocation };
  if (directive.sourcePreviousMetadataLocation) {
    // Rewritten with the current tree (its metadata log names it): found in place, one GET and
    // one HEAD. An expired previous file keeps the pointer the mapping gave it.
    const previous = await rewriteTableForTarget({
      metadataLocation: directive.sourcePreviousMetadataLocation,
      buckets: directive.buckets,
      store,
    });
    if (previous.skipped === undefined) parameters.previous_metadata_location = previous.metadataLocation;
  }
  const tableInput = (input.TableInput ?? {}) as Json;
  return {
    ...input,
    TableInput: { ...tableInput, Parameters: { ...((tableInput.Parameters as Json) ?? {}), ...parameters } },
  };
}

function storeFor(operation: TargetOperation, directive: Rewrite, clients: AwsClients): S3IcebergFileStore {
  const targetBuckets = new Set(Object.values(directive.buckets));
  const { region, account, roleArn } = operation.target;
  const target: S3Client = clients.get("s3", { region, account, ...(roleArn ? { roleArn } : {}) });
  const source: S3Client = clients.get("s3", directive.source);
  return new S3IcebergFileStore((bucket) => (targetBuckets.has(bucket) ? target : source));
}

/** What a dry run says of a table write with the rewrite directive: files to write, files in place. */
export type IcebergRewritePreview =
  | { table: string; writes: number; reused: number; targetBucket: string }
  | { table: string; skipped: string };

/** The rewrite plans of the operations that carry the directive (reads S3, writes nothing). */
export async function previewIcebergRewrites(
  operations: readonly TargetOperation[],
  clients: AwsClients,
): Promise<IcebergRewritePreview[]> {
  const previews: IcebergRewritePreview[] = [];
  for (const operation of operations) {
    const directive = icebergDirectives(operation.input);
    if (!directive) continue;
    const input = operation.input as { DatabaseName?: string; TableInput?: { Name?: string } };
    const table = `${input.DatabaseName}.${input.TableInput?.Name}`;
    if (directive.mode === "skip") {
      previews.push({ table, skipped: directive.reason });
      continue;
    }
    const store = storeFor(operation, directive, clients);
    if (!(await store.exists(directive.sourceMetadataLocation))) continue; // pointer only, see above
    const outcome = await planTableRewrite({
      metadataLocation: directive.sourceMetadataLocation,
      buckets: directive.buckets,
      store,
    });
    if ("skipped" in outcome) previews.push({ table, skipped: outcome.skipped });
    else {
      const targetBucket = /^s3[an]?:\/\/([^/]+)/.exec(outcome.plan.metadataLocation)?.[1] ?? "";
      previews.push({
        table,
        writes: outcome.plan.writes.length,
        reused: outcome.plan.reused.length,
        targetBucket,
      });
    }
  }
  return previews;
}
