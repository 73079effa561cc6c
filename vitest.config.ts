import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// graphql 16 ships CJS (`main`) and ESM (`module`) builds without `exports`.
// Node loads the CJS one for dependencies while Vite would pick the ESM one
// for our sources: two realms, and "Cannot use GraphQLSchema from another
// module". Point every import at the build Node uses.
const fromCore = createRequire(new URL("./packages/core/package.json", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [{ find: /^graphql$/, replacement: fromCore.resolve("graphql") }],
  },
  test: {
    include: ["packages/*/src/**/*.test.ts", "services/*/test/**/*.test.ts", "gateway/test/**/*.test.ts", "schema/**/*.test.ts", "test/**/*.test.ts", "bench/test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts", "test/browser-global-setup.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: more workers only queue for the same CPUs and the database.
    maxWorkers: 2,
  },
});
