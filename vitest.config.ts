import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { classifyTestFiles } from "./test/support/tiers.ts";

// Two tiers (test/support/tiers.ts decides which file goes where, from what it uses):
// `unit` needs no local AWS and runs in seconds (`npm run test:unit`); `integration` gets one
// local AWS (moto + lakesync's layers) for the whole run. `npm test` runs both.
const tiers = classifyTestFiles(fileURLToPath(new URL(".", import.meta.url)));

export default defineConfig({
  test: {
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default"],
    setupFiles: ["test/support/setup-env.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          // Files share one module graph per worker (half the CPU of re-importing zod, the SDK
          // and the planners per file); unit tests restore what they change (spies, env).
          isolate: false,
          include: ["test/**/*.test.ts"],
          // Everything that is not integration: no test file falls in neither project.
          exclude: tiers.integration,
          globalSetup: ["test/support/no-local-aws.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: tiers.integration,
          // Files isolate themselves by account (see test/support/local-aws.ts), so they can run
          // in parallel against the one server.
          globalSetup: ["test/support/global-setup.ts"],
        },
      },
    ],
  },
});
