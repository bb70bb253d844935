import { spawn } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { lockDataDir } from "./data-dir-lock";

export interface EmbeddedPostgres {
  /** A postgresql:// URL on 127.0.0.1 that the same drivers as for a real server connect to. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts PostgreSQL compiled to WebAssembly (PGlite) in this process, keeping its files in `dataDir` (or in memory
 * when null), and serves it on a loopback port so Prisma and pg use the very code path they use with a real server.
 */
export async function startEmbeddedPostgres(dataDir: string | null): Promise<EmbeddedPostgres> {
  let release = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir);
  }
  try {
    const pgDir = dataDir ? path.join(dataDir, "pglite") : null;
    if (pgDir && !existsSync(pgDir)) await createDataDir(pgDir);
    const db = await PGlite.create(pgDir ? { dataDir: pgDir } : {});
    // PGlite runs one query at a time; the server queues the connections' queries and keeps transactions apart.
    const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 16 });
    await server.start();
    return {
      url: `postgresql://postgres@${server.getServerConn()}/postgres`,
      async close() {
        await server.stop();
        await db.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Creates a new database folder in a child process. PGlite's initdb peaks at 770–890 MB, over twice what opening an
 * existing folder takes, and a process never gives its peak back. The child writes a sibling folder that is renamed
 * into place once complete, so a first start cut short leaves no half-made database behind.
 */
async function createDataDir(pgDir: string): Promise<void> {
  const partial = `${pgDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve("@electric-sql/pglite")).href;
  const script =
    "const m = await import(process.argv[1]); const PGlite = m.PGlite ?? m.default.PGlite; " +
    "await (await PGlite.create({ dataDir: process.argv[2] })).close();";
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script, pglite, partial], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `Creating the embedded database in ${pgDir} failed (${signal ?? `exit code ${code}`}): ${stderr.trim() || "no message"}`,
          ),
        );
    });
  });
  renameSync(partial, pgDir);
}
