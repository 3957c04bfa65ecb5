import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readFixture } from '../helpers/fixtures';
import { serverBundle } from '../helpers/lspSession';

// The built server in a real Neovim, headless: filetype detection for
// *.plan.yaml, the server started the way a user's config starts it,
// diagnostics read back through vim.diagnostic.get. Skipped when `nvim` is
// not installed (CI does not install it). Works with Neovim 0.7 and later:
// vim.lsp.start where it exists (0.8+), else start_client + buf_attach_client.

const nvimVersion = (() => {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return probe.status === 0 ? probe.stdout.split('\n')[0] : undefined;
})();

/** Runs in Neovim; writes what it saw to $BLUEPRINT_RESULT as JSON and always quits. */
const INIT_LUA = String.raw`
local result_path = os.getenv('BLUEPRINT_RESULT')
local function finish(result)
  vim.fn.writefile({ vim.fn.json_encode(result) }, result_path)
  vim.cmd('qa!')
end
local ok, err = pcall(function()
  vim.g.do_filetype_lua = 1 -- Neovim 0.7 only; later versions always use filetype.lua
  vim.filetype.add({ pattern = { ['.*%.plan%.ya?ml'] = 'yaml.plan' } })
  vim.cmd('filetype on')
  vim.lsp.set_log_level('warn')
  local root = os.getenv('BLUEPRINT_ROOT')
  local handled = {}
  local config = {
    name = 'blueprint',
    cmd = { os.getenv('BLUEPRINT_NODE'), os.getenv('BLUEPRINT_SERVER'), '--stdio' },
    root_dir = root,
    init_options = { rules = { ['missing-owner'] = 'off' } },
    get_language_id = function() return 'plan-yaml' end,
    -- Every message the server sent that reached a handler, then Neovim's own handler.
    handlers = setmetatable({}, {
      __index = function(_, method)
        return function(...)
          table.insert(handled, method)
          local default = vim.lsp.handlers[method]
          if default then return default(...) end
        end
      end,
    }),
  }
  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/checkout.plan.yaml'))
  local buf = vim.api.nvim_get_current_buf()
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config)
  else
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(buf, client_id)
  end
  local arrived = vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(diagnostics, { code = d.code, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity })
  end
  local function first(responses)
    for _, response in pairs(responses or {}) do
      if response.result then return response.result end
    end
  end
  local text_document = vim.lsp.util.make_text_document_params(buf)
  local function at(needle, offset)
    for index, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
      local column = line:find(needle, 1, true)
      if column then return { line = index - 1, character = column - 1 + offset } end
    end
    error('not in the buffer: ' .. needle)
  end
  local reference = at('depends_on: [payment-api]', #'depends_on: [pay')
  local hover = first(vim.lsp.buf_request_sync(buf, 'textDocument/hover', { textDocument = text_document, position = reference }, 5000))
  local definition = first(vim.lsp.buf_request_sync(buf, 'textDocument/definition', { textDocument = text_document, position = reference }, 5000))
  local completion = first(vim.lsp.buf_request_sync(buf, 'textDocument/completion', { textDocument = text_document, position = at('owner: carlo', #'owner: ca') }, 5000))
  local rename = first(vim.lsp.buf_request_sync(buf, 'textDocument/rename', { textDocument = text_document, position = reference, newName = 'psp-api' }, 5000))
  local items = {}
  for _, item in ipairs((completion and (completion.items or completion)) or {}) do
    table.insert(items, { label = item.label, insertTextFormat = item.insertTextFormat or 1, command = item.command ~= nil })
  end
  local rename_keys = vim.tbl_keys(rename or {})
  table.sort(rename_keys)
  vim.lsp.stop_client(client_id)
  vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
  finish({
    filetype = vim.bo[buf].filetype,
    arrived = arrived,
    diagnostics = diagnostics,
    hover = hover and hover.contents,
    definition = definition,
    completion = items,
    rename = rename_keys,
    handled = handled,
    log = vim.lsp.get_log_path(),
  })
end)
if not ok then finish({ error = tostring(err) }) end
`;

