// `npm run build:handlers`: bundles every Lambda handler exactly as the stacks do at synth
// (stacks/handler-bundle.ts) and prints each bundle's size against the 500 KB budget (marked, not
// enforced: the bundles the stacks deploy are these, whatever their size; README Performance says
// what each one weighs and why).
import { relative } from "node:path";
import { HANDLERS } from "../modules/deploy/handlers.ts";
import { BUNDLE_BUDGET_BYTES, bundleHandler } from "../stacks/handler-bundle.ts";

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
for (const { entry } of Object.values(HANDLERS)) {
  const start = performance.now();
  const bundle = bundleHandler(entry);
  const ms = performance.now() - start;
  const verdict = bundle.bytes <= BUNDLE_BUDGET_BYTES ? "" : `  over the ${kb(BUNDLE_BUDGET_BYTES)} budget`;
  process.stdout.write(
    `${bundle.name.padEnd(20)} ${kb(bundle.bytes).padStart(7)}  ${relative(process.cwd(), bundle.dir)}/index.mjs (${ms.toFixed(0)} ms)${verdict}\n`,
  );
}
process.stdout.write("source maps: dist/sourcemaps/<handler>/index.mjs.map (not deployed)\n");
