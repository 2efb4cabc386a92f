// Imports through the AWS SDK's barrel modules, rewritten to the modules that define the names, for
// the handler builds (handler-esbuild.mjs).
//
// Why: esbuild assigns whole files to chunks by the entry points that reach them, following every
// import record of a file, re-exports included. A barrel such as @aws-sdk/core/protocols
// (`export { AwsQueryProtocol } from "./query/AwsQueryProtocol"`, and every other protocol) is
// reached at init through one name (the JSON protocol a Glue client uses), so every file it
// re-exports counts as reached at init too. Where a lazy chunk really uses one of them (STS's
// query protocol behind fromTemporaryCredentials, S3's XML for oversized records), esbuild puts it
// in a chunk shared with the entry, and it loads at init after all: 24 to 57 KB per handler. An
// import of `{ AwsJson1_1Protocol }` from the file that defines it reaches that file alone.
//
// Only imports of names are rewritten (`import { a, b as c } from "barrel"`), to the module that
// defines each name, through nested barrels; a name not found stays on its original import. A
// barrel is a module of `export … from` statements only. Modules its package declares to have side
// effects (package.json sideEffects) are still imported, bare, so flattening never skips one.
import { readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { init, parse } from "es-module-lexer";

/** The SDK's ES modules: the files whose imports are rewritten. */
export const SDK_MODULE = /[\\/]node_modules[\\/]@(aws-sdk|smithy)[\\/].+\.m?js$/;

const NAMED_IMPORT = /^import\s*\{([^}]*)\}\s*from\s*["'][^"']+["']\s*;?$/;
const NAMED_REEXPORT = /^export\s*\{([^}]*)\}\s*from\s*["'][^"']+["']\s*;?$/;
const STAR_REEXPORT = /^export\s*\*\s*from\s*["'][^"']+["']\s*;?$/;
const COMMENTS = /\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;

/** `a, b as c` → [["a", "a"], ["b", "c"]]: [name in the module imported from, local or exported name]. */
function specifiers(list) {
  return list
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const [name, alias] = entry.split(/\s+as\s+/);
      return [name.trim(), (alias ?? name).trim()];
    });
}

