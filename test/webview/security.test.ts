import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type { Browser, BrowserType, Page } from 'playwright-core';
import type { PlanView, PlanViewTask } from '../../server/src/protocol/planView';
import { createPlanService } from '../../server/src/service';
import { parsePageMessage } from '../../client/src/timeline/pageMessages';
import { fixedToday, planDocument, readFixture, repoRoot } from '../helpers/fixtures';
import { launchChromium, openTimelinePage, startTimelineServer, type TimelineServer } from './harness';

// The timeline page in headless Chromium (test/webview/harness.ts: the host's
// shell and CSP) with a plan whose every string holds HTML and script
// payloads: ids, titles, owners, people, goals, risks, statuses, links, the
// plan's title and uri, and the panel title. Nothing runs, no element is
// made from a plan string, the text shows literally (labels, tooltips, aria
// labels, the status line, the SVG export), and the CSP refuses what an
// injection would try (inline script, handlers, eval, javascript: URLs).

const PAYLOADS = [
  '<img src=x onerror=window.__pwned=1>',
  '</script><script>window.__pwned=2</script>',
  '"><svg onload=window.__pwned=3>',
  'javascript:window.__pwned=4',
  "{{constructor.constructor('window.__pwned=5')()}}",
  '<iframe srcdoc="<script>parent.__pwned=6</script>"></iframe>',
  '</title></text><foreignObject><body onload=window.__pwned=7></foreignObject>',
  "' onmouseover='window.__pwned=8' x='",
  ']]><script>window.__pwned=9</script><!--',
  '${window.__pwned=10}<style>*{display:none}</style>',
  '<a href="javascript:window.__pwned=11">x</a>&amp;&lt;',
];

interface Posted {
  type: string;
  id?: string;
  svg?: string;
  png?: string;
}

// The root tsconfig has no DOM lib: what the evaluated functions touch, loosely.
declare const window: any;
declare const document: any;
declare function requestAnimationFrame(callback: () => void): number;

/** Every task of a plan, depth first. */
function tasksOf(list: PlanViewTask[]): PlanViewTask[] {
  return list.flatMap((task) => [task, ...tasksOf(task.tasks)]);
}

/** The example plan with a payload in every string the page is given (dates, numbers and ranges stay real). */
function payloadPlan(version = 1): { plan: PlanView; strings: Set<string> } {
  const plan = createPlanService({ today: fixedToday('2026-02-10') }).getPlanView(planDocument(readFixture('valid/checkout.plan.yaml'), 'checkout.plan.yaml', version));
  const strings = new Set<string>();
  let count = 0;
  const payload = () => {
    // Unique; no `#` (in a dependency, `#` names another plan's task).
    const text = `${PAYLOADS[count % PAYLOADS.length]} ~${count}`;
    count++;
    strings.add(text);
    return text;
  };
  // Ids first, each renamed everywhere it is referred to.
  const ids = new Map<string, string>();
  const rename = (id: string) => {
    if (!ids.has(id)) ids.set(id, payload());
    return ids.get(id)!;
  };
  const allTasks = plan.milestones.flatMap((milestone) => tasksOf(milestone.tasks));
  for (const item of [...plan.milestones, ...allTasks, ...plan.people, ...plan.goals, ...plan.risks]) item.id = rename(item.id);
  const ref = (id: string) => ids.get(id) ?? id;
  plan.uri = `file:///workspace/${PAYLOADS[0]}.plan.yaml`;
  plan.title = payload();
  plan.owner = plan.owner ? ref(plan.owner) : payload();
  plan.criticalPath = plan.criticalPath.map(ref);
  for (const person of plan.people) {
    person.name = payload();
    person.role = payload();
  }
  for (const goal of plan.goals) {
    goal.title = payload();
    goal.owner = payload();
  }
  for (const risk of plan.risks) {
    risk.title = payload();
    risk.owner = payload();
    risk.likelihood = payload();
    risk.impact = payload();
    risk.status = payload();
    risk.affects = risk.affects.map(ref);
  }
  for (const milestone of plan.milestones) {
    milestone.title = payload();
    milestone.owner = milestone.owner ? ref(milestone.owner) : payload();
    milestone.dependsOn = milestone.dependsOn.map(ref);
    milestone.goals = milestone.goals.map(ref);
  }
  for (const task of allTasks) {
    task.title = payload();
    // An owner the plan does not list shows as written (owner lanes); the others show the person's name.
    task.owner = task.owner ? ref(task.owner) : payload();
    task.contributors = task.contributors.map(ref);
    task.dependsOn = task.dependsOn.map(ref);
    task.links = [payload(), 'javascript:window.__pwned=12', 'command:workbench.action.quit'];
  }
  // A status the page does not know.
  allTasks[allTasks.length - 1].status = payload() as PlanViewTask['status'];
  return { plan, strings };
}

