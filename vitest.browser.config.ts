/**
 * Browser tests: Chromium (playwright-core, the system browser) driving the
 * real product started by test/e2e/global-setup.ts. Run with
 * `npx vitest run --config vitest.browser.config.ts`.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 240_000,
  },
});
