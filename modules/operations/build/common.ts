// What every builder shares: where the operation goes (target, catalog, source time), the fields
// filled alike for every producer, and the one place JSON documents are taken as SDK shapes.
import { type BatchApi, batchLimits } from "../apis.ts";
import { chunk } from "../batch-entries.ts";
import type { CatalogLocation, Idempotency, Phase, TargetOperation } from "../operation.ts";

export type Json = Record<string, unknown>;

/** Where an operation writes, and for which change. */
export interface Destination {
  target: CatalogLocation;
  /**
   * The catalog to name in the input (`CatalogId`, already mapped); absent, the input names none
   * and the call uses the caller's catalog: the target account, which resource keys then use.
   */
  catalogId?: string;
  /** Source eventTime (ISO 8601) of the change, for realtime operations. */
  sourceTime?: string;
}

/** A builder's optional say on the description, where a producer's printed plan differs. */
export interface Described {
  /** Replaces the builder's description (plans other producers have always printed). */
  description?: string;
}

/** How a batch is keyed: by the table or database it writes in, or by its first entry. */
export interface BatchKeying {
  /**
   * `container` (default): one key per table (partitions) or database (tables), so the batch runs
   * after, and is skipped with, earlier operations on that object. `firstEntry`: the first
   * entry's own key, so the chunks of one batch run side by side.
   */
  keyBy?: "container" | "firstEntry";
}

export const catalogOf = (to: Destination): string => to.catalogId ?? to.target.account;

/** `{CatalogId}` when the destination names a catalog, else nothing. */
export function catalogField(to: Destination, field = "CatalogId"): Json {
  return to.catalogId === undefined ? {} : { [field]: to.catalogId };
}

/** The fields every operation carries, filled the same way for every producer. */
export function fields(
  to: Destination,
  resourceKey: string,
  idempotency: Idempotency,
  phase: Phase,
  description: string,
) {
  return {
    target: to.target,
    resourceKey,
    idempotency,
    phase,
    ...(to.sourceTime === undefined ? {} : { sourceTime: to.sourceTime }),
    description,
  };
}

/** The fallback a create runs when its object exists: described as such. */
export function asFallback<Op extends TargetOperation>(operation: Op, why = "it already exists"): Op {
  return { ...operation, description: `${operation.description} (${why})` };
}

/**
 * Snapshots, CloudTrail parameters and the mapping carry SDK input shapes as plain JSON. This is
 * where builders take them as such; the input around them is checked with `satisfies`.
 */
export function shape<T>(document: unknown): T {
  return document as T;
}

/** The input without members that are undefined, so it prints and compares cleanly. */
export function compact<T extends object>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as T;
}

/** A batch API's entries in chunks of its AWS limit (apis.ts `batchLimits`). */
export function chunksFor<T>(api: BatchApi, entries: readonly T[]): T[][] {
  return chunk(entries, batchLimits[api]);
}

export const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);