let browser: Browser;
let server: TimelineServer;
let outdir: string | undefined;
/** The panel title the shell shows until the first plan: a file name can hold markup too. */
const PANEL_TITLE = `Timeline: ${PAYLOADS[1]}${PAYLOADS[2]}`;

before(async () => {
  const { loadBrowserDriver } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'vscode', 'codeServer.mjs')).href)) as {
    loadBrowserDriver(): Promise<{ chromiumPath: string; playwright: { chromium: BrowserType } }>;
  };
  const { chromiumPath, playwright } = await loadBrowserDriver();
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-webview-security-'));
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
  server = await startTimelineServer({ bundleDir: outdir, title: PANEL_TITLE });
  browser = await launchChromium(playwright.chromium, chromiumPath);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  errors: string[];
  /** Every console message, of every type. */
  console: { type: string; text: string }[];
}

async function openWatched(): Promise<Watched> {
  const { page, errors } = await openTimelinePage(browser, server.baseUrl);
  const messages: { type: string; text: string }[] = [];
  page.on('console', (message) => messages.push({ type: message.type(), text: message.text() }));
  return { page, errors, console: messages };
}

async function showPlan(page: Page, plan: PlanView): Promise<void> {
  const items = plan.milestones.length + plan.milestones.flatMap((milestone) => tasksOf(milestone.tasks)).length;
  await page.evaluate((message) => window.postMessage(message, '*'), { type: 'showPlan', plan });
  await page.waitForFunction((count) => document.querySelectorAll('g.item').length === count, items);
}

const violations = (page: Page) => page.evaluate(() => window.__violations as { directive: string; blocked: string; sample: string }[]);
const posted = (page: Page) => page.evaluate(() => window.__posted as Posted[]);
/** Lets anything an injected handler could have scheduled (image errors, timers, frames) run first. */
const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => setTimeout(() => requestAnimationFrame(() => resolve(undefined)), 150)));

/** What no plan string may have made: elements that run or load, handler attributes, links and sources. */
function dangerousMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const scripts = [...document.querySelectorAll('script')];
    if (scripts.length !== 2 || scripts.some((script: any) => !script.nonce)) found.push(`${scripts.length} scripts`);
    for (const tag of ['img', 'iframe', 'frame', 'object', 'embed', 'foreignObject', 'style', 'a', 'image', 'use', 'form', 'input', 'base', 'meta[http-equiv="refresh"]', 'link:not([rel="stylesheet"])', 'svg svg', 'animate', 'set']) {
      const count = document.querySelectorAll(tag).length;
      if (count > 0) found.push(`${count} × ${tag}`);
    }
    for (const element of document.querySelectorAll('*')) {
      for (const attribute of element.attributes) {
        const name = attribute.name.toLowerCase();
        const shellResource = (element.tagName === 'SCRIPT' && name === 'src') || (element.tagName === 'LINK' && element.getAttribute('rel') === 'stylesheet' && name === 'href');
        if (!shellResource && (name.startsWith('on') || name === 'style' || name === 'srcdoc' || name.endsWith('href') || name === 'src' || name === 'action' || name === 'formaction')) found.push(`${element.tagName} ${name}`);
        // Data, labels and class tokens may hold any text; no other attribute may be a javascript: URL.
        if (!/^(data-|aria-)|^class$/.test(name) && /^\s*javascript:/i.test(attribute.value)) found.push(`${element.tagName} ${name}=javascript:`);
      }
    }
    return found;
  });
}

async function assertInert(watched: Watched, where: string): Promise<void> {
  const { page } = watched;
  await settle(page);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, `${where}: a payload ran`);
  assert.deepEqual(await dangerousMarkup(page), [], `${where}: markup made from plan strings`);
  // Nothing was fetched for the payloads (<img src=x> would ask for /x).
  assert.deepEqual(server.requests.filter((url) => !['/', '/timeline.js', '/timeline.css', '/favicon.ico'].includes(url)), [], where);
  // Nothing needed blocking: the payloads never became markup.
  assert.deepEqual(await violations(page), [], `${where}: CSP violations`);
  assert.deepEqual(watched.errors, [], `${where}: page errors`);
}

