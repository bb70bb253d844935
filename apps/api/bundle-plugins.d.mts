import type { Plugin } from "esbuild";
export declare const externalizeNpmDependencies: Plugin;
