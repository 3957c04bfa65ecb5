import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { repoRoot } from '../helpers/fixtures';

// The language server and the command line bundle `yaml`'s browser build
// (scripts/nodeBuilds.mjs): the Node build reads process.env for every token
// it parses. Built here with the options esbuild.mjs ships.

async function bundle(outfile: string): Promise<{ inputs: string[]; text: string }> {
  const esbuild = await import('esbuild');
  const { nodeBuilds } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'nodeBuilds.mjs')).href)) as { nodeBuilds: (options: { production: boolean; version: string }) => BuildOptions[] };
  const options = nodeBuilds({ production: false, version: '0.0.0-test' }).find((build) => build.outfile === outfile);
  assert.ok(options, `scripts/nodeBuilds.mjs builds ${outfile}`);
  const result = await esbuild.build({ ...options, absWorkingDir: repoRoot, write: false, metafile: true, sourcemap: false, logLevel: 'silent' });
  return { inputs: Object.keys(result.metafile.inputs), text: result.outputFiles.find((file) => file.path.endsWith(outfile))!.text };
}

describe('the desktop bundles', () => {
  for (const outfile of ['dist/server.js', 'dist/cli.js']) {
    test(`${outfile} parses with yaml's browser build, which reads no environment variable per token`, async () => {
      const { inputs, text } = await bundle(outfile);
      const yamlInputs = inputs.filter((input) => input.startsWith('node_modules/yaml/'));
      assert.ok(yamlInputs.includes('node_modules/yaml/browser/dist/parse/parser.js'), `the browser build's parser is bundled (yaml inputs: ${yamlInputs.slice(0, 5).join(', ')})`);
      assert.deepEqual(yamlInputs.filter((input) => !input.startsWith('node_modules/yaml/browser/')), [], 'nothing of the Node build');
      assert.doesNotMatch(text, /LOG_TOKENS|LOG_STREAM/);
    });
  }
});