describe('the timeline page renders every plan string inert', () => {
  test('labels, tooltips, aria labels and the shell\'s title show the payloads literally; nothing runs or is made', async () => {
    const watched = await openWatched();
    const { page } = watched;
    // The shell: its title and the app's label are the panel title, as text.
    assert.equal(await page.title(), PANEL_TITLE);
    assert.equal(await page.locator('#app').getAttribute('aria-label'), PANEL_TITLE);
    const { plan, strings } = payloadPlan();
    await showPlan(page, plan);
    await assertInert(watched, 'by milestone');

    // Every item: its id (data-id), its tooltip and its aria label hold the id and title as written.
    const items = await page.locator('g.item').evaluateAll((elements) =>
      elements.map((element: any) => ({ id: element.getAttribute('data-id'), label: element.getAttribute('aria-label'), tooltip: element.querySelector(':scope > title').textContent })),
    );
    const expected = [
      ...plan.milestones.map((milestone) => ({ kind: 'Milestone', item: milestone as { id: string; title?: string; owner?: string } })),
      ...plan.milestones.flatMap((milestone) => tasksOf(milestone.tasks)).map((task) => ({ kind: 'Task', item: task as { id: string; title?: string; owner?: string } })),
    ];
    assert.equal(items.length, expected.length);
    for (const { kind, item } of expected) {
      const shown = items.find((candidate) => candidate.id === item.id);
      assert.ok(shown, `no bar with data-id ${item.id}`);
      assert.ok(shown.label.startsWith(`${kind} ${item.id}, ${item.title}, `), shown.label);
      assert.ok(shown.tooltip.startsWith(`${item.title} (${item.id})\n`), shown.tooltip);
      if (kind === 'Task') assert.ok(shown.tooltip.includes(`owner ${item.owner}`), shown.tooltip);
    }
    // The plan's title (corner and chart label) and the full row labels (tooltips of shortened labels).
    assert.equal(await page.locator('text.plan-title').textContent(), plan.title);
    assert.ok((await page.locator('svg.chart').getAttribute('aria-label'))!.startsWith(`Timeline of ${plan.title}, `));
    // Each row's label is its title, whole or shortened with its whole text as tooltip.
    const rowTitles = await page.locator('g.row-label-group > title').allTextContents();
    const rowLabels = await page.locator('text.row-label').allTextContents();
    for (const title of rowTitles) assert.ok(strings.has(title), title);
    for (const { item } of expected) {
      assert.ok(rowTitles.includes(item.title!) || rowLabels.includes(item.title!), `row of ${item.id}`);
    }
    for (const label of rowLabels) assert.ok(strings.has(label) || (label.endsWith('…') && [...strings].some((text) => text.startsWith(label.slice(0, -1)))), label);
    // A status the page does not know shows as written, and only as a class token (never as an attribute).
    const lastTask = expected.at(-1)!.item as PlanViewTask;
    const odd = items.find((candidate) => candidate.id === lastTask.id)!;
    assert.ok(odd.label.includes(lastTask.status), odd.label);
    // Dependency arrows carry the ids as data, as text.
    const ends = await page.locator('path.arrow-line').evaluateAll((paths) => paths.flatMap((line: any) => [line.getAttribute('data-from'), line.getAttribute('data-to')]));
    assert.ok(ends.length > 0);
    for (const end of ends) assert.ok(strings.has(end), end);

    // By owner: lanes are people's names (payloads) and owners the plan does not list, load tooltips name them.
    await page.click('button[data-action="group-owner"]');
    await page.waitForFunction(() => document.querySelectorAll('text.row-label-lane').length > 0);
    await assertInert(watched, 'by owner');
    const laneTitles = await page.locator('g.row-label-group > title').allTextContents();
    for (const person of plan.people) assert.ok(laneTitles.some((title) => title.startsWith(`${person.name} · `)), `${person.name} lane`);
    const loadTips = await page.locator('rect.load > title').allTextContents();
    assert.ok(loadTips.some((tip) => plan.people.some((person) => tip.startsWith(`${person.id}: `))), loadTips[0]);

    // The host highlights an id that is a payload: it is found as text, not as a selector.
    await page.click('button[data-action="group-milestone"]');
    await page.evaluate((id) => window.postMessage({ type: 'highlight', id }, '*'), plan.milestones[0].tasks[0].id);
    await page.waitForFunction(() => document.querySelector('g.item.highlighted') !== null);
    assert.equal(await page.locator('g.item.highlighted').getAttribute('data-id'), plan.milestones[0].tasks[0].id);
    await assertInert(watched, 'highlight');
    await page.close();
  });

  test('the status line shows ids literally: a click and a drag on payload ids, which the page will not send to the host', async () => {
    const watched = await openWatched();
    const { page } = watched;
    const { plan } = payloadPlan();
    await showPlan(page, plan);
    const task = plan.milestones[0].tasks[0];
    assert.equal(task.explicitStart, true, 'a bar whose body can be dragged');
    await page.click('button[data-action="zoom-day"]');
    await page.locator('.scroller').evaluate((scroller: any) => void (scroller.scrollLeft = 0));
    const bar = page.locator('g.item.can-move > rect.bar-track').first();
    assert.equal(await bar.evaluate((rect: any) => rect.parentElement.getAttribute('data-id')), task.id);

    // A click asks to reveal: the id is not one the host can address, so the page says so and posts nothing.
    await bar.click();
    assert.equal(await page.locator('.status').textContent(), `Cannot show “${task.id}” in the plan: its id is not valid.`);
    // A drag: the preview, then the refusal, name the id as text.
    const box = (await bar.boundingBox())!;
    await page.mouse.move(box.x + 10, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 80, box.y + box.height / 2, { steps: 4 });
    assert.match((await page.locator('.status').textContent())!, new RegExp(`^${task.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: start \\d{4}-\\d{2}-\\d{2} \\(drop to ask for it\\)$`));
    await page.mouse.up();
    assert.equal(await page.locator('.status').textContent(), `Cannot reschedule “${task.id}”.`);
    assert.deepEqual(await posted(page), [{ type: 'ready' }], 'nothing with a payload id reached the host');
    await assertInert(watched, 'status line');

    // The selection (a payload id) survives a reload through the saved state, as data.
    await page.reload();
    await page.waitForFunction(() => window.__posted.some((message: Posted) => message.type === 'ready'));
    await showPlan(page, plan);
    assert.equal(await page.locator('g.item[tabindex="0"]').evaluate((element: any) => element.getAttribute('data-id')), task.id);
    await assertInert(watched, 'after reload');
    await page.close();
  });

  test('SVG and PNG export: the SVG parses as SVG with the payloads as text, no script, handler or link; the host would save both', async () => {
    const watched = await openWatched();
    const { page } = watched;
    const { plan, strings } = payloadPlan();
    await showPlan(page, plan);
    await page.click('button[data-action="export"]');
    await page.click('button[data-action="export-png"]');
    await page.waitForFunction(() => window.__posted.some((message: Posted) => message.type === 'exportPng'));
    const svg = (await posted(page)).find((message) => message.type === 'exportSvg')!.svg!;
    const png = (await posted(page)).find((message) => message.type === 'exportPng')!.png!;

    const parsed = await page.evaluate((text) => {
      const doc = new window.DOMParser().parseFromString(text, 'image/svg+xml');
      const all = [...doc.getElementsByTagName('*')];
      return {
        root: doc.documentElement.nodeName,
        namespace: doc.documentElement.namespaceURI,
        errors: doc.getElementsByTagName('parsererror').length,
        names: [...new Set(all.map((element: any) => element.localName))].sort(),
        attributes: [...new Set(all.flatMap((element: any) => [...element.attributes].map((attribute: any) => attribute.name)))].sort(),
        texts: all.filter((element: any) => element.localName === 'title' || element.localName === 'text').map((element: any) => element.textContent),
        // Outside text (titles, aria labels, class tokens of a status): no value is a javascript: URL.
        javascript: all.some((element: any) => [...element.attributes].some((attribute: any) => /^\s*javascript:/i.test(attribute.value))),
      };
    }, svg);
    assert.equal(parsed.root, 'svg');
    assert.equal(parsed.namespace, 'http://www.w3.org/2000/svg');
    assert.equal(parsed.errors, 0);
    for (const name of parsed.names) assert.ok(['g', 'line', 'path', 'rect', 'svg', 'text', 'title'].includes(name), name);
    for (const name of parsed.attributes) assert.ok(!/^on|href$|^style$|^src$/i.test(name), name);
    assert.equal(parsed.javascript, false);
    // The plan's strings are there as text, as written.
    assert.ok(parsed.texts.includes(`Timeline: ${plan.title}`));
    for (const milestone of plan.milestones) assert.ok(parsed.texts.some((text: string) => text.startsWith(`${milestone.title} (${milestone.id})\n`)), milestone.id);
    assert.ok([...strings].filter((text) => parsed.texts.some((shown: string) => shown.includes(text))).length >= 10);

    // The host's own check (client/src/timeline/pageMessages.ts) takes both, as the page sent them.
    assert.equal(parsePageMessage({ type: 'exportSvg', svg }, undefined)?.type, 'exportSvg');
    assert.equal(parsePageMessage({ type: 'exportPng', png }, undefined)?.type, 'exportPng');

    // Drawn as an image, the SVG ran nothing either.
    await assertInert(watched, 'export');
    await page.close();
  });
});

