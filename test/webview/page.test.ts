import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type { Browser, BrowserType, Page } from 'playwright-core';
import type { PlanView } from '../../server/src/protocol/planView';
import { createPlanService } from '../../server/src/service';
import { computeLayout, type TimelineLayout, type Zoom } from '../../server/src/timeline/layout';
import { timelineSize } from '../../server/src/timeline/svg';
import { pngSize } from '../../client/src/timeline/timelineExport';
import { PNG_MAX_PIXELS, PNG_MAX_SIDE } from '../../client/src/webview/raster';
import { fixedToday, planDocument, readFixture, repoRoot } from '../helpers/fixtures';
import { launchChromium, openTimelinePage, startTimelineServer, type TimelineServer } from './harness';

// The timeline page in real headless Chromium: the bundle built from
// client/src/webview/main.ts, served with the CSP the host uses, a stub
// acquireVsCodeApi that records what the page posts (test/webview/harness.ts,
// shared with the benchmark), a plan whose titles are HTML and script
// payloads, and a generated plan of 2,000 tasks for the virtualised drawing.

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
  png?: string;
}

declare const window: {
  __posted: Posted[];
  __violations: { directive: string; blocked: string; sample: string }[];
  __pwned?: number;
  postMessage(message: unknown, target: string): void;
};
interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}
declare const document: {
  querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null; classList: { contains(name: string): boolean }; getBoundingClientRect(): Box } | null;
  querySelectorAll(selector: string): { length: number } & Iterable<{ textContent: string | null; getAttribute(name: string): string | null }>;
  activeElement: { getAttribute(name: string): string | null; matches(selector: string): boolean } | null;
  body: { setAttribute(name: string, value: string): void };
};
declare function getComputedStyle(element: unknown): { getPropertyValue(name: string): string };
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
let server: TimelineServer;
let outdir: string | undefined;

before(async () => {
  // Debian's Chromium and playwright-core, through the loader the other browser harnesses use (it says how to install what is missing).
  const { loadBrowserDriver } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'vscode', 'codeServer.mjs')).href)) as {
    loadBrowserDriver(): Promise<{ chromiumPath: string; playwright: { chromium: BrowserType } }>;
  };
  const { chromiumPath, playwright } = await loadBrowserDriver();
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
  server = await startTimelineServer({ bundleDir: outdir, title: `Timeline: ${PAYLOAD_IMG}` });
  browser = await launchChromium(playwright.chromium, chromiumPath);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

const openPage = () => openTimelinePage(browser, server.baseUrl);

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
    assert.deepEqual(server.requests.filter((url) => !['/', '/timeline.js', '/timeline.css', '/favicon.ico'].includes(url)), []);
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
    for (const interactive of ['tabindex', 'data-id', 'focus-ring', 'role="button"', 'bar-handle']) assert.ok(!svg.includes(interactive), interactive);
    // The colours are the theme's as the page resolves them: its --tl-bar is the bars' fill.
    const barColour = await page.evaluate(() => getComputedStyle(document.body).getPropertyValue('--tl-bar').trim());
    assert.match(barColour, /^#[0-9a-f]{6}$/i);
    assert.ok(svg.includes(`fill="${barColour}"`), barColour);
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

  test('PNG export posts a real PNG of the SVG at the device pixel ratio', async () => {
    // Twice the CSS pixels, as on a high-density screen.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${server.baseUrl}/`);
    await page.waitForFunction(() => window.__posted.some((message) => message.type === 'ready'));
    const plan = payloadPlan();
    await showPlan(page, plan);
    await page.click('button[data-action="export-png"]');
    await page.waitForFunction(() => window.__posted.some((message) => message.type === 'exportPng'));
    const message = (await posted(page)).find((entry) => entry.type === 'exportPng')!;
    assert.deepEqual(Object.keys(message).sort(), ['png', 'type']);
    const bytes = new Uint8Array(Buffer.from(message.png!, 'base64'));
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'the PNG signature');
    assert.equal(Buffer.from(bytes.subarray(12, 16)).toString('latin1'), 'IHDR');
    assert.equal(Buffer.from(bytes.subarray(-8, -4)).toString('latin1'), 'IEND', 'a whole file, up to its IEND chunk');
    // The page fits the plan at month zoom (see the zoom test): 260 + 120 days × 5 px wide, 40 + 6 rows × 28 px high.
    const { width, height } = timelineSize(computeLayout(plan, { zoom: 'month', grouping: 'milestone' }));
    assert.deepEqual([width, height], [860, 208]);
    assert.deepEqual(pngSize(bytes), { width: 2 * width, height: 2 * height });
    assert.match((await page.locator('.status').textContent()) ?? '', /^Exported the timeline as PNG, 1720 × 416 pixels\.$/);
    // Drawn through a blob: image, which the CSP allows; nothing else was loaded.
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.equal(await page.locator('img').count(), 0, 'no image left in the page');
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

// ---------------------------------------------------------------- big plans

const BIG = 2000;
/** Rows the page may keep drawn at 1280 × 800: about 26 visible, 20 more on each side, a few pinned (tab stop, highlight). */
const MAX_DRAWN = 100;

async function bigPlan(): Promise<PlanView> {
  const { generatePlan } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'bench', 'generatePlan.mjs')).href)) as { generatePlan(taskCount: number): string };
  return createPlanService().getPlanView(planDocument(generatePlan(BIG), `generated-${BIG}.plan.yaml`, 1));
}

