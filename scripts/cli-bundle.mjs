// The `lakesync` command as plain JavaScript: the CLI's TypeScript bundled by esbuild (npm packages
// but zod left external, each command a lazy chunk), built on first use and again whenever a source file
// it was built from changes. Running TypeScript through tsx's loader instead costs every run about
// 35 MB of RSS (a second V8 isolate for the loader thread, and the compiled sources held twice):
// `lakesync --help` 81 MB through tsx, 46 MB from the bundle. LAKESYNC_FROM_SOURCE=1 runs the
// sources through tsx (scripts/lakesync.mjs), as does any failure to build or read the bundle.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ENTRY = "modules/cli/main.ts";
/** Files the build depends on beside its sources: this file's options and the compiler settings. */
const BUILD_FILES = ["scripts/cli-bundle.mjs", "tsconfig.json", "package.json"];
/** npm packages bundled into the CLI rather than loaded from node_modules (see externalPackages). */
const BUNDLED_PACKAGES = ["zod"];
/** Builds older than this that are no longer current are removed (a long run may still load chunks). */
const STALE_BUILD_MS = 24 * 60 * 60 * 1000;

const stamp = (file) => {
  const { mtimeMs, size } = statSync(file);
  return `${mtimeMs}:${size}`;
};

function readCurrent(root, dist) {
  try {
    const current = JSON.parse(readFileSync(join(dist, "cli.json"), "utf8"));
    for (const [file, seen] of Object.entries(current.inputs)) if (stamp(join(root, file)) !== seen) return;
    return join(dist, current.dir, "main.js");
  } catch {
    return undefined; // no build yet, or an input moved or was deleted: build again
  }
}

/**
 * The bundle's entry file, built now if no current build exists (about a second). Builds go to a
 * fresh folder named in dist/cli.json, replaced atomically, so concurrent runs never see a partial
 * build. The folder sits two levels under the root, as modules/<area>/ does, so the sources' paths
 * relative to import.meta.url (the project root, package resolution) hold in the bundle too.
 */
export async function cliBundle(root, dist = join(root, "dist")) {
  const current = readCurrent(root, dist);
  if (current) return current;
  const { build, stop } = await import("esbuild");
  const dir = `cli-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
  try {
    const { metafile } = await build({
      absWorkingDir: root,
      entryPoints: { main: ENTRY },
      outdir: join(dist, dir),
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      external: externalPackages(root),
      sourcemap: "linked",
      metafile: true,
      logLevel: "silent",
    });
    const inputs = {};
    for (const file of [...Object.keys(metafile.inputs), ...BUILD_FILES])
      inputs[file] = stamp(join(root, file));
    const pointer = join(dist, `cli.json.${dir}`);
    writeFileSync(pointer, JSON.stringify({ dir, inputs }));
    renameSync(pointer, join(dist, "cli.json"));
  } finally {
    await stop();
  }
  removeStaleBuilds(dist, dir);
  return join(dist, dir, "main.js");
}

/**
 * The Node flags `lakesync` runs with: those on the first line of scripts/lakesync.mjs
 * (`#!/usr/bin/env -S node <flags>`), which the bin's shebang passes, package.json's scripts repeat
 * and the bench adds to its `node scripts/lakesync.mjs` phases.
 */
export function launcherNodeFlags(root) {
  const [shebang = ""] = readFileSync(join(root, "scripts", "lakesync.mjs"), "utf8").split("\n", 1);
  const match = /^#!\/usr\/bin\/env -S node((?: --[\w-]+(?:=\S+)?)*)$/.exec(shebang);
  if (!match) throw new Error(`scripts/lakesync.mjs: unexpected first line ${JSON.stringify(shebang)}`);
  return match[1].split(" ").filter(Boolean);
}

/**
 * npm packages stay external (loaded from node_modules as they are), except zod: its ESM build is
 * ~110 modules (locales included) that cost every run ~14 MB when loaded one by one; bundled,
 * esbuild keeps only what the config schemas use.
 */
export function externalPackages(root) {
  const { dependencies = {}, devDependencies = {} } = JSON.parse(
    readFileSync(join(root, "package.json"), "utf8"),
  );
  return Object.keys({ ...dependencies, ...devDependencies })
    .filter((name) => !BUNDLED_PACKAGES.includes(name))
    .flatMap((name) => [name, `${name}/*`]);
}

function removeStaleBuilds(dist, keep) {
  for (const name of readdirSync(dist)) {
    if (!name.startsWith("cli-") || name === keep) continue;
    const path = join(dist, name);
    if (Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS) rmSync(path, { recursive: true, force: true });
  }
}
