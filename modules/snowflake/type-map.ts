// Glue (Hive) column types -> Snowflake types. Complex types become VARIANT, which is what the
// external table's VALUE holds for nested data anyway.

export type TypeMapping = { ok: true; type: string } | { ok: false; reason: string };

const SCALARS: Record<string, string> = {
  string: "VARCHAR",
  tinyint: "NUMBER(3,0)",
  smallint: "NUMBER(5,0)",
  int: "NUMBER(10,0)",
  integer: "NUMBER(10,0)",
  bigint: "NUMBER(19,0)",
  float: "FLOAT",
  real: "FLOAT",
  double: "DOUBLE",
  "double precision": "DOUBLE",
  boolean: "BOOLEAN",
  date: "DATE",
  timestamp: "TIMESTAMP_NTZ",
  binary: "BINARY",
  // Hive's default decimal is decimal(10,0).
  decimal: "NUMBER(10,0)",
  numeric: "NUMBER(10,0)",
};

const COMPLEX = /^(array|map|struct|uniontype)\s*</;
const PARAMETERISED = /^(decimal|numeric|varchar|char)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$/;

export function toSnowflakeType(glueType: string | undefined): TypeMapping {
  const type = (glueType ?? "").trim().toLowerCase();
  if (!type) return { ok: false, reason: "column has no type" };
  const scalar = SCALARS[type];
  if (scalar) return { ok: true, type: scalar };
  if (COMPLEX.test(type)) return { ok: true, type: "VARIANT" };
  const match = PARAMETERISED.exec(type);
  if (match) {
    const [, name, first, second] = match;
    if (name === "decimal" || name === "numeric") {
      const precision = Number(first);
      const scale = Number(second ?? 0);
      if (precision < 1 || precision > 38 || scale > precision) {
        return {
          ok: false,
          reason: `decimal(${first},${second ?? 0}) is outside Snowflake's NUMBER(1..38, s<=p)`,
        };
      }
      return { ok: true, type: `NUMBER(${precision},${scale})` };
    }
    if (second !== undefined) return { ok: false, reason: `unsupported type ${glueType}` };
    return { ok: true, type: `${name === "char" ? "CHAR" : "VARCHAR"}(${first})` };
  }
  return { ok: false, reason: `unsupported Glue type "${glueType}"` };
}