interface Drawn {
  items: string[];
  labels: number;
  arrows: [string, string][];
  scrollTop: number;
  scrollLeft: number;
}

const drawn = (page: Page) =>
  page.evaluate((): Drawn => {
    const scroller = document.querySelector('.scroller') as unknown as { scrollTop: number; scrollLeft: number };
    return {
      items: Array.from(document.querySelectorAll('g.item')).map((item) => item.getAttribute('data-id')!),
      labels: document.querySelectorAll('.labels .row-bg').length,
      arrows: Array.from(document.querySelectorAll('path.arrow-line')).map((arrow) => [arrow.getAttribute('data-from')!, arrow.getAttribute('data-to')!] as [string, string]),
      scrollTop: scroller.scrollTop,
      scrollLeft: scroller.scrollLeft,
    };
  });

/** Scrolls the chart as a user would (the page hears a scroll event) and waits until the overscan is filled in. */
async function scrollTo(page: Page, top: number, left?: number): Promise<void> {
  await page.locator('.scroller').evaluate(
    (scroller, [y, x]) => {
      scroller.scrollTop = y;
      if (x !== undefined) scroller.scrollLeft = x;
    },
    [top, left] as const,
  );
  await settle(page);
}

/** Waits for a few frames: scroll events, and the overscan filled in (a few rows a frame). */
async function settle(page: Page, frames = 15): Promise<void> {
  await page.evaluate(
    (count) =>
      new Promise<void>((resolve) => {
        let left = count;
        const next = () => (--left <= 0 ? resolve() : requestAnimationFrame(next));
        requestAnimationFrame(next);
      }),
    frames,
  );
}

/** Is the element inside the part of the scroller not covered by the sticky axis and label column? */
const inView = (page: Page, selector: string) =>
  page.evaluate((target) => {
    const element = document.querySelector(target);
    const scroller = document.querySelector('.scroller');
    if (!element || !scroller) return false;
    const box = element.getBoundingClientRect();
    const view = scroller.getBoundingClientRect();
    return box.top >= view.top + 40 - 1 && box.bottom <= view.bottom + 1 && box.left >= view.left + 260 - 7 && box.left < view.right;
  }, selector);

declare function requestAnimationFrame(callback: () => void): number;

