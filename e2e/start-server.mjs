// Builds the app and starts it on a fresh embedded database for the e2e suite (used when BASE_URL is not set).
import { execFileSync, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.join(import.meta.dirname, ".data");
rmSync(dataDir, { recursive: true, force: true });
execFileSync(
  "pnpm",
  ["turbo", "run", "build", "--filter=@switchboard/api", "--filter=@switchboard/web", "--output-logs=errors-only"],
  {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  },
);
// The V8 flags `pnpm start` runs with (decision 0016).
const flags = ["--max-semi-space-size=4", "--max-old-space-size=256"];
const server = spawn(process.execPath, [...flags, path.join(root, "apps/api/dist/main.js")], {
  cwd: root,
  stdio: "inherit",
  // The webhook sink listens on 127.0.0.1 over plain http.
  env: {
    ...process.env,
    DATA_DIR: dataDir,
    ALLOW_HTTP_WEBHOOKS: "true",
    WEBHOOK_ALLOWED_CIDRS: "127.0.0.1/32",
    LOG_LEVEL: "warn",
  },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
