import { existsSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { OWN_CLUSTER_SUITES, SERVER_SUITES, serverSuitesLeftOut } from "./server-suites";

it("leaves the server suites out, and says so in one line, on a machine with no server and no PostgreSQL", () => {
  const { exclude, notice } = serverSuitesLeftOut({}, null);
  expect(exclude).toEqual([...SERVER_SUITES, ...OWN_CLUSTER_SUITES]);
  expect(notice).toContain("TEST_DATABASE_URL=");
  expect(notice).not.toContain("\n");
  for (const suite of exclude) expect(notice).toContain(suite);
});

it("runs the suites whose needs are met", () => {
  expect(serverSuitesLeftOut({ TEST_DATABASE_URL: "postgresql://127.0.0.1/x" }, "/usr/lib/postgresql/15/bin")).toEqual({
    exclude: [],
    notice: null,
  });
  expect(serverSuitesLeftOut({}, "/usr/lib/postgresql/15/bin").exclude).toEqual([...SERVER_SUITES]);
  expect(serverSuitesLeftOut({ TEST_DATABASE_URL: "postgresql://127.0.0.1/x" }, null).exclude).toEqual([
    ...OWN_CLUSTER_SUITES,
  ]);
});

it("runs every suite in CI, where one that cannot reach what it needs fails the run", () => {
  expect(serverSuitesLeftOut({ CI: "true" }, null)).toEqual({ exclude: [], notice: null });
});

it("names suites that exist, so a renamed file cannot silently leave the list", () => {
  for (const suite of [...SERVER_SUITES, ...OWN_CLUSTER_SUITES]) {
    expect(existsSync(path.resolve(import.meta.dirname, "..", suite))).toBe(true);
  }
});
