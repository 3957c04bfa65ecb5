import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PlanView } from '../../server/src/protocol/planView';
import { createPlanService } from '../../server/src/service';
import { createNonce, timelineHtml } from '../../client/src/timeline/timelineHtml';
import { fixedToday, planDocument, readFixture, repoRoot } from '../helpers/fixtures';

// The timeline page in real headless Chromium: the bundle built from
// client/src/webview/main.ts, served with the CSP the host uses, a stub
// acquireVsCodeApi that records what the page posts, and a plan whose titles
// are HTML and script payloads.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PAYLOAD_IMG = '<img src=x onerror="window.__pwned = 1">';
const PAYLOAD_SCRIPT = '</text><script>window.__pwned = 2</script>';
const PAYLOAD_STYLE = '<style>*{display:none}</style> & "quotes"';
/** The labels as the label column shows them: shortened to fit (34 characters at the top level, 32 one level in). */
const LABELS = [`${PAYLOAD_IMG.slice(0, 34)}…`, 'Payment API', `${PAYLOAD_SCRIPT.slice(0, 32)}…`, 'Address form', 'General availability', 'Staged rollout'];

interface Posted {
  type: string;
  id?: string;
  version?: number;
  start?: string;
  end?: string;
  svg?: string;
}

declare const window: {
  __posted: Posted[];
  __violations: { directive: string; blocked: string; sample: string }[];
  __pwned?: number;
  postMessage(message: unknown, target: string): void;
};
declare const document: {
  querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null; classList: { contains(name: string): boolean } } | null;
  querySelectorAll(selector: string): { length: number } & Iterable<{ textContent: string | null; getAttribute(name: string): string | null }>;
  activeElement: { getAttribute(name: string): string | null; matches(selector: string): boolean } | null;
  body: { setAttribute(name: string, value: string): void };
};
// The root tsconfig has no DOM lib: the few browser globals the evaluated functions use.
declare const sessionStorage: { getItem(key: string): string | null };
declare const DOMParser: new () => {
  parseFromString(text: string, type: string): { documentElement: { nodeName: string }; getElementsByTagName(name: string): ArrayLike<{ textContent: string | null }> };
};

function payloadPlan(version = 1): PlanView {
  const view = createPlanService({ today: fixedToday('2026-02-10') }).getPlanView(planDocument(readFixture('valid/checkout.plan.yaml'), 'checkout.plan.yaml', version));
  view.title = PAYLOAD_STYLE;
  view.milestones[0].title = PAYLOAD_IMG;
  view.milestones[0].tasks[1].title = PAYLOAD_SCRIPT;
  view.people[1].name = PAYLOAD_IMG;
  return view;
}

let browser: Browser;
let server: http.Server;
let baseUrl: string;
let outdir: string | undefined;
const requests: string[] = [];
const nonce = createNonce();

/**
 * The host's own shell (CSP with a nonce, stylesheet, one nonced script), plus a
 * stub acquireVsCodeApi in a second script with the same nonce. The stub records
 * posted messages and keeps state in sessionStorage, so that a reload restores
 * it as VS Code does for a hidden webview; it also records CSP violations.
 */
function pageHtml(origin: string): string {
  const shell = timelineHtml({ cspSource: origin, scriptUri: `${origin}/timeline.js`, styleUri: `${origin}/timeline.css`, title: `Timeline: ${PAYLOAD_IMG}`, nonce });
  const stub = `<script nonce="${nonce}">
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));
  window.__posted = [];
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (message) => window.__posted.push(JSON.parse(JSON.stringify(message))),
      getState: () => { const saved = sessionStorage.getItem('state'); return saved ? JSON.parse(saved) : undefined; },
      setState: (state) => { sessionStorage.setItem('state', JSON.stringify(state)); return state; },
    };
  };
</script>
</head>`;
  assert.match(shell, /<\/head>/);
  return shell.replace('</head>', stub);
}

