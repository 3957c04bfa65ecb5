import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import AjvDraft04 from 'ajv-draft-04';
import { readFixture, repoRoot } from '../helpers/fixtures';

// The built command line, run as a process the way CI runs it.

const cli = path.join(repoRoot, 'dist', 'cli.js');
const folders: string[] = [];

function workspace(files: Record<string, string>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-cli-'));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  return folder;
}

function blueprint(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const clean = readFixture('valid/checkout.plan.yaml');
const missingOwner = readFixture('rules/missing-owner.plan.yaml');
const cycle = readFixture('rules/dependency-cycle.plan.yaml');

after(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

describe('blueprint check', () => {
  test('a clean plan: exit 0 and a summary', () => {
    const folder = workspace({ 'plans/checkout.plan.yaml': clean });
    const result = blueprint(folder, 'check');
    assert.equal(result.status, 0);
    assert.equal(result.stdout, '✓ 0 errors, 0 warnings, 0 info in 1 plan file\n');
  });

  test('problems: file:line:col, severity, message and rule id, grouped by file; exit 1 on errors', () => {
    const folder = workspace({ 'a.plan.yaml': missingOwner, 'b.plan.yml': cycle, 'checkout.plan.yaml': clean });
    const result = blueprint(folder, 'check');
    assert.equal(result.status, 1);
    assert.equal(
      result.stdout,
      [
        'a.plan.yaml',
        '  a.plan.yaml:27:13  warning  Task `t2` has no owner; add `owner:` with the one person accountable for it.  missing-owner',
        '',
        'b.plan.yml',
        '  b.plan.yml:28:22  error  Dependency cycle: t1 → t2 → t1; remove one of these dependencies.  dependency-cycle',
        '  b.plan.yml:32:22  error  Dependency cycle: t2 → t1 → t2; remove one of these dependencies.  dependency-cycle',
        '',
        '✖ 2 errors, 1 warning, 0 info in 3 plan files',
        '',
      ].join('\n'),
    );
    assert.ok(!result.stdout.includes('\u001b['), 'no colour when not on a terminal');
  });

  test('warnings pass unless --max-warnings is exceeded', () => {
    const folder = workspace({ 'a.plan.yaml': missingOwner });
    assert.equal(blueprint(folder, 'check').status, 0);
    assert.equal(blueprint(folder, 'check', '--max-warnings', '1').status, 0);
    const over = blueprint(folder, 'check', '--max-warnings=0');
    assert.equal(over.status, 1);
    assert.match(over.stderr, /1 warnings, more than --max-warnings 0/);
  });

  test('paths, globs, node_modules and .gitignore', () => {
    const folder = workspace({
      'a.plan.yaml': missingOwner,
      'sub/c.plan.yaml': clean,
      'node_modules/x/d.plan.yaml': cycle,
      'build/e.plan.yaml': cycle,
      '.gitignore': 'build/\n',
    });
    assert.match(blueprint(folder, 'check').stdout, /in 2 plan files\n$/);
    assert.match(blueprint(folder, 'check', 'sub').stdout, /in 1 plan file\n$/);
    assert.match(blueprint(folder, 'check', '**/*.plan.yaml').stdout, /in 2 plan files\n$/);
    assert.match(blueprint(folder, 'check', 'a.plan.yaml', 'sub/c.plan.yaml').stdout, /in 2 plan files\n$/);
  });

  test('severities from blueprint.json, then .vscode/settings.json', () => {
    const folder = workspace({ 'a.plan.yaml': missingOwner, 'blueprint.json': JSON.stringify({ rules: { 'missing-owner': 'error' } }) });
    assert.equal(blueprint(folder, 'check').status, 1);
    fs.mkdirSync(path.join(folder, '.vscode'));
    fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), '{\n  // mine\n  "blueprint.rules": { "missing-owner": "off" },\n}\n');
    const result = blueprint(folder, 'check');
    assert.equal(result.status, 0);
    assert.equal(result.stdout, '✓ 0 errors, 0 warnings, 0 info in 1 plan file\n');
  });

  test('--format json: a stable shape', () => {
    const folder = workspace({ 'a.plan.yaml': missingOwner });
    const result = blueprint(folder, 'check', '--format', 'json');
    assert.deepEqual(JSON.parse(result.stdout), {
      version: 1,
      files: [
        {
          path: 'a.plan.yaml',
          diagnostics: [
            {
              rule: 'missing-owner',
              severity: 'warning',
              message: 'Task `t2` has no owner; add `owner:` with the one person accountable for it.',
              range: { start: { line: 27, column: 13 }, end: { line: 27, column: 15 } },
            },
          ],
        },
      ],
      summary: { errors: 0, warnings: 1, infos: 0 },
    });
  });

  test('--format sarif: valid SARIF 2.1.0 with one result per problem', () => {
    const folder = workspace({ 'a.plan.yaml': missingOwner, 'b.plan.yaml': cycle });
    const result = blueprint(folder, 'check', '--format', 'sarif');
    assert.equal(result.status, 1);
    const parsed: unknown = JSON.parse(result.stdout);
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFixture('cli/sarif-2.1.0-rtm.5.schema.json')));
    assert.ok(validate(parsed), JSON.stringify(validate.errors?.slice(0, 3)));
    const sarif = parsed as { runs: { results: unknown[] }[] };
    const results = sarif.runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
    assert.deepEqual(
      results.map((entry) => [entry.ruleId, entry.level, entry.locations[0].physicalLocation.artifactLocation.uri, entry.locations[0].physicalLocation.region.startLine]),
      [
        ['missing-owner', 'warning', 'a.plan.yaml', 27],
        ['dependency-cycle', 'error', 'b.plan.yaml', 28],
        ['dependency-cycle', 'error', 'b.plan.yaml', 32],
      ],
    );
  });

  test('usage and I/O errors: exit 2 with a message', () => {
    const folder = workspace({});
    const unknown = blueprint(folder, 'lint');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown command `lint`/);
    const missing = blueprint(folder, 'check', 'nowhere');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /No such file or folder: nowhere/);
    assert.equal(blueprint(folder, 'check', '--format', 'xml').status, 2);
    assert.equal(blueprint(folder, 'check', '--max-warnings', 'many').status, 2);
    const help = blueprint(folder, '--help');
    assert.equal(help.status, 2);
    assert.match(help.stderr, /^Usage: blueprint check/);
  });
});

