import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import type { Browser, BrowserType, Page } from 'playwright-core';
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

// The root tsconfig has no DOM lib: what the function evaluated in Chromium uses.
interface XmlElement {
  nodeName: string;
  namespaceURI: string | null;
  textContent: string | null;
  parentElement: XmlElement | null;
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
}
declare const DOMParser: new () => { parseFromString(text: string, type: string): { documentElement: XmlElement; getElementsByTagName(name: string): ArrayLike<XmlElement> } };

describe('blueprint export --format svg', () => {
  // Well-formedness is judged by a real XML parser: Chromium's DOMParser (the
  // page tests' browser, through the same loader), which reports any error as
  // a <parsererror> document instead of a tree.
  let browser: Browser | undefined;
  let page: Page;

  before(async () => {
    const { loadBrowserDriver } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'vscode', 'codeServer.mjs')).href)) as {
      loadBrowserDriver(): Promise<{ chromiumPath: string; playwright: { chromium: BrowserType } }>;
    };
    const { chromiumPath, playwright } = await loadBrowserDriver();
    browser = await playwright.chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  interface Parsed {
    errors: string[];
    root: string;
    namespace: string | null;
    /** Per element with a class: its name and class. */
    classes: { name: string; className: string; parentClass: string | null; fill: string | null }[];
    texts: string[];
    titles: string[];
  }

  /** Parses the text as XML (image/svg+xml) in Chromium. */
  function parseXml(text: string): Promise<Parsed> {
    return page.evaluate((source) => {
      const parsed = new DOMParser().parseFromString(source, 'image/svg+xml');
      const all = Array.from(parsed.getElementsByTagName('*'));
      return {
        errors: Array.from(parsed.getElementsByTagName('parsererror')).map((error) => error.textContent ?? ''),
        root: parsed.documentElement.nodeName,
        namespace: parsed.documentElement.namespaceURI,
        classes: all.filter((element) => element.hasAttribute('class')).map((element) => ({ name: element.nodeName, className: element.getAttribute('class')!, parentClass: element.parentElement?.getAttribute('class') ?? null, fill: element.getAttribute('fill') })),
        texts: all.filter((element) => element.nodeName === 'text').map((element) => element.textContent ?? ''),
        titles: all.filter((element) => element.nodeName === 'title').map((element) => element.textContent ?? ''),
      };
    }, text);
  }

  test('the example: well-formed SVG with exactly one bar per task and a diamond per milestone due', async () => {
    const folder = workspace({ 'checkout.plan.yaml': clean });
    const result = blueprint(folder, 'export', 'checkout.plan.yaml', '--format', 'svg');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" version="1\.1" width="\d+" height="\d+" viewBox="0 0 \d+ \d+">\n/);
    const parsed = await parseXml(result.stdout);
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.root, 'svg');
    assert.equal(parsed.namespace, 'http://www.w3.org/2000/svg');

    // The plan's tasks and milestones, from its computed JSON.
    type Task = { id: string; tasks: Task[] };
    const view = JSON.parse(blueprint(folder, 'export', 'checkout.plan.yaml', '--format', 'json').stdout) as { milestones: { id: string; due?: string; tasks: Task[] }[] };
    const taskIds: string[] = [];
    const walk = (tasks: Task[]) => tasks.forEach((task) => (taskIds.push(task.id), walk(task.tasks)));
    view.milestones.forEach((milestone) => walk(milestone.tasks));
    assert.deepEqual(taskIds, ['payment-api', 'checkout-ui', 'address-form', 'rollout']);

    const tasks = parsed.classes.filter((element) => element.name === 'g' && element.className.split(' ').includes('item-task'));
    assert.equal(tasks.length, taskIds.length, 'one task item per task');
    const bars = parsed.classes.filter((element) => element.className === 'bar-track');
    assert.equal(bars.filter((bar) => bar.parentClass?.split(' ').includes('item-task')).length, taskIds.length, 'exactly one bar per task');
    const diamonds = parsed.classes.filter((element) => element.className === 'diamond');
    assert.equal(diamonds.length, view.milestones.filter((milestone) => milestone.due).length);
    assert.equal(diamonds.length, 2);
    // Each task item's tooltip names it; the labels are the titles.
    for (const id of taskIds) assert.ok(parsed.titles.some((title) => title.includes(`(${id})`)), id);
    assert.ok(parsed.texts.includes('Private beta') && parsed.texts.includes('Staged rollout'));
    // A fixed light palette: concrete colours, no theme variables, no script, nothing interactive.
    assert.equal(parsed.classes.find((element) => element.className === 'export-bg')?.fill, '#ffffff');
    assert.ok(bars.every((bar) => bar.fill?.startsWith('#')), 'every bar has a concrete fill');
    for (const absent of ['var(--', '<script', 'tabindex', 'data-id', 'focus-ring', 'style=']) assert.ok(!result.stdout.includes(absent), absent);
    // The same layout as the timeline: bars at week zoom, 12 px a day from Monday 2026-01-05 (test/webview/layout.test.ts).
    assert.match(result.stdout, /<rect x="264" y="65" width="252" height="8" rx="1" class="bar-track"/, 'checkout-ui, a summary bar');
  });

  test('plan text is escaped: titles with <&> and quotes come back as the same text', async () => {
    const title = 'Cut <&> "costs" & \'risks\' </text><script>alert(1)</script>';
    const text = clean.replace('plan: Checkout v2 rollout', `plan: ${JSON.stringify(`Plan <&> ${title}`)}`).replace('title: Payment API', `title: ${JSON.stringify(title)}`);
    assert.notEqual(text, clean);
    const folder = workspace({ 'escaped.plan.yaml': text });
    const result = blueprint(folder, 'export', 'escaped.plan.yaml', '--format', 'svg');
    assert.equal(result.status, 0, result.stderr);
    assert.ok(result.stdout.includes('Cut &lt;&amp;&gt;'), 'escaped in text');
    assert.ok(!result.stdout.includes('<script'));
    const parsed = await parseXml(result.stdout);
    assert.deepEqual(parsed.errors, []);
    assert.ok(parsed.titles.includes(`Timeline: Plan <&> ${title}`), 'the document title');
    assert.ok(parsed.texts.includes(`Plan <&> ${title}`), 'the plan title in the corner');
    assert.ok(parsed.titles.some((entry) => entry.startsWith(`${title} (payment-api)`)), 'the task tooltip');
    assert.ok(parsed.texts.some((entry) => entry.startsWith('Cut <&> "costs"')), 'the shortened label');
    assert.equal(parsed.classes.filter((element) => element.name === 'script').length, 0);
  });

  test('--zoom and --group: the owner lanes at day zoom', async () => {
    const folder = workspace({ 'checkout.plan.yaml': clean });
    const week = blueprint(folder, 'export', 'checkout.plan.yaml', '--format=svg');
    const day = blueprint(folder, 'export', 'checkout.plan.yaml', '--format', 'svg', '--zoom', 'day', '--group=owner');
    assert.equal(day.status, 0, day.stderr);
    const width = (svg: string) => Number(/^<svg [^>]*width="(\d+)"/.exec(svg)![1]);
    // 119 days from Monday 2026-01-05 to Monday 2026-05-04: 12 px a day at week zoom, 32 at day zoom, plus the 260 px label column.
    assert.equal(width(week.stdout), 260 + 119 * 12);
    assert.equal(width(day.stdout), 260 + 119 * 32);
    const parsed = await parseXml(day.stdout);
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.classes.filter((element) => element.className === 'row-label row-label-lane').length, 3);
    assert.ok(parsed.texts.includes('Alice Chen · 100%'));
    assert.equal(parsed.classes.filter((element) => element.name === 'g' && element.className.split(' ').includes('item-task')).length, 4);
  });

  test('usage errors', () => {
    const folder = workspace({ 'checkout.plan.yaml': clean });
    for (const args of [
      ['--format', 'svg', '--zoom', 'year'],
      ['--format', 'svg', '--group', 'team'],
      ['--format', 'json', '--zoom', 'day'],
      ['--format', 'png'],
    ]) {
      const result = blueprint(folder, 'export', 'checkout.plan.yaml', ...args);
      assert.equal(result.status, 2, args.join(' '));
      assert.equal(result.stdout, '');
    }
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
