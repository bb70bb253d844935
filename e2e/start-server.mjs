// Builds the app and starts it on a fresh embedded database for the e2e suite (used when BASE_URL is not set).
import { execFileSync, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { startFakeWhatsapp } from "../apps/api/test/support/fake-whatsapp.mjs";

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
// A fake WhatsApp Cloud API the API sends to (WHATSAPP_API_BASE_URL): on E2E_FAKE_WHATSAPP_PORT, by default the API's
// port + 1000. Specs read what it accepted at GET /__fake/messages and post Meta-shaped notifications signed with its app
// secret ("fake-app-secret"); its access token is "EAAG-fake-access-token", its phone number id "106540352242922".
const apiPort = Number(process.env.PORT ?? 3100);
const fakeWhatsapp = await startFakeWhatsapp({ port: Number(process.env.E2E_FAKE_WHATSAPP_PORT ?? apiPort + 1000) });
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
    WHATSAPP_API_BASE_URL: fakeWhatsapp.url,
    LOG_LEVEL: "warn",
  },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => {
  void fakeWhatsapp.close().finally(() => process.exit(code ?? 0));
});
