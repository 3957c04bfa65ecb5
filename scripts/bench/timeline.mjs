// Timeline benchmark: how fast the timeline webview draws and scrolls a big plan.
//
//   npm run build && node scripts/bench/timeline.mjs [task counts…] [--runs N]
//
// For each task count: a plan from generatePlan.mjs, its computed PlanView from
// the built CLI (`dist/cli.js export --format json`, the shape the webview
// receives), then
//   - layoutMs: computeLayout (server/src/timeline/layout.ts) in Node on that
//     PlanView, at the zoom the page picks for it, milestone grouping;
//   - firstPaintMs: in headless Chromium, the built bundle (dist/webview)
//     behind the host's CSP shell, from posting `showPlan` to the end of the
//     first frame drawn (test/webview/harness.ts, shared with the page tests);
//   - scrollFrameP50Ms / scrollFrameP95Ms: 300 ms after the first paint,
//     while scrolling down 40 px a frame for 120 frames, each frame's time from
//     its requestAnimationFrame timestamp to the end of its style, layout and
//     paint (a task queued from rAF).
//     The interval between rAF callbacks is not used for these: headless
//     Chromium delivers frames at 60 Hz, so intervals never drop below
//     16.7 ms; the table printed by a direct run shows their p95 and the
//     frames that missed a refresh (an interval over 25 ms) as well.
// Each number is the median of `runs` runs (default 3), each on a fresh page;
// layoutMs the median of at least 5, after a warm-up.
//
// `measureTimeline` is called by the main benchmark (scripts/bench/run.mjs).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { loadBrowserDriver } from '../vscode/codeServer.mjs';
import { generatePlan } from './generatePlan.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VIEWPORT = { width: 1280, height: 800 };
const SCROLL_FRAMES = 120;
const SCROLL_STEP = 40;
const SETTLE_MS = 300;

