// The one esbuild configuration for Lambda handlers: the stacks bundle with it at synth
// (constructs/nodejs-function.ts), `npm run build:handlers` prints what it makes, and the bench
// measures its output. Nothing is external: the AWS SDK is bundled so its version is the one
// package.json pins, and the only imports left are Node's built-ins (which nodejs22.x ships).
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, buildSync } from "esbuild";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where bundles go: dist/handlers/<name>/ is zipped and deployed as it is. */
export const bundleRoot = join(projectRoot, "dist", "handlers");
/** Source maps are written beside the deployed folders, never into them (they tripled the zip). */
export const sourceMapRoot = join(projectRoot, "dist", "sourcemaps");

/** What a handler bundle may weigh (issue 12): bigger bundles cost cold-start time. */
export const BUNDLE_BUDGET_BYTES = 500 * 1024;

export const handlerBuildOptions = {
  bundle: true,
  platform: "node",
  target: "node22",
  format: "esm",
  // The SDK's and Powertools' ESM builds first: esbuild tree-shakes them down to the commands a
  // handler sends, where their CommonJS builds (esbuild's default for platform node) carry every
  // command of every client.
  mainFields: ["module", "main"],
  minify: true,
  // A separate file with no sourceMappingURL comment: kept in dist/sourcemaps for decoding stack
  // traces, not shipped.
  sourcemap: "external",
  legalComments: "none",
  logLevel: "error",
  // Lambda's credentials are in the environment: the SDK's default chain is swapped for fromEnv.
  alias: { "@aws-sdk/credential-provider-node": "./modules/aws/lambda-credentials.ts" },
  absWorkingDir: projectRoot,
  // ESM bundles of CommonJS dependencies still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
} as const satisfies BuildOptions;

export interface HandlerBundle {
  /** The handler's name: its entry file without folder and extension. */
  name: string;
  /** The folder to zip: index.mjs only. */
  dir: string;
  /** Bytes of index.mjs, the code Lambda loads. */
  bytes: number;
  sourceMap: string;
}

/** The bundle folder's name for an entry like handlers/replicate.ts. */
export function handlerName(entry: string): string {
  return basename(entry).replace(/\.[cm]?[jt]s$/, "");
}

const built = new Map<string, HandlerBundle>();

/**
 * Bundles a handler module (relative to the repository root, exporting `handler`) into
 * dist/handlers/<name>/index.mjs, once per process: every stack deploying the same handler shares
 * the bundle, so synth time does not grow with the number of functions. Files are written to a
 * temporary name and renamed, so a process reading a bundle another one is writing never sees half
 * a file.
 */
export function bundleHandler(entry: string, name = handlerName(entry)): HandlerBundle {
  const key = `${entry}|${name}`;
  const cached = built.get(key);
  if (cached) return cached;
  const dir = join(bundleRoot, name);
  const sourceMap = join(sourceMapRoot, name, "index.mjs.map");
  const result = buildSync({
    ...handlerBuildOptions,
    entryPoints: [join(projectRoot, entry)],
    outfile: join(dir, "index.mjs"),
    write: false,
  });
  let bytes = 0;
  for (const file of result.outputFiles) {
    const isMap = file.path.endsWith(".map");
    const path = isMap ? sourceMap : file.path;
    if (!isMap) bytes = file.contents.byteLength;
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, file.contents);
    renameSync(partial, path);
  }
  const bundle = { name, dir, bytes, sourceMap };
  built.set(key, bundle);
  return bundle;
}
