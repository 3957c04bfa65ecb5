// The web extension's two bundles (vscode.dev, github.dev): the client for
// VS Code's web worker extension host and the language server for a web
// worker of its own. Shared by esbuild.mjs and by the test that proves they
// contain no Node built-ins (test/unit/browserBundles.test.ts).

/** @param {{ production: boolean }} options */
export function browserBuilds({ production }) {
  const browser = {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  };
  return [
    { ...browser, format: 'cjs', entryPoints: ['client/src/browserExtension.ts'], outfile: 'dist/browser/extension.js', external: ['vscode'] },
    { ...browser, format: 'iife', entryPoints: ['server/src/browserServer.ts'], outfile: 'dist/browser/server.js' },
  ];
}
