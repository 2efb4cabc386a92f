// `npm run build:handlers`: bundles every Lambda handler exactly as the stacks do at synth
// (stacks/handler-bundle.ts) and prints, per bundle, the bytes Lambda loads at init (index.mjs and
// its static imports: what the 500 KB budget is for), how much of that is lakesync's own code (the
// rest is the SDK, Powertools and other dependencies) and the bytes of the chunks loaded only on
// demand. Over-budget bundles are marked, not refused: test/stacks/bundles.test.ts enforces it.
import { relative } from "node:path";
import { HANDLERS } from "../modules/deploy/handlers.ts";
import { BUNDLE_BUDGET_BYTES, bundleHandler } from "../stacks/handler-bundle.ts";

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
process.stdout.write(
  `${"handler".padEnd(20)} ${"at init".padStart(7)}  ${"own code".padStart(8)}  ${"lazy".padStart(7)}  folder\n`,
);
const start = performance.now();
for (const { entry } of Object.values(HANDLERS)) {
  const bundle = bundleHandler(entry); // the first call builds them all (handler-bundle.ts)
  const verdict = bundle.bytes <= BUNDLE_BUDGET_BYTES ? "" : `  over the ${kb(BUNDLE_BUDGET_BYTES)} budget`;
  process.stdout.write(
    `${bundle.name.padEnd(20)} ${kb(bundle.bytes).padStart(7)}  ${kb(bundle.ownCodeBytes).padStart(8)}  ${kb(bundle.lazyBytes).padStart(7)}  ${relative(process.cwd(), bundle.dir)}/ (${bundle.files.length} files)${verdict}\n`,
  );
}
process.stdout.write(
  `built in ${((performance.now() - start) / 1000).toFixed(1)} s; budget ${kb(BUNDLE_BUDGET_BYTES)} is for the code loaded at init; lazy chunks load on their first use\n` +
    "source maps: dist/sourcemaps/<handler>/*.map (not deployed)\n",
);
