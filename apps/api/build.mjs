// Bundles the API, the generated Prisma client and the workspace packages (TypeScript sources) into dist/main.js and dist/worker.js;
// npm dependencies stay external and load from node_modules.
import { build } from "esbuild";
import { externalizeNpmDependencies } from "./bundle-plugins.mjs";

await build({
  entryPoints: {
    main: "src/main.ts",
    worker: "src/worker.ts",
    "dispatcher-thread": "src/dispatch/dispatcher-thread.ts",
  },
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20.19",
  format: "esm",
  sourcemap: true,
  logLevel: "warning",
  plugins: [externalizeNpmDependencies],
});
