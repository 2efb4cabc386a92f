// Runs one handler build for stacks/handler-bundle.ts, in a child process of it: the build needs
// an esbuild plugin, plugins need esbuild's asynchronous API, and synth (constructs) is synchronous.
// Reads {builds: [esbuild options]} as JSON on stdin and runs them in parallel; writes nothing to
// disk, prints per build its output files (base64) and its metafile, as one JSON array.
import { readFileSync } from "node:fs";
import { build } from "esbuild";

/**
 * The AWS SDK's schema modules (dist-es/schemas/schemas_0.js: one shape per exported var) key
 * their trait objects by module constants, `{ [_h]: ["GET", "/"] }`. esbuild must assume a computed
 * key may run code, so it keeps every shape of the service, used or not (67 of the S3 client's 101
 * KB in the capture bundle). Writing each key as the string its constant holds, `{ "http": … }`,
 * is the same object, and lets esbuild drop the shapes no bundled command reaches.
 */
const literalSchemaKeys = {
  name: "literal-sdk-schema-keys",
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]@aws-sdk[\\/].+[\\/]schemas[\\/]schemas_\d+\.js$/ }, ({ path }) => {
      const source = readFileSync(path, "utf8");
      const strings = new Map();
      for (const [, name, value] of source.matchAll(/^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm)) {
        strings.set(name, value);
      }
      const contents = source.replace(/\[(_\w+)\]:/g, (key, name) => {
        const value = strings.get(name);
        return value === undefined ? key : `${value}:`;
      });
      return { contents, loader: "js" };
    });
  },
};

const { builds } = JSON.parse(readFileSync(0, "utf8"));
const answers = await Promise.all(
  builds.map(async (options) => {
    const result = await build({ ...options, plugins: [literalSchemaKeys], write: false, metafile: true });
    const files = result.outputFiles.map((file) => ({
      path: file.path,
      contents: Buffer.from(file.contents).toString("base64"),
    }));
    return { files, metafile: result.metafile };
  }),
);
process.stdout.write(JSON.stringify(answers));
