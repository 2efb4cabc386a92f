// The one esbuild configuration for Lambda handlers: the stacks bundle with it at synth
// (constructs/nodejs-function.ts), `npm run build:handlers` prints what it makes, and the bench
// measures its output. Nothing is external: the AWS SDK is bundled so its version is the one
// package.json pins, and the only imports left are Node's built-ins (which nodejs22.x ships).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildOptions, Metafile } from "esbuild";
import { HANDLERS } from "../modules/deploy/handlers.ts";

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
  // Code paths few invocations take (the Iceberg metadata rewrite) are imported dynamically and
  // land in chunks of their own beside index.mjs: the folder is what Lambda unzips, and a chunk is
  // read only when its path first runs, so cold init loads the entry and its static imports only.
  splitting: true,
  entryNames: "index",
  chunkNames: "chunk-[hash]",
  outExtension: { ".js": ".mjs" },
  // A separate file with no sourceMappingURL comment: kept in dist/sourcemaps for decoding stack
  // traces, not shipped.
  sourcemap: "external",
  legalComments: "none",
  logLevel: "error",
  // Lambda's credentials are in the environment: the SDK's default chain is swapped for fromEnv.
  // The X-Ray SDK's use of semver is one version comparison (semver-gte.mjs says which).
  // fromTemporaryCredentials is the one credential provider a handler builds (writer roles): taken
  // from its module, not the package's index, whose other providers (SSO, INI, Cognito, process)
  // each bring lazy imports esbuild would split into chunks shared with the init code.
  alias: {
    "@aws-sdk/credential-provider-node": "./modules/aws/lambda-credentials.ts",
    "@aws-sdk/credential-providers":
      "./node_modules/@aws-sdk/credential-providers/dist-es/fromTemporaryCredentials.js",
    semver: "./stacks/semver-gte.mjs",
  },
  absWorkingDir: projectRoot,
  // ESM bundles of CommonJS dependencies still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
} as const satisfies BuildOptions;

export interface HandlerBundle {
  /** The handler's name: its entry file without folder and extension. */
  name: string;
  /** The folder to zip: index.mjs, and the chunks it imports. */
  dir: string;
  /**
   * Bytes Lambda loads at init: index.mjs and the chunks it imports statically (the budget's
   * measure). Chunks behind a dynamic import() load only when their code path first runs.
   */
  bytes: number;
  /** Bytes of the chunks loaded only on demand (the Iceberg rewrite, for one). */
  lazyBytes: number;
  /**
   * The source files in the code loaded at init (paths relative to the repository root, with
   * node_modules/ for dependencies) and the bytes each contributes: what the init bytes are made of.
   */
  initInputs: Record<string, number>;
  /** Of `bytes`, lakesync's own source files (the rest is the SDK, Powertools and other dependencies). */
  ownCodeBytes: number;
  /** Every file of the folder, with its bytes. */
  files: { name: string; bytes: number }[];
  /** The entry's source map (chunks' maps sit beside it). */
  sourceMap: string;
}

/** The bundle folder's name for an entry like handlers/replicate.ts. */
export function handlerName(entry: string): string {
  return basename(entry).replace(/\.[cm]?[jt]s$/, "");
}

const built = new Map<string, HandlerBundle>();

interface BuildAnswer {
  files: { path: string; contents: string }[];
  metafile: Metafile;
}

/** `output` and every chunk it imports statically, transitively: the files loaded at init. */
function initOutputs(metafile: Metafile, output: string, seen = new Set<string>()): Set<string> {
  const meta = metafile.outputs[output];
  if (seen.has(output) || !meta) return seen;
  seen.add(output);
  for (const imported of meta.imports) {
    if (imported.kind === "import-statement" && !imported.external)
      initOutputs(metafile, imported.path, seen);
  }
  return seen;
}

/**
 * Bundles a handler module (relative to the repository root, exporting `handler`) into
 * dist/handlers/<name>/index.mjs (with its chunks), once per process: every stack deploying the
 * same handler shares the bundle, so synth time does not grow with the number of functions. The
 * build runs in a child process (handler-esbuild.mjs says why); the first handler a process asks
 * for under its own name brings every deployed handler's build into the same child run (one Node
 * and one esbuild start, the builds in parallel), as synth deploys them all. Each file is written
 * to a temporary name and renamed, chunks before the entry that imports them, so a process reading
 * a bundle another one is writing never sees half a file; chunk names are content hashes, and
 * files a previous build left in the folder are removed.
 */
export function bundleHandler(entry: string, name = handlerName(entry)): HandlerBundle {
  const key = `${entry}|${name}`;
  const cached = built.get(key);
  if (cached) return cached;
  const wanted = [{ entry, name }];
  if (name === handlerName(entry)) {
    for (const { entry: other } of Object.values(HANDLERS)) {
      if (other !== entry && !built.has(`${other}|${handlerName(other)}`))
        wanted.push({ entry: other, name: handlerName(other) });
    }
  }
  const answers = JSON.parse(
    execFileSync(process.execPath, [join(projectRoot, "stacks", "handler-esbuild.mjs")], {
      input: JSON.stringify({
        builds: wanted.map((want) => ({
          ...handlerBuildOptions,
          entryPoints: [join(projectRoot, want.entry)],
          outdir: join(bundleRoot, want.name),
        })),
      }),
      encoding: "utf8",
      maxBuffer: 1024 * 1024 * 1024,
    }),
  ) as BuildAnswer[];
  wanted.forEach((want, i) => {
    built.set(`${want.entry}|${want.name}`, writeBundle(want.name, answers[i] as BuildAnswer));
  });
  return built.get(key) as HandlerBundle;
}

function writeBundle(name: string, answer: BuildAnswer): HandlerBundle {
  const dir = join(bundleRoot, name);
  const entryFile = join(dir, "index.mjs");
  const code = answer.files.filter((file) => !file.path.endsWith(".map"));
  const ordered = [
    ...answer.files.filter((file) => file.path.endsWith(".map")),
    ...code.filter((file) => file.path !== entryFile),
    ...code.filter((file) => file.path === entryFile),
  ];
  for (const file of ordered) {
    const path = file.path.endsWith(".map") ? join(sourceMapRoot, name, basename(file.path)) : file.path;
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, Buffer.from(file.contents, "base64"));
    renameSync(partial, path);
  }
  const kept = new Set(code.map((file) => basename(file.path)));
  for (const stale of readdirSync(dir)) {
    if (!kept.has(stale) && !stale.endsWith(".tmp")) rmSync(join(dir, stale), { force: true });
  }
  const files = code.map((file) => ({
    name: basename(file.path),
    bytes: Buffer.byteLength(file.contents, "base64"),
  }));
  const total = files.reduce((sum, file) => sum + file.bytes, 0);
  let bytes = 0;
  const initInputs: Record<string, number> = {};
  for (const output of initOutputs(answer.metafile, relative(projectRoot, entryFile))) {
    const meta = answer.metafile.outputs[output]!;
    bytes += meta.bytes;
    for (const [input, { bytesInOutput }] of Object.entries(meta.inputs))
      initInputs[input] = (initInputs[input] ?? 0) + bytesInOutput;
  }
  const ownCodeBytes = Object.entries(initInputs)
    .filter(([input]) => !input.includes("node_modules/"))
    .reduce((sum, [, inputBytes]) => sum + inputBytes, 0);
  const sourceMap = join(sourceMapRoot, name, "index.mjs.map");
  return { name, dir, bytes, lazyBytes: total - bytes, initInputs, ownCodeBytes, files, sourceMap };
}
