import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, BrowserType, Page } from 'playwright-core';
import { createNonce, timelineHtml } from '../../client/src/timeline/timelineHtml';

// The timeline page outside VS Code, shared by the page tests
// (test/webview/page.test.ts) and the timeline benchmark
// (scripts/bench/timeline.mjs, which bundles this file with esbuild):
//
// - a 127.0.0.1 server for a built webview bundle (timeline.js and
//   timeline.css) behind the host's own shell (client/src/timeline/
//   timelineHtml.ts: the same CSP with a fresh nonce), plus a stub
//   acquireVsCodeApi in a second nonced script that records what the page
//   posts and keeps its state in sessionStorage (a reload restores it, as VS
//   Code does for a hidden webview), and records CSP violations;
// - Chromium launched headless with the flags the tests use;
// - the measurements of the benchmark: first paint and frame times while
//   scrolling, both taken in the page with requestAnimationFrame.
//
// It imports playwright-core for types only: the caller passes the driver in,
// so the benchmark's bundle of this file needs nothing but Node built-ins.

export interface TimelineServer {
  baseUrl: string;
  /** Every path the page requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

export interface TimelineServerOptions {
  /** Folder with timeline.js and timeline.css. */
  bundleDir: string;
  /** The shell's title (escaped by the shell). */
  title?: string;
  nonce?: string;
}

/** The host's shell plus the stub acquireVsCodeApi (same nonce), for the page at `origin`. */
export function timelinePageHtml(origin: string, title: string, nonce: string): string {
  const shell = timelineHtml({ cspSource: origin, scriptUri: `${origin}/timeline.js`, styleUri: `${origin}/timeline.css`, title, nonce });
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
  if (!shell.includes('</head>')) throw new Error('the timeline shell has no </head>');
  return shell.replace('</head>', stub);
}

export async function startTimelineServer(options: TimelineServerOptions): Promise<TimelineServer> {
  const nonce = options.nonce ?? createNonce();
  const requests: string[] = [];
  let html = '';
  const files: Record<string, [string, string]> = {
    '/timeline.js': [path.join(options.bundleDir, 'timeline.js'), 'text/javascript'],
    '/timeline.css': [path.join(options.bundleDir, 'timeline.css'), 'text/css'],
  };
  for (const [file] of Object.values(files)) if (!fs.existsSync(file)) throw new Error(`${file} is missing: build the webview bundle first`);
  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    requests.push(url);
    if (url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(html);
      return;
    }
    if (url === '/favicon.ico') {
      response.writeHead(204);
      response.end();
      return;
    }
    const file = files[url];
    if (!file) {
      response.writeHead(404);
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': file[1] });
    response.end(fs.readFileSync(file[0]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  html = timelinePageHtml(baseUrl, options.title ?? 'Timeline', nonce);
  return {
    baseUrl,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(chromium: BrowserType, executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

export interface OpenedPage {
  page: Page;
  /** Page errors and console errors. */
  errors: string[];
}

/** A fresh page on the timeline, once it has posted `ready`. */
export async function openTimelinePage(browser: Browser, baseUrl: string, viewport = { width: 1280, height: 800 }): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${baseUrl}/`);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((message) => message.type === 'ready'));
  return { page, errors };
}

// ---------------------------------------------------------------- measurements

// The functions below run in the page (page.evaluate); the root tsconfig has no
// DOM lib, so the few browser globals they touch are declared loosely here.
declare const window: {
  __plan?: unknown;
  postMessage(message: unknown, target: string): void;
  addEventListener(type: string, listener: () => void, options?: { once?: boolean }): void;
};
declare const document: { querySelector(selector: string): { scrollTop: number; scrollHeight: number; clientHeight: number } | null; querySelectorAll(selector: string): { length: number } };
declare function requestAnimationFrame(callback: (time: number) => void): number;
declare const performance: { now(): number };
declare class MessageChannel {
  port1: { onmessage: (() => void) | null };
  port2: { postMessage(message: unknown): void };
}

/**
 * Milliseconds from posting `showPlan` to the end of the first frame drawn
 * after the page handled it: the page's own work (layout, DOM), style, layout
 * and paint of that frame. The plan is first copied into the page (not timed);
 * posting it is timed, as the host's message is.
 */
export async function measureFirstPaint(page: Page, plan: unknown): Promise<{ ms: number; items: number }> {
  await page.evaluate((value) => void (window.__plan = value), plan);
  return page.evaluate(
    () =>
      new Promise<{ ms: number; items: number }>((resolve) => {
        const started = performance.now();
        // Registered after the page's own listener: runs once the page has drawn the plan.
        window.addEventListener(
          'message',
          () =>
            requestAnimationFrame(() => {
              // A task queued from requestAnimationFrame runs after that frame's style, layout and paint.
              const channel = new MessageChannel();
              channel.port1.onmessage = () => resolve({ ms: performance.now() - started, items: document.querySelectorAll('g.item').length });
              channel.port2.postMessage(0);
            }),
          { once: true },
        );
        window.postMessage({ type: 'showPlan', plan: window.__plan }, '*');
        window.__plan = undefined;
      }),
  );
}

export interface ScrollFrames {
  /** Per frame: from the frame's start (the requestAnimationFrame timestamp) to the end of its rendering on the main thread. */
  frames: number[];
  /** Time between consecutive requestAnimationFrame callbacks (at least one display refresh, ≈16.7 ms in headless Chromium). */
  intervals: number[];
  /** scrollTop reached. */
  scrollTop: number;
}

/**
 * Scrolls the timeline down by `step` pixels every frame for `count` frames
 * (2,400 px/s at 40 px: a brisk wheel or a flick) and measures each frame. A
 * frame's time runs from its requestAnimationFrame timestamp (the start of the
 * frame: before the scroll event and the page's handlers) to a task queued
 * from requestAnimationFrame, which runs when the frame's style, layout and
 * paint are done.
 */
export function measureScrollFrames(page: Page, count = 120, step = 40): Promise<ScrollFrames> {
  return page.evaluate(
    ({ count, step }) =>
      new Promise<ScrollFrames>((resolve) => {
        const scroller = document.querySelector('.scroller')!;
        const frames: number[] = [];
        const intervals: number[] = [];
        let previous: number | undefined;
        let scheduled = 1;
        const frame = (time: number) => {
          if (previous !== undefined) intervals.push(time - previous);
          previous = time;
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            frames.push(performance.now() - time);
            if (frames.length === count) resolve({ frames, intervals, scrollTop: scroller.scrollTop });
          };
          channel.port2.postMessage(0);
          scroller.scrollTop += step;
          if (scheduled < count) {
            scheduled++;
            requestAnimationFrame(frame);
          }
        };
        requestAnimationFrame(frame);
      }),
    { count, step },
  );
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
