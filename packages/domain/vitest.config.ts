import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // A guard against a hung test, not a speed target: the property tests run thousands of cases, and a shared 2-core
    // CI machine can take several times as long as an idle one.
    testTimeout: 30_000,
  },
});
