import { existsSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { SERVER_SUITES, serverSuitesLeftOut } from "./server-suites";

it("leaves the server suites out, and says so, on a machine with no server configured", () => {
  const { exclude, notice } = serverSuitesLeftOut({});
  expect(exclude).toEqual([...SERVER_SUITES]);
  expect(notice).toContain("TEST_DATABASE_URL=");
  for (const suite of SERVER_SUITES) expect(notice).toContain(suite);
});

it("runs every suite in CI, where a server that cannot be reached fails the run", () => {
  expect(serverSuitesLeftOut({ CI: "true" })).toEqual({ exclude: [], notice: null });
  expect(serverSuitesLeftOut({ TEST_DATABASE_URL: "postgresql://127.0.0.1/x" })).toEqual({ exclude: [], notice: null });
});

it("names suites that exist, so a renamed file cannot silently leave the list", () => {
  for (const suite of SERVER_SUITES) expect(existsSync(path.resolve(import.meta.dirname, "..", suite))).toBe(true);
});
