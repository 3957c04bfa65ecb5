// The web extension on its own: a folder holding package.json without `main`
// and only the files the browser build needs, so that VS Code can run it
// nowhere but in the web worker extension host. Used by `npm start -- --web`
// and by the web extension's test (test/web/run.mjs).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './codeServer.mjs';

/** What the browser build needs at run time; everything else of the repository stays out. */
export const WEB_RUNTIME_FILES = ['dist/browser', 'dist/webview', 'syntaxes', 'schemas', 'language-configuration.json', 'images', 'README.md'];
/** The Node build: never in the web-only folder. */
export const NODE_ENTRIES = ['dist/extension.js', 'dist/server.js'];

/** Writes the web-only extension into `target` (emptied first), with copies of the run-time files. */
export function assembleWebExtension(target) {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const entry = manifest.browser?.replace(/^\.\//, '');
  if (!entry) throw new Error('package.json has no `browser` entry');
  for (const file of [entry, 'dist/browser/server.js', 'dist/webview/timeline.js']) {
    if (!fs.existsSync(path.join(repoRoot, file))) throw new Error(`missing ${file}: run \`node esbuild.mjs\` first`);
  }
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  delete manifest.main;
  fs.writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const file of WEB_RUNTIME_FILES) {
    fs.cpSync(path.join(repoRoot, file), path.join(target, file), { recursive: true });
  }
  return { manifest, entry };
}
