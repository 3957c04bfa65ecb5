import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PROGRESS_MANY_FILES, progressLine } from '../../server/src/cli';
import { readFixture, repoRoot } from '../helpers/fixtures';

// What `blueprint check` does on a real terminal (a pseudo-terminal from Python's pty module)
// and what it does not do when piped: progress on stderr, colour on stdout.

const cli = path.join(repoRoot, 'dist', 'cli.js');

// Runs a command with stdin and stderr on a new pseudo-terminal, and stdout there too
// (`all`) or into a file (`stderr`). Prints what the terminal showed; exits with the command's code.
const PTY_RUNNER = `
import os, pty, subprocess, sys
mode, stdout_path, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
master, slave = pty.openpty()
stdout = slave if mode == 'all' else open(stdout_path, 'wb')
child = subprocess.Popen(cmd, stdin=slave, stdout=stdout, stderr=slave, close_fds=True)
os.close(slave)
shown = b''
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    shown += chunk
sys.stdout.buffer.write(shown)
sys.exit(child.wait())
`;

let folder: string;
const FILES = PROGRESS_MANY_FILES + 20;

before(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-tty-'));
  const clean = readFixture('valid/checkout.plan.yaml');
  for (let index = 0; index < FILES; index++) fs.writeFileSync(path.join(folder, `plan-${String(index).padStart(3, '0')}.plan.yaml`), clean);
  fs.writeFileSync(path.join(folder, 'owner.plan.yaml'), readFixture('rules/missing-owner.plan.yaml'));
});

after(() => fs.rmSync(folder, { recursive: true, force: true }));

function onTerminal(mode: 'all' | 'stderr', env: Record<string, string>, ...args: string[]) {
  const stdoutPath = path.join(folder, '.stdout');
  const result = spawnSync('python3', ['-c', PTY_RUNNER, mode, stdoutPath, process.execPath, cli, ...args], {
    cwd: folder,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', TERM: 'xterm', ...env },
  });
  assert.equal(result.error, undefined);
  const stdout = mode === 'stderr' ? fs.readFileSync(stdoutPath, 'utf8') : '';
  fs.rmSync(stdoutPath, { force: true });
  // The terminal turns \n into \r\n.
  return { status: result.status, terminal: result.stdout.replace(/\r\n/g, '\n'), stdout };
}

const PROGRESS = new RegExp(`\\r\\u001b\\[Kchecked \\d+/${FILES + 1} plan files…`);
const SUMMARY = `0 errors, 1 warning, 0 info in ${FILES + 1} plan files`;

describe('blueprint check on a terminal', () => {
  test('a long run shows one self-overwriting progress line on stderr, erased before the results', () => {
    const { status, terminal } = onTerminal('all', {}, 'check');
    assert.equal(status, 0, terminal);
    assert.match(terminal, PROGRESS);
    // Only carriage returns between updates: the progress never scrolls the terminal.
    const beforeResults = terminal.slice(0, terminal.indexOf('owner.plan.yaml'));
    assert.ok(!beforeResults.includes('\n'), JSON.stringify(beforeResults.slice(-200)));
    assert.ok(beforeResults.endsWith('\r\u001b[K\u001b[4m'), 'the line is erased, then the (underlined) results start');
    assert.ok(terminal.endsWith(`✖ ${SUMMARY}\n`));
  });

  test('colour on a terminal, none with NO_COLOR; the progress line stays', () => {
    const coloured = onTerminal('all', {}, 'check').terminal;
    assert.ok(coloured.includes('\u001b[33mwarning\u001b[0m'));
    const plain = onTerminal('all', { NO_COLOR: '1' }, 'check').terminal;
    assert.match(plain, PROGRESS);
    const results = plain.slice(plain.lastIndexOf('\r\u001b[K') + '\r\u001b[K'.length);
    assert.ok(!results.includes('\u001b['), JSON.stringify(results.slice(0, 200)));
    assert.ok(results.startsWith('owner.plan.yaml\n  owner.plan.yaml:27:13  warning  '));
  });

  test('JSON and SARIF on stdout stay clean while stderr is a terminal', () => {
    for (const format of ['json', 'sarif']) {
      const { status, terminal, stdout } = onTerminal('stderr', {}, 'check', '--format', format);
      assert.equal(status, 0, terminal);
      assert.match(terminal, PROGRESS, 'the progress goes to the terminal');
      assert.ok(terminal.endsWith('\r\u001b[K'), 'and is erased');
      assert.ok(!stdout.includes('\u001b') && !stdout.includes('checked'), format);
      JSON.parse(stdout);
    }
  });

  test('no progress on a dumb terminal', () => {
    const { terminal } = onTerminal('stderr', { TERM: 'dumb' }, 'check', '--format', 'json');
    assert.equal(terminal, '');
  });

  test('piped: no progress and no colour', () => {
    const result = spawnSync(process.execPath, [cli, 'check'], { cwd: folder, encoding: 'utf8', env: { ...process.env, NO_COLOR: '' } });
    assert.equal(result.status, 0);
    assert.equal(result.stderr, '');
    assert.ok(!result.stdout.includes('\u001b['));
    assert.ok(result.stdout.endsWith(`✖ ${SUMMARY}\n`));
  });
});

describe('the progress line', () => {
  function recorder(total: number, times: number[]) {
    const written: string[] = [];
    let call = 0;
    const line = progressLine((text) => written.push(text), () => times[Math.min(call++, times.length - 1)]);
    return { written, line, total };
  }

  test('a short run of few files shows nothing', () => {
    const { written, line } = recorder(10, [0, 10, 20, 30]);
    for (let done = 1; done <= 10; done++) line.update(done, 10);
    line.clear();
    assert.deepEqual(written, []);
  });

  test('few files but slow: shown after a second, redrawn at most every 100 ms, then erased', () => {
    const { written, line } = recorder(5, [0, 500, 1200, 1250, 1400, 1500]);
    for (let done = 1; done <= 5; done++) line.update(done, 5);
    line.clear();
    assert.deepEqual(written, ['\r\u001b[Kchecked 2/5 plan files…', '\r\u001b[Kchecked 4/5 plan files…', '\r\u001b[K']);
  });

  test('many files: shown from the first file', () => {
    const { written, line } = recorder(PROGRESS_MANY_FILES, [0, 1]);
    line.update(1, PROGRESS_MANY_FILES);
    assert.deepEqual(written, [`\r\u001b[Kchecked 1/${PROGRESS_MANY_FILES} plan files…`]);
  });
});
