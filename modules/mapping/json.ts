// The loose JSON shape mapped values travel in (SDK inputs and snapshot values alike).
export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