describe('the page\'s Content Security Policy', () => {
  test('the shell\'s policy: nothing by default, scripts by nonce only, no inline or eval', async () => {
    const { page } = await openWatched();
    const policy: string = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').getAttribute('content'));
    const directives = new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values] as const));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    const scripts = directives.get('script-src')!;
    assert.equal(scripts.length, 1);
    assert.match(scripts[0], /^'nonce-[A-Za-z0-9+/]{22}=='$/);
    for (const [name, values] of directives) {
      for (const value of values) assert.ok(!/^'unsafe-|^'strict-dynamic'$|^\*$|^https?:$/.test(value), `${name} ${value}`);
    }
    // Nothing else that runs or embeds: these fall back to default-src 'none'.
    for (const name of ['script-src-elem', 'script-src-attr', 'object-src', 'frame-src', 'child-src', 'worker-src', 'connect-src', 'manifest-src', 'media-src']) assert.ok(!directives.has(name), name);
    assert.deepEqual(directives.get('base-uri'), ["'none'"]);
    assert.deepEqual(directives.get('form-action'), ["'none'"]);
    // The page's only scripts carry the nonce.
    const nonce = scripts[0].slice("'nonce-".length, -1);
    assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('script')].map((script: any) => script.nonce)), [nonce, nonce]);
    await page.close();
  });

  test('an injected script, handler, eval or javascript: URL is refused, and only those show as violations', async () => {
    const watched = await openWatched();
    const { page } = watched;
    await showPlan(page, payloadPlan().plan);
    assert.deepEqual(await violations(page), []);

    // As if a plan string had become markup: each attempt from inside the page.
    const outcome = await page.evaluate(async () => {
      const results: Record<string, unknown> = {};
      const inline = document.createElement('script');
      inline.textContent = 'window.__pwned = "inline script"';
      document.body.append(inline);
      const wrongNonce = document.createElement('script');
      wrongNonce.setAttribute('nonce', 'not-the-nonce');
      wrongNonce.textContent = 'window.__pwned = "wrong nonce"';
      document.body.append(wrongNonce);
      const remote = document.createElement('script');
      remote.src = 'data:text/javascript,window.__pwned="data script"';
      document.body.append(remote);
      const html = document.createElement('div');
      html.innerHTML = '<img src="data:," onerror="window.__pwned=\'handler\'"><svg><script>window.__pwned="svg script"</script></svg>';
      document.body.append(html);
      const link = document.createElement('a');
      link.href = 'javascript:window.__pwned="javascript url"';
      document.body.append(link);
      link.click();
      // From a task of the page's own, not from this evaluation (the DevTools protocol allows eval while it evaluates).
      await new Promise((resolve) =>
        window.setTimeout(() => {
          try {
            results.eval = window.eval('window.__pwned = "eval"');
          } catch (error) {
            results.eval = (error as Error).name;
          }
          try {
            results.function = new window.Function('window.__pwned = "Function"')();
          } catch (error) {
            results.function = (error as Error).name;
          }
          window.setTimeout('window.__pwned = "string timer"', 0);
          resolve(undefined);
        }, 0),
      );
      const frame = document.createElement('iframe');
      frame.src = 'data:text/html,<script>parent.__pwned="frame"</script>';
      document.body.append(frame);
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const element of [inline, wrongNonce, remote, html, link, frame]) element.remove();
      return results;
    });
    await settle(page);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'an injection ran');
    assert.deepEqual(outcome, { eval: 'EvalError', function: 'EvalError' });

    // Every attempt was blocked, and the violations are exactly those nine (the policy asks for no samples).
    const seen = (await violations(page)).map((violation) => `${violation.directive} ${violation.blocked}`).sort();
    assert.deepEqual(seen, [
      'frame-src ', // the data: frame
      'script-src eval', // eval
      'script-src eval', // new Function
      'script-src eval', // a string timer
      'script-src-attr inline', // the onerror handler
      'script-src-elem data', // the data: script
      'script-src-elem inline', // the inline script
      'script-src-elem inline', // the script with a wrong nonce
      'script-src-elem inline', // the javascript: URL
    ]);
    // Chromium's console reports the refusals, and nothing else went wrong.
    for (const message of watched.console.filter((entry) => entry.type === 'error')) assert.match(message.text, /Content Security Policy|Refused to/, message.text);
    for (const error of watched.errors) assert.match(error, /Content Security Policy|Refused to|EvalError/, error);
    await page.close();
  });
});
