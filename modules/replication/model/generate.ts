// Generates the compact request-shape models used by translate.ts from botocore's service JSON
// (the same Smithy models the SDK v3 clients are generated from). Only the input shapes of the
// operations the realtime planner replays or reads are kept, so the committed JSON stays small.
// Run: npx tsx modules/replication/model/generate.ts [path/to/botocore/data]
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { glueEvents, lakeFormationEvents } from "../change.ts";

interface BotocoreShape {
  type: string;
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  value?: { shape: string };
}

/** The compact shape: structures keep member -> shape, lists/maps keep the element shape. */
export type CompactShape =
  | { type: "structure"; members: Record<string, string>; required?: string[] }
  | { type: "list"; member: string }
  | { type: "map"; value: string }
  | { type: "timestamp" | "string" | "boolean" | "integer" | "long" | "double" | "float" | "blob" };

export interface CompactModel {
  service: string;
  /** operation name -> input shape name */
  operations: Record<string, string>;
  shapes: Record<string, CompactShape>;
}

/** The model covers exactly the operations of the supported events. */
export const modelOperations = { glue: glueEvents, lakeformation: lakeFormationEvents } as const;

function compact(shape: BotocoreShape): CompactShape {
  switch (shape.type) {
    case "structure":
      return {
        type: "structure",
        members: Object.fromEntries(Object.entries(shape.members ?? {}).map(([n, m]) => [n, m.shape])),
        ...(shape.required?.length ? { required: shape.required } : {}),
      };
    case "list":
      return { type: "list", member: shape.member!.shape };
    case "map":
      return { type: "map", value: shape.value!.shape };
    default:
      return { type: shape.type as "string" };
  }
}

export function generate(service: keyof typeof modelOperations, dataDir: string): CompactModel {
  const raw = JSON.parse(
    gunzipSync(readFileSync(join(dataDir, service, "2017-03-31", "service-2.json.gz"))).toString("utf8"),
  ) as {
    operations: Record<string, { input?: { shape: string } }>;
    shapes: Record<string, BotocoreShape>;
  };
  const model: CompactModel = { service, operations: {}, shapes: {} };
  const visit = (name: string): void => {
    if (model.shapes[name]) return;
    const shape = raw.shapes[name];
    if (!shape) throw new Error(`${service}: shape ${name} is missing`);
    const small = compact(shape);
    model.shapes[name] = small;
    if (small.type === "structure") for (const member of Object.values(small.members)) visit(member);
    if (small.type === "list") visit(small.member);
    if (small.type === "map") visit(small.value);
  };
  for (const op of modelOperations[service]) {
    const input = raw.operations[op]?.input?.shape;
    if (!input) throw new Error(`${service}: operation ${op} has no input shape`);
    model.operations[op] = input;
    visit(input);
  }
  // Sorted keys keep regenerations diff-friendly.
  model.shapes = Object.fromEntries(Object.entries(model.shapes).sort(([a], [b]) => a.localeCompare(b)));
  return model;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const here = dirname(fileURLToPath(import.meta.url));
  const dataDir = process.argv[2] ?? join(here, "../../../.venv/lib/python3.11/site-packages/botocore/data");
  for (const service of ["glue", "lakeformation"] as const) {
    const model = generate(service, dataDir);
    writeFileSync(join(here, `${service}.json`), `${JSON.stringify(model, null, 2)}\n`);
    process.stdout.write(`${service}: ${Object.keys(model.shapes).length} shapes\n`);
  }
}
