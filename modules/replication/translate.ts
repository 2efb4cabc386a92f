// Schema-aware translation of CloudTrail requestParameters into AWS SDK v3 command inputs.
// CloudTrail writes each structure member with its first letter lower-cased (tableInput,
// storageDescriptor, serdeInfo, lFTags); the SDK wants the model's member names. Walking the
// service model means only structure members are renamed: map keys (table, SerDe and database
// Parameters) and list/string values (column names, tag values) pass through untouched, which is
// exactly what the seed's alias map got wrong.
import type { CompactModel, CompactShape } from "./model/generate.ts";
import glueModel from "./model/glue.json" with { type: "json" };
import lakeformationModel from "./model/lakeformation.json" with { type: "json" };

export type ServiceName = "glue" | "lakeformation";

const models: Record<ServiceName, CompactModel> = {
  glue: glueModel as CompactModel,
  lakeformation: lakeformationModel as CompactModel,
};

/**
 * Members CloudTrail records that are not in the public API model (console/internal fields). They
 * are dropped on purpose; anything else unknown is an error.
 */
const cloudTrailOnlyMembers: Readonly<Record<string, readonly string[]>> = {
  TableInput: ["isRowFilteringEnabled"],
  DataLakeSettings: [
    "whitelistedForExternalDataFiltering",
    "disallowGrantOnIAMAllowedPrincipals",
    "setSourceIdentity",
  ],
};

/** A request that does not fit the service model; `path` names the offending member. */
export class TranslateError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
    this.name = "TranslateError";
  }
}

export function supportsOperation(service: ServiceName, operation: string): boolean {
  return operation in models[service].operations;
}

/** Translates the requestParameters of `operation` into its SDK v3 input. */
export function translateRequest(
  service: ServiceName,
  operation: string,
  requestParameters: Record<string, unknown>,
): Record<string, unknown> {
  const model = models[service];
  const inputShape = model.operations[operation];
  if (!inputShape)
    throw new TranslateError(`${service} has no operation ${operation} in the model`, operation);
  return translateValue(model, inputShape, requestParameters, "requestParameters") as Record<string, unknown>;
}

function shapeOf(model: CompactModel, name: string): CompactShape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`model ${model.service} lacks shape ${name}`); // generator bug
  return shape;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function memberName(members: Record<string, string>, key: string): string | undefined {
  if (key in members) return key;
  const byCloudTrailCase = Object.keys(members).find((m) => lowerFirst(m) === key);
  if (byCloudTrailCase) return byCloudTrailCase;
  const lower = key.toLowerCase();
  const caseless = Object.keys(members).filter((m) => m.toLowerCase() === lower);
  return caseless.length === 1 ? caseless[0] : undefined;
}

function translateValue(model: CompactModel, shapeName: string, value: unknown, path: string): unknown {
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case "structure": {
      if (!isObject(value)) throw new TranslateError(`expected an object (${shapeName})`, path);
      const out: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(value)) {
        if (member === null || member === undefined) continue;
        const name = memberName(shape.members, key);
        if (!name) {
          if (cloudTrailOnlyMembers[shapeName]?.includes(key)) continue;
          throw new TranslateError(`unknown member of ${shapeName}`, `${path}.${key}`);
        }
        out[name] = translateValue(model, shape.members[name]!, member, `${path}.${key}`);
      }
      const missing = (shape.required ?? []).find((name) => out[name] === undefined);
      if (missing)
        throw new TranslateError(
          `required member of ${shapeName} is missing`,
          `${path}.${lowerFirst(missing)}`,
        );
      return out;
    }
    case "list":
      if (!Array.isArray(value)) throw new TranslateError(`expected a list (${shapeName})`, path);
      return value.map((item, i) => translateValue(model, shape.member, item, `${path}[${i}]`));
    case "map": {
      if (!isObject(value)) throw new TranslateError(`expected a map (${shapeName})`, path);
      // Map keys are data (e.g. "EXTERNAL", "skip.header.line.count"): never renamed.
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, translateValue(model, shape.value, v, `${path}.${k}`)]),
      );
    }
    case "timestamp":
      return parseCloudTrailTime(value, path);
    case "boolean":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "false") return value === "true";
      throw new TranslateError("expected a boolean", path);
    case "integer":
    case "long":
    case "double":
    case "float": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isFinite(n)) throw new TranslateError("expected a number", path);
      return n;
    }
    case "string":
      if (typeof value !== "string") throw new TranslateError("expected a string", path);
      return value;
    default:
      return value;
  }
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// CloudTrail renders Glue timestamps as Java's default format, in UTC: "Nov 22, 2026 10:00:00 AM".
const javaTime = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2})\s?(AM|PM)$/;

/** CloudTrail timestamps ("Nov 22, 2026 10:00:00 AM", ISO 8601, epoch seconds) as a Date. */
export function parseCloudTrailTime(value: unknown, path: string): Date {
  if (typeof value === "number") return new Date(value > 1e11 ? value : value * 1000);
  if (typeof value === "string") {
    const java = javaTime.exec(value.trim());
    if (java) {
      const [, mon, day, year, hour, minute, second, half] = java;
      const month = months.indexOf(mon!);
      const h = (Number(hour) % 12) + (half === "PM" ? 12 : 0);
      if (month >= 0) {
        return new Date(Date.UTC(Number(year), month, Number(day), h, Number(minute), Number(second)));
      }
    }
    if (/^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value);
  }
  throw new TranslateError(`expected a timestamp, got ${JSON.stringify(value)}`, path);
}