describe('blueprint export', () => {
  test('mermaid: sections per milestone, computed starts as `after`, done/active/crit, milestones', () => {
    const folder = workspace({ 'checkout.plan.yaml': clean });
    const result = blueprint(folder, 'export', 'checkout.plan.yaml', '--format', 'mermaid');
    assert.equal(result.status, 0);
    assert.equal(
      result.stdout,
      [
        'gantt',
        '    title Checkout v2 rollout',
        '    dateFormat YYYY-MM-DD',
        '    axisFormat %b %d',
        '    excludes weekends 2026-01-19',
        '    todayMarker off',
        '    section Private beta',
        '    Payment API :done, payment-api, 2026-01-05, 2026-01-27',
        '    One-page checkout UI :active, crit, checkout-ui, after payment-api, 15d',
        '    One-page checkout UI › Address form :done, address-form, 2026-01-27, 2026-01-31',
        '    Private beta due :milestone, beta-due, 2026-02-27, 0d',
        '    section General availability',
        '    Staged rollout :crit, rollout, after checkout-ui, 10d',
        '    General availability due :milestone, launch-due, 2026-04-10, 0d',
        '',
      ].join('\n'),
    );
  });

  test('ics: an all-day event per milestone due date and per task deadline, CRLF, folded', () => {
    const folder = workspace({ 'checkout.plan.yaml': clean });
    const result = blueprint(folder, 'export', 'checkout.plan.yaml', '--format=ics');
    assert.equal(result.status, 0);
    const lines = result.stdout.split('\r\n');
    assert.equal(lines[0], 'BEGIN:VCALENDAR');
    assert.equal(lines[lines.length - 2], 'END:VCALENDAR');
    // 2 milestones with a due date + 4 tasks.
    assert.equal(lines.filter((line) => line === 'BEGIN:VEVENT').length, 6);
    assert.ok(lines.includes('UID:task-rollout@checkout.plan.yaml'));
    assert.ok(lines.includes('DTSTART;VALUE=DATE:20260302'), 'rollout ends 2026-03-02');
    assert.ok(lines.every((line) => new TextEncoder().encode(line).length <= 75), 'lines are folded at 75 octets');
  });

  test('json: the computed plan', () => {
    const folder = workspace({ 'checkout.plan.yaml': clean });
    const view = JSON.parse(blueprint(folder, 'export', 'checkout.plan.yaml', '--format', 'json').stdout) as { criticalPath: string[]; milestones: { id: string }[] };
    assert.deepEqual(view.criticalPath, ['payment-api', 'checkout-ui', 'rollout']);
    assert.deepEqual(view.milestones.map((milestone) => milestone.id), ['beta', 'launch']);
  });

  test('usage errors', () => {
    const folder = workspace({ 'checkout.plan.yaml': clean });
    assert.equal(blueprint(folder, 'export', 'checkout.plan.yaml').status, 2);
    assert.equal(blueprint(folder, 'export', '--format', 'ics').status, 2);
    assert.equal(blueprint(folder, 'export', 'missing.plan.yaml', '--format', 'ics').status, 2);
  });
});