interface NeovimResult {
  error?: string;
  filetype: string;
  arrived: boolean;
  diagnostics: { code: string; lnum: number; col: number; end_lnum: number; end_col: number; severity: number }[];
  hover?: { kind: string; value: string };
  definition: { uri: string; range: { start: { line: number; character: number } } }[];
  completion: { label: string; insertTextFormat: number; command: boolean }[];
  rename: string[];
  handled: string[];
  log: string;
}

describe('Neovim (headless) with dist/server.js --stdio', { skip: nvimVersion ? false : 'nvim is not installed' }, () => {
  let home: string;
  let root: string;
  let text: string;
  let result: NeovimResult;
  before(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-nvim-'));
    root = path.join(home, 'workspace');
    fs.mkdirSync(root);
    text = readFixture('valid/checkout.plan.yaml').replace('owner: carol\n        depends_on', 'owner: carlo\n        depends_on').replace('title: Staged rollout\n        owner: bob\n', 'title: Staged rollout\n');
    fs.writeFileSync(path.join(root, 'checkout.plan.yaml'), text);
    fs.writeFileSync(path.join(root, 'blueprint.json'), JSON.stringify({ rules: { 'unknown-reference': 'warning' } }));
    fs.writeFileSync(path.join(home, 'init.lua'), INIT_LUA);
    const resultPath = path.join(home, 'result.json');
    const env = {
      ...process.env,
      // Nothing of the user's Neovim: config, data, state (the LSP log) and cache live in the temp folder.
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_STATE_HOME: path.join(home, 'state'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      BLUEPRINT_RESULT: resultPath,
      BLUEPRINT_ROOT: root,
      BLUEPRINT_NODE: process.execPath,
      BLUEPRINT_SERVER: serverBundle,
    };
    const child = spawn('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(home, 'init.lua')], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: home });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`nvim did not finish within 25 s: ${output.join('')}`));
      }, 25_000);
      child.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    assert.ok(fs.existsSync(resultPath), `nvim wrote no result: ${output.join('')}`);
    result = JSON.parse(fs.readFileSync(resultPath, 'utf8')) as NeovimResult;
    assert.equal(result.error, undefined, result.error);
  });
  after(() => {
    fs.rmSync(home, { recursive: true, force: true });
  });

  test(`${nvimVersion}: filetype and diagnostics (blueprint.json and init_options applied)`, () => {
    assert.equal(result.filetype, 'yaml.plan');
    assert.equal(result.arrived, true);
    const line = text.split('\n').findIndex((candidate) => candidate.includes('owner: carlo'));
    const col = text.split('\n')[line].indexOf('carlo');
    // unknown-reference is a warning (2) through blueprint.json; missing-owner is off through init_options.
    assert.deepEqual(result.diagnostics, [{ code: 'unknown-reference', lnum: line, col, end_lnum: line, end_col: col + 'carlo'.length, severity: 2 }]);
  });

  test('hover, definition, completion and rename', () => {
    assert.match(result.hover?.value ?? '', /Payment API/);
    const idLine = text.split('\n').findIndex((candidate) => candidate.includes('id: payment-api'));
    assert.deepEqual(result.definition.map((location) => [path.basename(location.uri), location.range.start.line, location.range.start.character]), [['checkout.plan.yaml', idLine, 12]]);
    assert.deepEqual(result.completion.map((item) => item.label), ['alice', 'bob', 'carol']);
    // Whatever Neovim declared for snippets, nothing it cannot run: no VS Code command.
    assert.ok(result.completion.every((item) => !item.command));
    assert.deepEqual(result.rename, ['changes']);
  });

  test('nothing in the LSP log at warning level or above, and only known messages handled', () => {
    const log = fs.existsSync(result.log) ? fs.readFileSync(result.log, 'utf8') : '';
    assert.doesNotMatch(log, /\[(ERROR|WARN)\]/, log);
    const known = new Set(['textDocument/publishDiagnostics', 'window/logMessage', 'blueprint/planChanged', 'workspace/configuration']);
    assert.deepEqual([...new Set(result.handled)].filter((method) => !known.has(method)), []);
  });
});
