import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  // `.node-card` in a feature's CSS module is `styles.nodeCard` in its components.
  css: { modules: { localsConvention: "camelCaseOnly" } },
  server: {
    port: 5173,
    // In development the API runs on its own port (pnpm dev); the SPA reaches it under the same /api path as in production.
    proxy: { "/api": "http://127.0.0.1:3000" },
  },
  build: { outDir: "dist", sourcemap: true },
  test: {
    environment: "jsdom",
    include: ["test/**/*.test.tsx", "test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // A guard against a hung test, not a speed target: jsdom forms on a loaded 2-core CI machine can take seconds.
    testTimeout: 30_000,
  },
});