function isFile(path) {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function escapeRegExp(text) {
  return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether a file of a package has side effects, as its package.json says (no field: it may). */
function sideEffectTest(packageRoot) {
  const { sideEffects } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8"));
  if (sideEffects === false) return () => false;
  if (!Array.isArray(sideEffects)) return () => true;
  const patterns = sideEffects.map((glob) => {
    const path = glob.replace(/^\.\//, "");
    const source = escapeRegExp(path)
      .replace(/\\\*\\\*/g, ".*")
      .replace(/\\\*/g, "[^/]*");
    return new RegExp(`(^|/)${source}$`);
  });
  return (file) => {
    const path = relative(packageRoot, file).split("\\").join("/");
    return patterns.some((pattern) => pattern.test(path));
  };
}

// Shared by every build of the process (they resolve with the same options): a file's resolution,
// barrel reading and package side effects are read once for all handlers.
const resolved = new Map();
const modules = new Map();
const barrels = new Map();
const effects = new Map();
/** Barrel readings run one at a time: a reading waits on no other, so none can wait on itself. */
let readings = Promise.resolve();

export function flatSdkBarrels(build) {
  /**
   * The file a specifier names. Relative ones are looked up directly (the SDK's ES builds name
   * their files without extension, and folders by their index.js), the rest by esbuild, once per
   * folder and specifier.
   */
  function resolveFrom(spec, dir) {
    if (spec.startsWith(".")) {
      const base = join(dir, spec);
      const file = [base, `${base}.js`, `${base}.mjs`, join(base, "index.js")].find(isFile);
      if (file) return Promise.resolve(file);
    }
    const key = `${dir}\0${spec}`;
    if (!resolved.has(key)) {
      resolved.set(
        key,
        build
          .resolve(spec, { kind: "import-statement", resolveDir: dir })
          .then((r) => (r.errors.length === 0 && !r.external && r.path ? r.path : undefined)),
      );
    }
    return resolved.get(key);
  }

  /** A module's source with its import and export records, read and lexed once per file. */
  function lexed(file) {
    if (!modules.has(file)) {
      const source = readFileSync(file, "utf8");
      const [imports, exports] = parse(source);
      modules.set(file, { source, imports, exports });
    }
    return modules.get(file);
  }

  function hasSideEffects(file) {
    // The nearest package.json's answer, remembered for every folder walked to find it.
    const walked = [];
    let dir = dirname(file);
    while (!effects.has(dir)) {
      walked.push(dir);
      try {
        effects.set(dir, sideEffectTest(dir));
      } catch {
        const parent = dirname(dir);
        if (parent === dir) return true;
        dir = parent;
      }
    }
    for (const folder of walked) effects.set(folder, effects.get(dir));
    return effects.get(dir)(file);
  }

  /**
   * A barrel's names, each with the module defining it, and the modules with side effects it
   * re-exports from; undefined when the file is not a barrel.
   */
  function barrel(file) {
    if (barrels.has(file)) return Promise.resolve(barrels.get(file));
    const reading = readings.then(() => nestedBarrel(file, []));
    readings = reading.catch(() => undefined);
    return reading;
  }

  async function nestedBarrel(file, chain) {
    if (barrels.has(file)) return barrels.get(file);
    if (chain.includes(file)) return undefined; // barrels re-exporting each other: left as they are
    const read = await readBarrel(file, [...chain, file]);
    barrels.set(file, read);
    return read;
  }

  async function readBarrel(file, chain) {
    const { source, imports } = lexed(file);
    let rest = source;
    for (const record of [...imports].reverse()) rest = rest.slice(0, record.ss) + rest.slice(record.se);
    if (rest.replace(COMMENTS, "").replace(/[\s;]/g, "") !== "") return undefined;
    const names = new Map();
    const ambiguous = new Set();
    const effectful = new Set();
    for (const record of imports) {
      const statement = source.slice(record.ss, record.se);
      if (record.d !== -1 || record.n === undefined) return undefined;
      const target = await resolveFrom(record.n, dirname(file));
      if (!target) return undefined;
      const nested = await nestedBarrel(target, chain);
      if (nested) for (const module of nested.effectful) effectful.add(module);
      else if (hasSideEffects(target)) effectful.add(target);
      const named = NAMED_REEXPORT.exec(statement);
      if (named) {
        for (const [name, exported] of specifiers(named[1])) {
          const origin = nested ? nested.names.get(name) : { file: target, name };
          if (origin) names.set(exported, origin);
        }
      } else if (STAR_REEXPORT.test(statement)) {
        const starred = nested
          ? nested.names
          : new Map(
              lexed(target)
                .exports.filter(({ n }) => n !== "default")
                .map(({ n }) => [n, { file: target, name: n }]),
            );
        for (const [name, origin] of starred) {
          const known = names.get(name);
          // Two `export *` giving one name different origins: ES leaves the name out, so do we.
          if (known && (known.file !== origin.file || known.name !== origin.name)) ambiguous.add(name);
          else names.set(name, origin);
        }
      } else {
        return undefined; // `export * as ns`, an import: not a plain barrel
      }
    }
    for (const name of ambiguous) names.delete(name);
    return { names, effectful };
  }

  /** `source` with its named imports from barrels pointed at the modules defining the names. */
  return async function flatten(source, file) {
    await init;
    const [imports] = parse(source);
    let out = source;
    for (const record of [...imports].reverse()) {
      if (record.d !== -1 || record.n === undefined) continue;
      const statement = source.slice(record.ss, record.se);
      const named = NAMED_IMPORT.exec(statement);
      if (!named) continue;
      const target = await resolveFrom(record.n, dirname(file));
      const flat = target && (await barrel(target));
      if (!flat) continue;
      const byModule = new Map();
      const unresolved = [];
      for (const [name, local] of specifiers(named[1])) {
        const origin = flat.names.get(name);
        if (!origin) {
          unresolved.push(name === local ? name : `${name} as ${local}`);
          continue;
        }
        const list = byModule.get(origin.file) ?? [];
        list.push(origin.name === local ? local : `${origin.name} as ${local}`);
        byModule.set(origin.file, list);
      }
      const lines = [...flat.effectful].map((module) => `import ${JSON.stringify(module)};`);
      for (const [module, list] of byModule)
        lines.push(`import { ${list.join(", ")} } from ${JSON.stringify(module)};`);
      if (unresolved.length > 0)
        lines.push(`import { ${unresolved.join(", ")} } from ${JSON.stringify(record.n)};`);
      out = out.slice(0, record.ss) + lines.join("\n") + out.slice(record.se);
    }
    return out;
  };
}
