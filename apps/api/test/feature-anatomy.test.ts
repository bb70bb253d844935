import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const src = path.join(import.meta.dirname, "../src");

/** The features built as <feature>-routes.ts → <feature>-service.ts → <feature>-store.ts, and the files of each. */
const features: Record<string, (file: string) => boolean> = {
  audit: () => true,
  campaigns: () => true,
  delivery: () => true,
  exchange: () => true,
  flow: () => true,
  handoffs: (file) => !file.startsWith("web-poll-page") && file !== "csv.ts",
  reports: () => true,
  integrations: () => true,
  senders: () => true,
  secrets: (file) => file.startsWith("secret-header"),
  runtime: (file) => file.startsWith("transcript-"),
};

/** Imports that reach the database: the client, the pool, the driver, or a value of the generated client. */
function databaseImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  return source.statements.flatMap((statement) => {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) return [];
    const from = statement.moduleSpecifier.text;
    const clause = statement.importClause;
    const bindings = clause?.namedBindings;
    const typesOnly =
      clause?.isTypeOnly ||
      (!clause?.name && bindings && ts.isNamedImports(bindings) && bindings.elements.every((e) => e.isTypeOnly));
    const reaches =
      /\/db\/(database|pool)$/.test(from) ||
      from === "pg" ||
      from.startsWith("@prisma/") ||
      (from.includes("/generated/prisma") && !typesOnly);
    return reaches ? [from] : [];
  });
}

describe("one feature anatomy: routes → service → store", () => {
  for (const [folder, owns] of Object.entries(features)) {
    it(`lets only the stores of ${folder}/ touch the database`, () => {
      const files = readdirSync(path.join(src, folder)).filter((f) => f.endsWith(".ts") && owns(f));
      expect(files.some((f) => f.endsWith("-store.ts"))).toBe(true);
      const reaching = files
        .filter((f) => !f.endsWith("-store.ts"))
        .flatMap((f) => databaseImports(path.join(src, folder, f)).map((from) => `${f} imports ${from}`));
      expect(reaching).toEqual([]);
    });
  }
});
