#!/usr/bin/env node
// Authors a migration: `pnpm db:migration add_delivery_table`.
// It diffs prisma/schema.prisma against the schema the previous migration was made from (migrations/schema.snapshot.prisma),
// writes the SQL into migrations/<timestamp>_<name>/migration.sql and updates the snapshot. No database is needed:
// `prisma migrate dev` cannot run through a driver adapter here (see docs/decisions/0003-migrations-applied-by-the-api.md).
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: pnpm db:migration <name>   (lower case letters, digits and _; e.g. add_delivery_table)");
  process.exit(2);
}
const root = path.dirname(new URL(import.meta.url).pathname);
const schema = path.join(root, "schema.prisma");
const snapshot = path.join(root, "migrations", "schema.snapshot.prisma");
const from = existsSync(snapshot) ? ["--from-schema-datamodel", snapshot] : ["--from-empty"];
// The CLI opens its driver adapter's connection even for a diff that needs no database: give it a throwaway PGlite.
const api = createRequire(path.join(root, "../apps/api/package.json"));
const { PGlite } = await import(api.resolve("@electric-sql/pglite"));
const { PGLiteSocketServer } = await import(api.resolve("@electric-sql/pglite-socket"));
const db = await PGlite.create();
const server = new PGLiteSocketServer({ db, port: 0, host: "127.0.0.1", maxConnections: 4 });
await server.start();
const { stdout: sql } = await promisify(execFile)(
  "pnpm",
  [
    "--filter",
    "@switchboard/api",
    "exec",
    "prisma",
    "migrate",
    "diff",
    ...from,
    "--to-schema-datamodel",
    schema,
    "--script",
  ],
  {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: `postgresql://postgres@${server.getServerConn()}/postgres` },
  },
);
await server.stop();
await db.close();
if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
  console.log("prisma/schema.prisma has no change since the last migration; nothing written.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(root, "migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
copyFileSync(schema, snapshot);
console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql; review it, then commit it with the schema.`);