describe('blueprint report', () => {
  test('a Markdown status report of the example', () => {
    const folder = workspace({ 'checkout.plan.yaml': clean });
    const result = blueprint(folder, 'report', 'checkout.plan.yaml');
    assert.equal(result.status, 0);
    const report = result.stdout;
    assert.ok(report.startsWith('# Checkout v2 rollout: status as of 2026-02-10\n'));
    assert.ok(report.includes('- Start: 2026-01-05; target end: 2026-04-30; computed end: 2026-03-02\n- Buffer: 43 working days before the target end\n'));
    assert.ok(report.includes('| Private beta | 2026-02-27 | 2026-02-16 | 9 working days early | 100% | in-progress |\n| General availability | 2026-04-10 | 2026-03-02 | 29 working days early | 0% | planned |\n'));
    assert.ok(report.includes('Nothing is overdue or behind schedule.'));
    assert.ok(report.includes('`payment-api` (2026-01-26) → `checkout-ui` (2026-02-16) → `rollout` (2026-03-02)'));
    assert.ok(report.includes('| Bob Diaz (`bob`) | Backend | 50% | 1 | no |'));
    assert.ok(report.includes('| Payment provider certification slips | medium × high | bob | Start certification in week 1; keep legacy flow behind a flag. |'));
    assert.ok(report.includes('- 2026-02-02: Beta moved one week later after PSP review. (affects `beta`); approved by alice'));
  });

  test('plan text cannot break the report\'s Markdown', () => {
    const hostile = clean.replace('title: Payment provider certification slips', 'title: "<img src=x onerror=alert(1)> | [link](javascript:x)"');
    const folder = workspace({ 'checkout.plan.yaml': hostile });
    const report = blueprint(folder, 'report', 'checkout.plan.yaml').stdout;
    assert.ok(report.includes('| &lt;img src=x onerror=alert(1)&gt; \\| \\[link\\](javascript:x) | medium × high |'));
    assert.ok(!report.includes('<img'));
  });
});

describe('blueprint diff', () => {
  const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.invalid', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.invalid' };
  const run = (cwd: string, ...args: string[]) => {
    const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: gitEnv });
    assert.equal(result.status, 0, result.stderr);
  };

  test('a slip that ripples through dependencies, an added task, an owner change, a milestone past due', () => {
    const folder = workspace({ 'plans/checkout.plan.yaml': clean });
    run(folder, 'init', '-q');
    run(folder, 'add', '.');
    run(folder, 'commit', '-q', '-m', 'first');
    // payment-api takes two more weeks: checkout-ui, address-form and rollout all move; rollout changes hands.
    const changed = clean
      .replace('duration: 3w               # or end', 'duration: 5w               # or end')
      .replace('        owner: bob\n        depends_on: [checkout-ui]', '        owner: carol\n        depends_on: [checkout-ui]')
      .replace('        duration: 2w\n', '        duration: 2w\n      - id: docs\n        title: Launch docs\n        owner: alice\n        depends_on: [rollout]\n        duration: 1w\n');
    fs.writeFileSync(path.join(folder, 'plans', 'checkout.plan.yaml'), changed);
    run(folder, 'commit', '-q', '-am', 'second');

    const result = blueprint(folder, 'diff', 'HEAD~1', 'HEAD');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        '### plans/checkout.plan.yaml (HEAD~1 → HEAD)',
        '',
        '- Added `docs` (Launch docs)',
        '- Slipped: `payment-api` now ends 2026-02-09 (was 2026-01-26, 14 days later)',
        '- Slipped: `checkout-ui` now ends 2026-03-02 (was 2026-02-16, 14 days later)',
        '- Slipped: `address-form` now ends 2026-02-13 (was 2026-01-30, 14 days later)',
        '- Slipped: `rollout` now ends 2026-03-16 (was 2026-03-02, 14 days later)',
        '- Owner of `rollout`: bob → carol',
        '- Milestone `beta` now ends 2026-03-02, after its due 2026-02-27 (was 2026-02-16)',
        '- Critical path: `payment-api` → `checkout-ui` → `rollout` → `docs` (was `payment-api` → `checkout-ui` → `rollout`)',
        '',
      ].join('\n'),
    );
    // Against the working tree (unchanged since HEAD): nothing to report.
    assert.equal(blueprint(folder, 'diff', 'HEAD', 'plans/checkout.plan.yaml').stdout, '### plans/checkout.plan.yaml (HEAD → working tree)\n\nNo change to tasks, computed dates, owners or the critical path.\n');
  });

  test('outside a repository, or with an unknown revision: exit 2 with a message', () => {
    const folder = workspace({ 'a.plan.yaml': clean });
    const outside = blueprint(folder, 'diff', 'HEAD');
    assert.equal(outside.status, 2);
    assert.match(outside.stderr, /Not inside a git repository/);
    run(folder, 'init', '-q');
    run(folder, 'add', '.');
    run(folder, 'commit', '-q', '-m', 'first');
    const unknown = blueprint(folder, 'diff', 'nope');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown git revision `nope`/);
  });
});
