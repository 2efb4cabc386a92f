#!/usr/bin/env node
// Installs what `npm start` and `npm test` need on a fresh clone, using Node built-ins only
// (it runs before node_modules exists). Each step is skipped when a stamp shows it is current,
// so the common case costs a few file reads.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const log = (message) => process.stderr.write(`bootstrap: ${message}\n`);

function digest(...files) {
  const hash = createHash("sha256");
  for (const file of files) hash.update(readFileSync(join(root, file)));
  return hash.digest("hex");
}

function run(command, args) {
  log(`${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) {
    log(`failed: ${command} ${args.join(" ")} (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

function ensure(name, stampFile, wanted, install) {
  const stamp = join(root, stampFile);
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) return;
  log(`installing ${name}`);
  install();
  writeFileSync(stamp, wanted);
}

// `npm install` rather than `npm ci`: the lock pins every version either way, but `npm ci` refuses
// a lock that lacks optional platform packages a registry mirror does not carry (e.g. biome's
// Windows/macOS binaries), while `npm install` installs the ones this platform needs.
ensure("npm packages", "node_modules/.lakesync-stamp", digest("package-lock.json"), () =>
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"]),
);

const python = process.env.LAKESYNC_PYTHON ?? "python3";
ensure(
  "local AWS (moto) virtualenv",
  ".venv/.lakesync-stamp",
  digest("scripts/localaws/requirements.txt"),
  () => {
    if (!existsSync(join(root, ".venv/bin/python"))) run(python, ["-m", "venv", ".venv"]);
    run(join(root, ".venv/bin/python"), [
      "-m",
      "pip",
      "install",
      "--quiet",
      "-r",
      "scripts/localaws/requirements.txt",
    ]);
  },
);

// checkov (test/stacks/checkov.test.ts) in a virtualenv of its own: it pins many packages that
// would clash with moto's in .venv.
ensure(
  "checkov virtualenv",
  ".venv-checkov/.lakesync-stamp",
  digest("scripts/checkov/requirements.txt"),
  () => {
    if (!existsSync(join(root, ".venv-checkov/bin/python"))) run(python, ["-m", "venv", ".venv-checkov"]);
    run(join(root, ".venv-checkov/bin/python"), [
      "-m",
      "pip",
      "install",
      "--quiet",
      "-r",
      "scripts/checkov/requirements.txt",
    ]);
  },
);
