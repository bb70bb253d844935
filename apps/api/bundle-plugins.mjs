// How the API is bundled (build.mjs, and the dispatcher-thread test): the workspace's TypeScript packages go into the
// bundle; npm dependencies stay external and load from node_modules.
export const externalizeNpmDependencies = {
  name: "externalize-npm-dependencies",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@switchboard/") ? undefined : { external: true },
    );
  },
};