before(async () => {
  assert.ok(fs.existsSync(CHROMIUM), `Chromium is required for the page tests and was not found at ${CHROMIUM} (apt-get install chromium)`);
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-webview-'));
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'client', 'src', 'webview', 'main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    outfile: path.join(outdir, 'timeline.js'),
    loader: { '.css': 'css' },
    logLevel: 'error',
  });
  const files: Record<string, [string, string]> = {
    '/': [path.join(outdir, 'index.html'), 'text/html; charset=utf-8'],
    '/timeline.js': [path.join(outdir, 'timeline.js'), 'text/javascript'],
    '/timeline.css': [path.join(outdir, 'timeline.css'), 'text/css'],
  };
  server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    requests.push(url);
    const file = files[url];
    if (url === '/favicon.ico') {
      response.writeHead(204);
      response.end();
      return;
    }
    if (!file) {
      response.writeHead(404);
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': file[1] });
    response.end(fs.readFileSync(file[0]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fs.writeFileSync(path.join(outdir, 'index.html'), pageHtml(baseUrl));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  errors: string[];
}

async function openPage(): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(baseUrl + '/');
  await page.waitForFunction(() => window.__posted.some((message) => message.type === 'ready'));
  return { page, errors };
}

async function showPlan(page: Page, plan: PlanView): Promise<void> {
  await page.evaluate((message) => window.postMessage(message, '*'), { type: 'showPlan', plan });
  await page.waitForFunction((count) => document.querySelectorAll('g.item').length === count, 6);
}

const posted = (page: Page) => page.evaluate(() => window.__posted);
const lastPosted = async (page: Page) => (await posted(page)).at(-1);
const barWidth = (page: Page, id: string) => page.locator(`g.item[data-id="${id}"] > rect.bar-track`).getAttribute('width').then(Number);
const activeId = (page: Page) => page.evaluate(() => (document.activeElement?.matches('g.item') ? document.activeElement.getAttribute('data-id') : null));

describe('the timeline page in Chromium', () => {
  test('renders the bars; payloads stay literal text; no script runs; no CSP violation', async () => {
    const { page, errors } = await openPage();
    assert.deepEqual(await posted(page), [{ type: 'ready' }]);
    await showPlan(page, payloadPlan());
    assert.equal(await page.locator('#app > .timeline-app .toolbar').count(), 1, 'the page mounts in the shell\'s #app');

    assert.deepEqual(await page.locator('g.item').evaluateAll((items) => items.map((item) => item.getAttribute('data-id'))), ['beta', 'payment-api', 'checkout-ui', 'address-form', 'launch', 'rollout']);
    assert.equal(await page.locator('g.item[data-id="payment-api"]').getAttribute('aria-label'), 'Task payment-api, Payment API, 2026-01-05 to 2026-01-26, done 100%, critical');
    assert.equal(await page.locator('g.item[data-id="checkout-ui"]').getAttribute('aria-label'), `Task checkout-ui, ${PAYLOAD_SCRIPT}, 2026-01-27 to 2026-02-16, in progress 60%, critical`);
    assert.ok((await page.locator('g.item[data-id="checkout-ui"]').getAttribute('class'))!.split(' ').includes('critical'));
    assert.equal(await page.locator('path.arrow-line').count(), 3);
    assert.equal(await page.locator('line.as-of-line').count(), 1);

    // The payloads are text: labels, tooltips and the plan title show them verbatim.
    const labels = await page.locator('text.row-label').allTextContents();
    assert.deepEqual(labels, LABELS);
    assert.deepEqual(await page.locator('g.row-label-group > title').allTextContents(), [PAYLOAD_IMG, PAYLOAD_SCRIPT]);
    assert.equal(await page.locator('text.plan-title').textContent(), PAYLOAD_STYLE);
    assert.ok((await page.locator('g.item[data-id="beta"] > title').textContent())!.startsWith(`${PAYLOAD_IMG} (beta)`));
    // …and nothing was parsed as markup: no img, no extra script or style element, no request for "x".
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('script').count(), 2);
    assert.equal(await page.locator('style').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);

    // Owner lanes carry a person's name (a payload too) the same way.
    await page.click('button[data-action="group-owner"]');
    await page.waitForFunction(() => document.querySelectorAll('text.row-label-lane').length === 3);
    assert.deepEqual(await page.locator('text.row-label-lane').allTextContents(), ['Alice Chen · 100%', `${PAYLOAD_IMG.slice(0, 34)}…`, 'Carol Ng · 50%']);
    assert.equal(await page.locator('g.row-label-group > title').textContent(), `${PAYLOAD_IMG} · 50%`);
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);

    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(requests.filter((url) => !['/', '/timeline.js', '/timeline.css', '/favicon.ico'].includes(url)), []);
    assert.deepEqual(errors, []);

    // The listener does catch violations: an inline style attribute is refused.
    await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
    await page.waitForFunction(() => window.__violations.length > 0);
    assert.deepEqual(
      (await page.evaluate(() => window.__violations)).map((violation) => violation.directive),
      ['style-src-attr'],
    );
    await page.close();
  });

  test('keyboard: Tab reaches a bar, arrows move, Enter reveals', async () => {
    const { page, errors } = await openPage();
    await showPlan(page, payloadPlan());
    // Exactly one tab stop among the bars.
    assert.equal(await page.locator('g.item[tabindex="0"]').count(), 1);
    let reached: string | null = null;
    for (let presses = 0; presses < 20 && reached === null; presses++) {
      await page.keyboard.press('Tab');
      reached = await activeId(page);
    }
    assert.equal(reached, 'beta');
    await page.keyboard.press('ArrowDown');
    assert.equal(await activeId(page), 'payment-api');
    await page.keyboard.press('ArrowDown');
    assert.equal(await activeId(page), 'checkout-ui');
    await page.keyboard.press('ArrowUp');
    assert.equal(await activeId(page), 'payment-api');
    assert.equal(await page.locator('g.item[tabindex="0"]').getAttribute('data-id'), 'payment-api');
    await page.keyboard.press('Enter');
    assert.deepEqual(await lastPosted(page), { type: 'reveal', id: 'payment-api' });
    await page.keyboard.press('End');
    assert.equal(await activeId(page), 'rollout');
    // Shift+Tab leaves the chart; Tab comes back to the same bar (roving tab stop).
    await page.keyboard.press('Shift+Tab');
    assert.equal(await activeId(page), null);
    await page.keyboard.press('Tab');
    assert.equal(await activeId(page), 'rollout');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('clicking a bar reveals it; highlight follows the editor', async () => {
    const { page, errors } = await openPage();
    await showPlan(page, payloadPlan());
    await page.click('g.item[data-id="rollout"] > rect.bar-track');
    assert.deepEqual(await lastPosted(page), { type: 'reveal', id: 'rollout' });
    assert.equal(await activeId(page), 'rollout');

    await page.evaluate(() => window.postMessage({ type: 'highlight', id: 'address-form' }, '*'));
    await page.waitForFunction(() => document.querySelector('g.item[data-id="address-form"]')?.classList.contains('highlighted') === true);
    assert.equal(await page.locator('g.item[tabindex="0"]').getAttribute('data-id'), 'address-form');
    await page.evaluate(() => window.postMessage({ type: 'highlight', id: undefined }, '*'));
    await page.waitForFunction(() => document.querySelector('g.item.highlighted') === null);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('zoom buttons change bar widths; the state survives a reload', async () => {
    const { page, errors } = await openPage();
    await showPlan(page, payloadPlan());
    // With no saved state the plan is fitted: 1280 px wide leaves room for month (600 px) but not week (1428 px).
    assert.equal(await page.locator('button[aria-pressed="true"][data-action^="zoom-"]').getAttribute('data-action'), 'zoom-month');
    assert.equal(await barWidth(page, 'checkout-ui'), 21 * 5);
    await page.click('button[data-action="zoom-week"]');
    assert.equal(await barWidth(page, 'checkout-ui'), 21 * 12);
    await page.click('button[data-action="zoom-day"]');
    assert.equal(await barWidth(page, 'checkout-ui'), 21 * 32);
    await page.click('button[data-action="zoom-quarter"]');
    assert.equal(await barWidth(page, 'checkout-ui'), 21 * 2);
    await page.click('button[data-action="zoom-day"]');
    await page.click('g.item[data-id="address-form"] > rect.bar-track');
    await page.locator('.scroller').evaluate((scroller) => {
      scroller.scrollLeft = 300;
      scroller.dispatchEvent(new Event('scroll'));
    });
    await page.waitForFunction(() => JSON.parse(sessionStorage.getItem('state') ?? '{}').scrollLeft === 300);

    await page.reload();
    await page.waitForFunction(() => window.__posted.some((message) => message.type === 'ready'));
    await showPlan(page, payloadPlan());
    assert.equal(await page.locator('button[aria-pressed="true"][data-action^="zoom-"]').getAttribute('data-action'), 'zoom-day');
    assert.equal(await barWidth(page, 'checkout-ui'), 21 * 32);
    assert.equal(await page.locator('g.item[tabindex="0"]').getAttribute('data-id'), 'address-form');
    assert.equal(await page.locator('.scroller').evaluate((scroller) => scroller.scrollLeft), 300);
    const state = await page.evaluate(() => JSON.parse(sessionStorage.getItem('state') ?? '{}'));
    assert.deepEqual({ ...state, scrollTop: undefined }, { uri: 'file:///workspace/checkout.plan.yaml', zoom: 'day', grouping: 'milestone', scrollLeft: 300, scrollTop: undefined, selectedId: 'address-form' });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('export posts a standalone SVG with concrete colours and escaped text', async () => {
    const { page, errors } = await openPage();
    await showPlan(page, payloadPlan());
    await page.click('button[data-action="export"]');
    const message = await lastPosted(page);
    assert.equal(message?.type, 'exportSvg');
    const svg = message!.svg!;
    assert.ok(svg.startsWith('<svg'), svg.slice(0, 40));
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(svg.includes('&lt;img src=x onerror="window.__pwned = 1"&gt;') || svg.includes('&lt;img src=x onerror=&quot;window.__pwned = 1&quot;&gt;'));
    assert.ok(svg.includes('&lt;/text&gt;&lt;script&gt;'));
    assert.ok(!svg.includes('<script'));
    assert.ok(!svg.includes('<img'));
    assert.ok(!svg.includes('var(--'), 'colours are resolved');
    assert.ok(!svg.includes('class='), 'no classes that need the page stylesheet');
    assert.ok(!svg.includes('tabindex'));
    assert.match(svg, /fill="rgb\(/);
    // It parses as an SVG document on its own, with every bar in it.
    const parsed = await page.evaluate((text) => {
      const document = new DOMParser().parseFromString(text, 'image/svg+xml');
      const all = (name: string) => Array.from(document.getElementsByTagName(name)).map((node) => node.textContent);
      return { root: document.documentElement.nodeName, errors: document.getElementsByTagName('parsererror').length, texts: all('text'), titles: all('title') };
    }, svg);
    assert.equal(parsed.root, 'svg');
    assert.equal(parsed.errors, 0);
    for (const label of [...LABELS, PAYLOAD_STYLE]) assert.ok(parsed.texts.includes(label), label);
    assert.ok(parsed.titles.includes(PAYLOAD_IMG));
    assert.ok(parsed.titles.some((title) => title?.startsWith(`${PAYLOAD_SCRIPT} (checkout-ui)`)));
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('drag to reschedule: body moves the start, the right edge moves the end, computed starts ask the host', async () => {
    const { page, errors } = await openPage();
    await showPlan(page, payloadPlan());
    await page.click('button[data-action="zoom-day"]');
    const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
    // Bars scrolled under the sticky label column cannot be grabbed: scroll to where they show.
    const scrollTo = (left: number) => page.locator('.scroller').evaluate((scroller, value) => void (scroller.scrollLeft = value), left);
    await scrollTo(0);

    // payment-api has a written start: drag its body two days (64 px) right.
    const payment = await box('g.item[data-id="payment-api"] > rect.bar-track');
    await page.mouse.move(payment.x + 100, payment.y + payment.height / 2);
    await page.mouse.down();
    await page.mouse.move(payment.x + 130, payment.y + payment.height / 2, { steps: 3 });
    await page.mouse.move(payment.x + 164, payment.y + payment.height / 2, { steps: 3 });
    assert.equal(await page.locator('g.item[data-id="payment-api"]').getAttribute('transform'), 'translate(64 0)');
    await page.mouse.up();
    assert.deepEqual(await lastPosted(page), { type: 'reschedule', id: 'payment-api', version: 1, start: '2026-01-07' });
    // The bar goes back until the host confirms with a new plan.
    assert.equal(await page.locator('g.item[data-id="payment-api"]').getAttribute('transform'), null);
    assert.ok((await page.locator('g.item[data-id="payment-api"]').getAttribute('class'))!.split(' ').includes('pending'));
    await showPlan(page, payloadPlan(2));
    assert.ok(!(await page.locator('g.item[data-id="payment-api"]').getAttribute('class'))!.split(' ').includes('pending'));

    // rollout's right edge: one day later, for the version now shown.
    await scrollTo(1000);
    const rollout = await box('g.item[data-id="rollout"] > rect.bar-handle');
    await page.mouse.move(rollout.x + 3, rollout.y + rollout.height / 2);
    await page.mouse.down();
    await page.mouse.move(rollout.x + 20, rollout.y + rollout.height / 2, { steps: 3 });
    await page.mouse.move(rollout.x + 35, rollout.y + rollout.height / 2, { steps: 3 });
    assert.equal(await barWidth(page, 'rollout'), 15 * 32);
    await page.mouse.up();
    assert.deepEqual(await lastPosted(page), { type: 'reschedule', id: 'rollout', version: 2, end: '2026-03-03' });
    assert.equal(await barWidth(page, 'rollout'), 14 * 32);

    // checkout-ui's start is computed: the page still asks; the host offers to set an explicit start.
    await scrollTo(0);
    const checkout = await box('g.item[data-id="checkout-ui"] > rect.bar-track');
    await page.mouse.move(checkout.x + 50, checkout.y + checkout.height / 2);
    await page.mouse.down();
    await page.mouse.move(checkout.x + 100, checkout.y + checkout.height / 2, { steps: 3 });
    await page.mouse.move(checkout.x + 146, checkout.y + checkout.height / 2, { steps: 3 });
    await page.mouse.up();
    assert.deepEqual(await lastPosted(page), { type: 'reschedule', id: 'checkout-ui', version: 2, start: '2026-01-30' });
    const count = (await posted(page)).length;

    // Escape cancels a drag in progress.
    const again = await box('g.item[data-id="payment-api"] > rect.bar-track');
    await page.mouse.move(again.x + 100, again.y + again.height / 2);
    await page.mouse.down();
    await page.mouse.move(again.x + 200, again.y + again.height / 2, { steps: 4 });
    await page.keyboard.press('Escape');
    await page.mouse.up();
    assert.equal((await posted(page)).length, count);
    assert.equal(await page.locator('g.item[data-id="payment-api"]').getAttribute('transform'), null);

    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
