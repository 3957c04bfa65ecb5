// Bundles the shipping code; tsc only type-checks (npm run typecheck).
import * as esbuild from 'esbuild';

import { readFileSync, writeFileSync } from 'node:fs';
import { generateValidators, outputFile } from './scripts/generate-validators.mjs';
import { browserBuilds } from './scripts/browserBuilds.mjs';
import { nodeBuilds } from './scripts/nodeBuilds.mjs';

const production = process.argv.includes('--production');

// The schema's validators are generated code: refresh them before bundling (written only when they change).
const validators = generateValidators();
let previousValidators = '';
try {
  previousValidators = readFileSync(outputFile, 'utf8');
} catch {
  // not generated yet
}
if (previousValidators !== validators) writeFileSync(outputFile, validators);
const packageVersion = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version;
const watch = process.argv.includes('--watch');

const builds = [
  ...nodeBuilds({ production, version: packageVersion }),
  // The web extension (vscode.dev, github.dev): no Node built-ins.
  ...browserBuilds({ production }),
  // The timeline page runs in the webview (a browser): no Node built-ins. Writes timeline.js and timeline.css.
  {
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    loader: { '.css': 'css' },
    entryPoints: ['client/src/webview/main.ts'],
    outfile: 'dist/webview/timeline.js',
  },
];

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
