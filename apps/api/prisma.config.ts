import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// The CLI generates the client and authors migrations (prisma/new-migration.mjs); the API applies migrations itself
// at start. The WebAssembly engine and a driver adapter keep the CLI offline: it never downloads a native engine.
// The schema's datasource must name a URL the CLI can resolve even for `generate`, which never connects; without one
// the CLI misreads the schema and tries to download a native engine from a host these machines cannot reach.
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/postgres";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "../../prisma/schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "../../prisma/migrations") },
  // Used only by commands that talk to a database (e.g. `prisma migrate status`), never by `generate` or `diff`.
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});