describe(`a plan of ${BIG} tasks: only what is near the viewport is drawn`, () => {
  let plan: PlanView;
  let layout: TimelineLayout;
  let zoom: Zoom;

  before(async () => {
    plan = await bigPlan();
    assert.equal(plan.milestones.reduce((count, milestone) => count + milestone.tasks.length, 0) > 0, true);
  });

  async function openBig(): Promise<{ page: Page; errors: string[] }> {
    const opened = await openPage();
    await opened.page.evaluate((message) => window.postMessage(message, '*'), { type: 'showPlan', plan });
    await opened.page.waitForFunction(() => document.querySelectorAll('g.item').length > 0);
    await settle(opened.page);
    zoom = (await opened.page.locator('button[aria-pressed="true"][data-action^="zoom-"]').getAttribute('data-action'))!.replace('zoom-', '') as Zoom;
    layout = computeLayout(plan, { zoom, grouping: 'milestone' });
    return opened;
  }

  const rowY = (id: string) => layout.rows.find((row) => row.id === id)!.y;

  test('a bounded number of rows is in the DOM; scrolling brings others in and drops the far ones', async () => {
    const { page, errors } = await openBig();
    assert.ok(layout.items.length > BIG, `${layout.items.length} items in the layout`);
    const top = await drawn(page);
    assert.ok(top.items.length >= 20 && top.items.length <= MAX_DRAWN, `${top.items.length} items drawn`);
    assert.ok(top.labels >= 20 && top.labels <= MAX_DRAWN, `${top.labels} label rows drawn`);
    assert.deepEqual(top.items, layout.items.filter((item) => top.items.includes(item.id)).map((item) => item.id), 'drawn in layout order');
    assert.equal(top.items[0], layout.items[0].id);
    assert.ok(await page.locator('g.item[data-id="' + layout.items[0].id + '"][tabindex="0"]').count(), 'the first item is the tab stop');
    // The SVGs keep the chart's full size: the scrollbar covers every row.
    assert.equal(await page.locator('svg.chart').getAttribute('height'), String(layout.height));

    // The middle of the plan.
    const middle = layout.rows[1000];
    const middleBar = layout.items.find((item) => item.id === middle.id)!.bar!;
    await scrollTo(page, middle.y, Math.max(0, middleBar.x - 100));
    const there = await drawn(page);
    assert.ok(there.items.includes(middle.id!), `${middle.id} drawn after scrolling to it`);
    assert.ok(!there.items.includes(layout.items[5].id), 'the top rows are gone');
    assert.ok(there.items.length <= MAX_DRAWN && there.labels <= MAX_DRAWN, `${there.items.length} items, ${there.labels} label rows drawn`);
    assert.ok(await inView(page, `g.item[data-id="${middle.id}"] > .bar-track, g.item[data-id="${middle.id}"] > .diamond`));

    // Every arrow with an end in a visible row is drawn.
    const firstVisible = Math.floor(there.scrollTop / layout.rowHeight);
    const visibleIds = new Set(layout.rows.slice(firstVisible, firstVisible + 20).map((row) => row.id));
    const expected = layout.arrows.filter((arrow) => visibleIds.has(arrow.from) || visibleIds.has(arrow.to)).map((arrow) => `${arrow.from}→${arrow.to}`);
    assert.ok(expected.length > 10, `${expected.length} arrows end in the visible rows`);
    const drawnArrows = new Set(there.arrows.map(([from, to]) => `${from}→${to}`));
    assert.deepEqual(expected.filter((arrow) => !drawnArrows.has(arrow)), []);
    assert.ok(there.arrows.length < layout.arrows.length / 10, `${there.arrows.length} of ${layout.arrows.length} arrows drawn`);

    // The bottom.
    await scrollTo(page, layout.height);
    const bottom = await drawn(page);
    assert.ok(bottom.items.includes(layout.items.at(-1)!.id));
    assert.ok(bottom.items.length <= MAX_DRAWN);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('keyboard: End goes to the last task, drawn and scrolled into view; Enter reveals it; arrows walk back', async () => {
    const { page, errors } = await openBig();
    await page.locator(`g.item[data-id="${layout.items[0].id}"]`).focus();
    assert.equal(await activeId(page), layout.items[0].id);
    await page.keyboard.press('ArrowDown');
    assert.equal(await activeId(page), layout.items[1].id);
    await page.keyboard.press('End');
    const last = layout.items.at(-1)!;
    assert.equal(await activeId(page), last.id);
    await settle(page, 3);
    assert.ok(await inView(page, `g.item[data-id="${last.id}"] > .bar-track`), 'the last task is scrolled into view');
    assert.equal(await page.locator('g.item[tabindex="0"]').count(), 1);
    assert.equal(await page.locator('g.item[tabindex="0"]').getAttribute('data-id'), last.id);
    await page.keyboard.press('Enter');
    assert.deepEqual(await lastPosted(page), { type: 'reveal', id: last.id });
    await page.keyboard.press('ArrowUp');
    assert.equal(await activeId(page), layout.items.at(-2)!.id);
    // Home: back to the top, which was dropped from the DOM and is drawn again.
    await page.keyboard.press('Home');
    assert.equal(await activeId(page), layout.items[0].id);
    assert.equal(await page.locator('.scroller').evaluate((scroller) => scroller.scrollTop), 0);
    // The tab stop stays in the DOM wherever the chart is scrolled: Tab comes back to it.
    await scrollTo(page, layout.height / 2);
    assert.equal(await page.locator(`g.item[data-id="${layout.items[0].id}"][tabindex="0"]`).count(), 1);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    assert.equal(await activeId(page), layout.items[0].id);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the cursor in the editor highlights a far task and scrolls to it; a live update keeps the scroll position', async () => {
    const { page, errors } = await openBig();
    const target = layout.items[1500];
    await page.evaluate((id) => window.postMessage({ type: 'highlight', id }, '*'), target.id);
    await page.waitForFunction((id) => document.querySelector(`g.item[data-id="${id}"]`)?.classList.contains('highlighted') === true, target.id);
    await settle(page, 3);
    assert.ok(await inView(page, `g.item[data-id="${target.id}"] > .bar-track`));
    const before = await drawn(page);
    assert.ok(Math.abs(before.scrollTop - rowY(target.id)) < 800);

    // The plan changes (a new version arrives): same scroll, the rows there drawn again.
    await page.evaluate((message) => window.postMessage(message, '*'), { type: 'showPlan', plan: { ...plan, version: 2 } });
    await settle(page);
    const after = await drawn(page);
    assert.equal(after.scrollTop, before.scrollTop);
    assert.equal(after.scrollLeft, before.scrollLeft);
    assert.ok(after.items.includes(target.id));
    assert.ok(after.items.length <= MAX_DRAWN);
    assert.ok((await page.locator(`g.item[data-id="${target.id}"]`).getAttribute('class'))!.split(' ').includes('highlighted'));
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('click and drag a task far down the chart', async () => {
    const { page, errors } = await openBig();
    // A task with a written length, in the middle.
    const task = layout.items.find((item, index) => index > 1200 && item.kind === 'task' && item.canMove && item.bar!.width >= 20)!;
    await scrollTo(page, rowY(task.id) - 200, Math.max(0, task.bar!.x - 100));
    const bar = (await page.locator(`g.item[data-id="${task.id}"] > rect.bar-track`).boundingBox())!;
    await page.mouse.click(bar.x + 4, bar.y + bar.height / 2);
    assert.deepEqual(await lastPosted(page), { type: 'reveal', id: task.id });
    const ppd = layout.pixelsPerDay;
    await page.mouse.move(bar.x + 4, bar.y + bar.height / 2);
    await page.mouse.down();
    await page.mouse.move(bar.x + 4 + 5 * ppd, bar.y + bar.height / 2, { steps: 4 });
    await page.mouse.move(bar.x + 4 + 10 * ppd, bar.y + bar.height / 2, { steps: 4 });
    await page.mouse.up();
    const start = new Date(Date.parse(`${task.start}T00:00:00Z`) + 10 * 86_400_000).toISOString().slice(0, 10);
    assert.deepEqual(await lastPosted(page), { type: 'reschedule', id: task.id, version: 1, start });
    assert.ok((await page.locator(`g.item[data-id="${task.id}"]`).getAttribute('class'))!.split(' ').includes('pending'));
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('by owner: dense lanes draw only the bars near the viewport, with their load', async () => {
    const { page, errors } = await openBig();
    await page.click('button[data-action="group-owner"]');
    await page.waitForFunction(() => document.querySelectorAll('text.row-label-lane').length > 0);
    await settle(page);
    const lanes = computeLayout(plan, { zoom, grouping: 'owner' });
    const drawnIds = (await drawn(page)).items;
    assert.ok(lanes.items.length > BIG);
    assert.ok(drawnIds.length > 20 && drawnIds.length < lanes.items.length / 4, `${drawnIds.length} of ${lanes.items.length} bars drawn`);
    assert.ok((await page.locator('rect.load').count()) > 0, 'the lanes show their load');
    // Sideways: the bars there come in, those left behind go.
    const farRight = lanes.width - 1500;
    await scrollTo(page, 0, farRight);
    const right = (await drawn(page)).items;
    const onRight = lanes.items.filter((item) => item.kind === 'task' && item.bar && item.bar.x > farRight + 200 && item.bar.x < farRight + 900 && lanes.rows[item.row].y < 700);
    assert.ok(onRight.length > 0);
    for (const item of onRight) assert.ok(right.includes(item.id), `${item.id} drawn at the right`);
    assert.ok(right.length < lanes.items.length / 4);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('SVG export draws every task, drawn or not; PNG export is capped and says so', async () => {
    const { page, errors } = await openBig();
    await page.click('button[data-action="export"]');
    const svg = (await lastPosted(page))!.svg!;
    const counted = await page.evaluate((text) => {
      const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { errors: parsed.getElementsByTagName('parsererror').length, groups: parsed.getElementsByTagName('g').length };
    }, svg);
    assert.equal(counted.errors, 0);
    assert.ok(counted.groups > layout.items.length);
    assert.equal((svg.match(/<g class="item item-/g) ?? []).length, layout.items.length, 'every item, not only those drawn in the page');

    await page.click('button[data-action="export-png"]');
    await page.waitForFunction(() => window.__posted.some((message) => message.type === 'exportPng'), undefined, { timeout: 60_000 });
    const png = (await posted(page)).find((entry) => entry.type === 'exportPng')!.png!;
    const size = pngSize(new Uint8Array(Buffer.from(png, 'base64')))!;
    const full = timelineSize(layout);
    assert.ok(size.width <= PNG_MAX_SIDE && size.height <= PNG_MAX_SIDE && size.width * size.height <= PNG_MAX_PIXELS, `${size.width} × ${size.height}`);
    assert.ok(Math.abs(size.width / size.height - full.width / full.height) < 0.01, 'scaled, not cropped');
    assert.match((await page.locator('.status').textContent()) ?? '', /scaled to \d+% .*Export SVG for full detail\.$/);
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