/** Bundles a TypeScript module of the repository for Node and imports it (no files written). */
async function importTypeScript(entry) {
  const result = await esbuild.build({
    entryPoints: [path.join(repoRoot, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'error',
  });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
}

/** The PlanView the webview would receive for a generated plan of `taskCount` tasks. */
function planViewOf(taskCount, folder) {
  const file = path.join(folder, `generated-${taskCount}.plan.yaml`);
  fs.writeFileSync(file, generatePlan(taskCount));
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'export', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`blueprint export --format json failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const round1 = (value) => Math.round(value * 10) / 10;

/**
 * Everything measured, per task count (see the header). `bundleDir`,
 * `layoutModule` (a module URL exporting computeLayout) and `planViews` (task
 * count → PlanView) let a comparison run against another build.
 */
export async function measureTimelineDetailed({ taskCounts = [2000, 5000], runs = 3, bundleDir = path.join(repoRoot, 'dist', 'webview'), layoutModule, planViews = {} } = {}) {
  for (const file of [path.join(repoRoot, 'dist', 'cli.js'), path.join(bundleDir, 'timeline.js'), path.join(bundleDir, 'timeline.css')]) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(repoRoot, file)} is missing: run \`npm run build\` first.`);
  }
  const harness = await importTypeScript('test/webview/harness.ts');
  const layout = layoutModule ? await import(layoutModule) : await importTypeScript('server/src/timeline/layout.ts');
  const { chromiumPath, playwright } = await loadBrowserDriver();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-bench-timeline-'));
  const server = await harness.startTimelineServer({ bundleDir, title: 'Timeline benchmark' });
  const browser = await harness.launchChromium(playwright.chromium, chromiumPath);
  const results = [];
  try {
    for (const tasks of taskCounts) {
      const plan = planViews[tasks] ?? planViewOf(tasks, folder);
      const perRun = [];
      let zoom;
      for (let run = 0; run < runs; run++) {
        const { page, errors } = await harness.openTimelinePage(browser, server.baseUrl, VIEWPORT);
        const paint = await harness.measureFirstPaint(page, plan);
        if (paint.items === 0) throw new Error(`the page drew no bars for ${tasks} tasks`);
        zoom = await page.locator('button[aria-pressed="true"][data-action^="zoom-"]').getAttribute('data-action').then((action) => action?.replace('zoom-', ''));
        // A moment to look at the chart before scrolling (the page draws its overscan meanwhile).
        await page.waitForTimeout(SETTLE_MS);
        const scroll = await harness.measureScrollFrames(page, SCROLL_FRAMES, SCROLL_STEP);
        const rendered = await page.evaluate(() => document.querySelectorAll('g.item').length);
        if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('\n')}`);
        await page.close();
        perRun.push({
          firstPaintMs: paint.ms,
          p50: harness.percentile(scroll.frames, 50),
          p95: harness.percentile(scroll.frames, 95),
          intervalP95: harness.percentile(scroll.intervals, 95),
          missed: scroll.intervals.filter((interval) => interval > 25).length,
          rendered,
        });
      }
      const layoutTimes = [];
      computeLayoutOnce(layout, plan, zoom); // warm-up
      for (let run = 0; run < Math.max(5, runs); run++) {
        const started = performance.now();
        computeLayoutOnce(layout, plan, zoom);
        layoutTimes.push(performance.now() - started);
      }
      results.push({
        tasks,
        layoutMs: round1(median(layoutTimes)),
        firstPaintMs: round1(median(perRun.map((run) => run.firstPaintMs))),
        scrollFrameP50Ms: round1(median(perRun.map((run) => run.p50))),
        scrollFrameP95Ms: round1(median(perRun.map((run) => run.p95))),
        zoom,
        rafIntervalP95Ms: round1(median(perRun.map((run) => run.intervalP95))),
        missedFrames: median(perRun.map((run) => run.missed)),
        itemsInDom: median(perRun.map((run) => run.rendered)),
      });
    }
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return results;
}

function computeLayoutOnce(layout, plan, zoom) {
  return layout.computeLayout(plan, { zoom, grouping: 'milestone' });
}

/** Per task count: `{ tasks, layoutMs, firstPaintMs, scrollFrameP50Ms, scrollFrameP95Ms }` (milliseconds, medians of a few runs). */
export async function measureTimeline({ taskCounts = [2000, 5000] } = {}) {
  const detailed = await measureTimelineDetailed({ taskCounts });
  return detailed.map(({ tasks, layoutMs, firstPaintMs, scrollFrameP50Ms, scrollFrameP95Ms }) => ({ tasks, layoutMs, firstPaintMs, scrollFrameP50Ms, scrollFrameP95Ms }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  if (!Number.isInteger(runs) || runs < 1) {
    console.error('usage: node scripts/bench/timeline.mjs [task counts…] [--runs N]');
    process.exit(2);
  }
  const counts = args.filter((arg, index) => /^\d+$/.test(arg) && (runsAt < 0 || index !== runsAt + 1)).map(Number);
  const rows = await measureTimelineDetailed({ taskCounts: counts.length > 0 ? counts : [2000, 5000], runs });
  const header = ['tasks', 'zoom', 'layout ms', 'first paint ms', 'scroll frame p50 ms', 'scroll frame p95 ms', 'rAF interval p95 ms', 'missed refreshes', 'bars in DOM'];
  const table = rows.map((row) => [row.tasks, row.zoom, row.layoutMs, row.firstPaintMs, row.scrollFrameP50Ms, row.scrollFrameP95Ms, row.rafIntervalP95Ms, `${row.missedFrames}/${SCROLL_FRAMES - 1}`, row.itemsInDom].map(String));
  const widths = header.map((title, column) => Math.max(title.length, ...table.map((row) => row[column].length)));
  const line = (cells) => `| ${cells.map((cell, column) => cell.padStart(widths[column])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of table) console.log(line(row));
}
