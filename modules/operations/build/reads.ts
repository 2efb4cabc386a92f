// Reads as operations (idempotency "read"): refetches from the source when CloudTrail omitted a
// call's parameters. Never writes; the phase only orders them like the objects they read.
import {
  GLUE_READ_APIS,
  type GlueReadApi,
  LAKE_FORMATION_READ_APIS,
  type LakeFormationReadApi,
} from "../apis.ts";
import { Phase, type TargetOperation } from "../operation.ts";
import { type Destination, fields, type Json } from "./common.ts";

const readPhase: Partial<Record<GlueReadApi | LakeFormationReadApi, Phase>> = {
  GetDatabase: Phase.databases,
  GetTable: Phase.tables,
  GetPartition: Phase.partitions,
  GetPartitions: Phase.partitions,
  GetDataLakeSettings: Phase.settings,
  GetLFTag: Phase.lfTags,
  GetDataCellsFilter: Phase.dataCellsFilters,
};

export interface Read {
  service: "glue" | "lakeformation";
  /** A read API of the service (apis.ts); anything else is not a read and is refused. */
  operation: string;
  input: Json;
  resourceKey: string;
  description: string;
}

const readApis: Record<Read["service"], readonly string[]> = {
  glue: GLUE_READ_APIS,
  lakeformation: LAKE_FORMATION_READ_APIS,
};

export function readOperation(from: Destination, read: Read): TargetOperation {
  if (!readApis[read.service].includes(read.operation)) {
    throw new Error(`${read.service}:${read.operation} is not a read lakesync makes`);
  }
  const api = read.operation as GlueReadApi | LakeFormationReadApi;
  return {
    service: read.service,
    operation: api,
    input: read.input,
    ...fields(from, read.resourceKey, "read", readPhase[api] ?? Phase.tables, read.description),
  } as TargetOperation;
}
