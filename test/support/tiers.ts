// Which test files go in the `unit` project (no local AWS, seconds) and which in `integration`.
// The rule reads what a file uses, so no file has to be named or listed. A test file is
// integration when:
// - it, or a test helper it imports (transitively), imports test/support/local-aws.ts or reads the
//   run's endpoint itself (the SDK's endpoint variable, or the value global-setup.ts provides): it
//   needs the local AWS;
// - its imports (transitively, through any repo file) reach code that imports esbuild: the stacks
//   bundle every handler when synthesized, which takes tens of seconds.
// Every other test file is unit. The two lists partition the test files, so no file can fall in
// neither project. A unit file that reaches AWS some other way fails at once with the error of
// test/support/no-local-aws.ts instead of waiting on a real endpoint.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

export interface TestTiers {
  /** Repo-relative paths with "/" separators. */
  unit: string[];
  integration: string[];
}

const LOCAL_AWS_HELPER = "test/support/local-aws.ts";
const USES_ENDPOINT = /\bprocess\.env\.AWS_ENDPOINT_URL\b|\binject\(\s*["']awsEndpoint["']\s*\)/;
const IMPORTS_ESBUILD = /\bfrom\s*["']esbuild["']/;
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+\.ts)["']/g;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

export function classifyTestFiles(root: string, testDir = "test"): TestTiers {
  const testRoot = resolve(root, testDir) + sep;
  const sources = new Map<string, string>();
  const toRepoPath = (path: string) => relative(root, path).split(sep).join("/");
  const read = (path: string) => {
    const source = sources.get(path) ?? readFileSync(path, "utf8");
    sources.set(path, source);
    return source;
  };

  /** Why the file is integration, or undefined: walks its imports, each file once. */
  function integrationReason(file: string): string | undefined {
    const seen = new Set<string>();
    const pending = [file];
    for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
      if (seen.has(path)) continue;
      seen.add(path);
      if (toRepoPath(path) === LOCAL_AWS_HELPER) return "uses the run's local AWS";
      const source = read(path);
      if (IMPORTS_ESBUILD.test(source)) return "bundles handlers with esbuild";
      // Only test code is read for the endpoint: modules/aws reads the same variable for everyone.
      if (path.startsWith(testRoot) && USES_ENDPOINT.test(source)) return "reads the local AWS endpoint";
      for (const match of source.matchAll(RELATIVE_IMPORT)) {
        const imported = resolve(dirname(path), match[1] as string);
        if (!imported.includes(`${sep}node_modules${sep}`) && existsSync(imported)) pending.push(imported);
      }
    }
    return undefined;
  }

  const tiers: TestTiers = { unit: [], integration: [] };
  for (const file of testFiles(testRoot).sort()) {
    tiers[integrationReason(file) ? "integration" : "unit"].push(toRepoPath(file));
  }
  return tiers;
}
