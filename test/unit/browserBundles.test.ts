import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { BuildOptions, Metafile } from 'esbuild';
import { repoRoot } from '../helpers/fixtures';

// The web extension's bundles (scripts/browserBuilds.mjs, the options
// esbuild.mjs builds with) contain no Node built-in: none is imported, none
// is stubbed out by a package's `browser` field, and nothing is left for a
// `require` at run time but `vscode` (which the web extension host provides).

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

async function bundle(outfile: string): Promise<{ metafile: Metafile; text: string; external: string[] }> {
  const esbuild = await import('esbuild');
  const { browserBuilds } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'browserBuilds.mjs')).href)) as { browserBuilds: (options: { production: boolean }) => BuildOptions[] };
  const options = browserBuilds({ production: true }).find((build) => build.outfile === outfile);
  assert.ok(options, `scripts/browserBuilds.mjs builds ${outfile}`);
  const result = await esbuild.build({ ...options, absWorkingDir: repoRoot, write: false, metafile: true, sourcemap: false, logLevel: 'silent' });
  const output = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith(outfile))!;
  return { metafile: result.metafile, text: result.outputFiles.find((file) => file.path.endsWith(outfile))!.text, external: [...new Set(output[1].imports.filter((entry) => entry.external).map((entry) => entry.path))] };
}

/** Inputs that are Node built-ins, or modules a `browser` field replaced with nothing (esbuild names them `(disabled):…`). */
function nodeInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs).filter((input) => input.startsWith('(disabled)') || NODE_BUILTINS.has(input) || /(^|\/)node_modules\/(path-browserify|os-browserify|buffer|process|util|events|stream-browserify|crypto-browserify)\//.test(input));
}

/** Built-ins a bundle requires by a literal name. */
function builtinsRequiredIn(text: string): string[] {
  return [...text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]).filter((name) => NODE_BUILTINS.has(name));
}

describe('the web extension bundles', () => {
  for (const [outfile, allowedExternal] of [
    ['dist/browser/server.js', []],
    ['dist/browser/extension.js', ['vscode']],
  ] as const) {
    test(`${outfile}: no Node built-in in it or needed by it`, async () => {
      const { metafile, text, external } = await bundle(outfile);
      assert.deepEqual(nodeInputs(metafile), []);
      assert.deepEqual(external, [...allowedExternal]);
      // Not even a require of a built-in by a name esbuild could not see (a string built at run time is not checked).
      assert.deepEqual(builtinsRequiredIn(text), []);
      // The service is in the server bundle, the schema validators precompiled: no `new Function` or eval at run time.
      if (outfile === 'dist/browser/server.js') {
        assert.ok(Object.keys(metafile.inputs).some((input) => input.endsWith('server/src/service/generated/planValidators.ts')));
        assert.ok(!Object.keys(metafile.inputs).some((input) => /node_modules\/ajv\/dist\/(ajv|core|compile\/index)\.js$/.test(input)), 'the ajv compiler is not bundled');
      }
    });
  }

  test('the checks catch a built-in stubbed out by a `browser` field, one left external, and a require by name', async () => {
    const esbuild = await import('esbuild');
    // A package that, like many, maps `fs` to nothing for browsers and requires `path` at run time.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-browser-field-'));
    try {
      const fake = path.join(folder, 'node_modules', 'fake');
      fs.mkdirSync(fake, { recursive: true });
      fs.writeFileSync(path.join(fake, 'package.json'), JSON.stringify({ name: 'fake', main: 'index.js', browser: { fs: false } }));
      fs.writeFileSync(path.join(fake, 'index.js'), "const fs = require('fs'); module.exports = () => [fs, require('path')];\n");
      const result = await esbuild.build({
        stdin: { contents: "import fake from 'fake'; export const x = fake();", resolveDir: folder, loader: 'js' },
        bundle: true,
        platform: 'browser',
        format: 'cjs',
        write: false,
        metafile: true,
        logLevel: 'silent',
        external: ['path'],
      });
      assert.deepEqual(nodeInputs(result.metafile).map((input) => input.replace(/:.*/, '')), ['(disabled)']);
      assert.deepEqual(Object.values(result.metafile.outputs)[0].imports.filter((entry) => entry.external).map((entry) => entry.path), ['path']);
      assert.deepEqual(builtinsRequiredIn(result.outputFiles[0].text), ['path']);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
