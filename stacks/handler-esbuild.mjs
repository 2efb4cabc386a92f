// Runs one handler build for stacks/handler-bundle.ts, in a child process of it: the build needs
// an esbuild plugin, plugins need esbuild's asynchronous API, and synth (constructs) is synchronous.
// Reads {builds: [esbuild options]} as JSON on stdin and runs them in parallel; writes nothing to
// disk, prints per build its output files (base64) and its metafile, as one JSON array.
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { flatSdkBarrels, SDK_MODULE } from "./sdk-barrels.mjs";

/**
 * The AWS SDK's schema modules (dist-es/schemas/schemas_0.js: one shape per exported var) key
 * their trait objects by module constants, `{ [_h]: ["GET", "/"] }`. esbuild must assume a computed
 * key may run code, so it keeps every shape of the service, used or not (67 of the S3 client's 101
 * KB in the capture bundle). Writing each key as the string its constant holds, `{ "http": … }`,
 * is the same object, and lets esbuild drop the shapes no bundled command reaches.
 */
function literalSchemaKeys(source) {
  const strings = new Map();
  for (const [, name, value] of source.matchAll(/^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm)) {
    strings.set(name, value);
  }
  return source.replace(/\[(_\w+)\]:/g, (key, name) => {
    const value = strings.get(name);
    return value === undefined ? key : `${value}:`;
  });
}

const SCHEMA_MODULE = /[\\/]@aws-sdk[\\/].+[\\/]schemas[\\/]schemas_\d+\.js$/;

/** The SDK's modules as the handler builds load them: schema keys literal, barrel imports flat. */
const sdkModules = {
  name: "sdk-modules",
  setup(esbuild) {
    const flatten = flatSdkBarrels(esbuild);
    esbuild.onLoad({ filter: SDK_MODULE }, async ({ path }) => {
      const source = readFileSync(path, "utf8");
      const keyed = SCHEMA_MODULE.test(path) ? literalSchemaKeys(source) : source;
      return { contents: await flatten(keyed, path), loader: "js" };
    });
  },
};

/**
 * Each SDK client imports its whole package.json (`import packageInfo from "../package.json"`) for
 * one field, the version in its user agent; a default import of JSON keeps every field (2 KB of
 * scripts, dependencies and keywords per client). Loading it as the version alone keeps the one
 * field the SDK reads.
 */
const sdkPackageVersion = {
  name: "sdk-package-version",
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]package\.json$/ }, ({ path }) => {
      const { version } = JSON.parse(readFileSync(path, "utf8"));
      return { contents: JSON.stringify({ version }), loader: "json" };
    });
  },
};

const { builds } = JSON.parse(readFileSync(0, "utf8"));
const answers = await Promise.all(
  builds.map(async (options) => {
    const result = await build({
      ...options,
      plugins: [sdkModules, sdkPackageVersion],
      write: false,
      metafile: true,
    });
    const files = result.outputFiles.map((file) => ({
      path: file.path,
      contents: Buffer.from(file.contents).toString("base64"),
    }));
    return { files, metafile: result.metafile };
  }),
);
process.stdout.write(JSON.stringify(answers));
