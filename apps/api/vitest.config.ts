import { configDefaults, defineConfig } from "vitest/config";
import { serverSuitesLeftOut } from "./test/server-suites.ts";

const leftOut = serverSuitesLeftOut();
// One line, printed once per run, so that a green run on the embedded default says what it did not cover.
if (leftOut.notice) console.log(`\n${leftOut.notice}\n`);

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...leftOut.exclude],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file starts its own databases; two at a time suits a 2-core machine.
    maxWorkers: 2,
  },
});
