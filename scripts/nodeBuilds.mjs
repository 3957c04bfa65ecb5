// The desktop bundles (client, language server, command line), shared by
// esbuild.mjs, the benchmark's in-process bundle of the service, and the test
// that checks how `yaml` is bundled (test/unit/nodeBundles.test.ts).

/**
 * `yaml` from its browser build, in Node too. It is the same code as the
 * package's Node build, less one thing: the Node build's parser reads
 * `process.env.LOG_TOKENS` for every token (and its composer
 * `process.env.LOG_STREAM` for every document), and each read is a call into
 * the C++ environment. On the 5,000-task benchmark plan that is about an
 * eighth of a parse. The browser build needs nothing Node lacks.
 */
export const yamlWithoutEnvironmentLookups = { alias: { yaml: './node_modules/yaml/browser/index.js' } };

/** @param {{ production: boolean, version: string }} options */
export function nodeBuilds({ production, version }) {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  };
  return [
    { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
    { ...common, ...yamlWithoutEnvironmentLookups, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
    {
      ...common,
      ...yamlWithoutEnvironmentLookups,
      entryPoints: ['server/src/cli.ts'],
      outfile: 'dist/cli.js',
      banner: { js: '#!/usr/bin/env node' },
      define: { BLUEPRINT_VERSION: JSON.stringify(version) },
    },
  ];
}
