// A real VS Code for the UI tests (test/ui/run.mjs): code-server with Blueprint
// loaded in development mode (as `npm start` does), its workbench opened in
// headless Chromium by playwright-core, and the few moves a user makes
// (command palette, quick open, go to line, tabs, the timeline's webview).
//
// The browser may only talk to 127.0.0.1: anything else is blocked and
// recorded (`session.foreign`), and the run fails on it. Every process started
// here (code-server's process group, Chromium) is stopped on every way out:
// `close()`, a signal, the deadline, or the process exiting.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeServerError, loadBrowserDriver, makeRunDir, remoteUri, repoRoot, startCodeServer, workbenchUrl } from '../../scripts/vscode/codeServer.mjs';

const started = Date.now();
export const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
export const say = (line) => process.stdout.write(`[ui ${elapsed()}] ${line}\n`);
process.stdout.on('error', () => {});

/** The same Chromium flags as scripts/vscode/code-server-host.mjs. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

/** A quiet, deterministic profile: no welcome page, tips, auto save, blinking cursor or update checks. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  // VS Code in a browser saves after a delay by default: the tests save with Ctrl+S.
  'files.autoSave': 'off',
  'editor.cursorBlinking': 'solid',
  // A double click on a tab maximizes its group (the screenshots).
  'workbench.editor.doubleClickTabToToggleEditorGroupSizes': 'maximize',
};

/**
 * Polls `read` until `accept` holds for its value, or fails at the deadline
 * with the last value seen. For what has no event to wait on.
 */
export async function eventually(what, read, accept, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (error) {
      last = `(threw) ${error?.message ?? error}`;
    }
    if (Date.now() > deadline) throw new Error(`${what}: still not so after ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls until `read()` deep-equals `expected` (compared as JSON). */
export function eventuallyEqual(what, read, expected, timeoutMs) {
  const want = JSON.stringify(expected);
  return eventually(what, read, (value) => JSON.stringify(value) === want, timeoutMs);
}

/**
 * Starts code-server on a fresh copy of `fixture` and opens its workbench.
 * `extensionPath` is the folder loaded as the development extension (default:
 * the repository, i.e. the Node build); `requiredFiles` are checked in it first
 * (default: the Node build's bundles). `beforeOpen(page, context)` runs before
 * the workbench URL is loaded (listeners, exposed functions).
 * @param {{
 *   fixture: string, folderName: string, workspaceSettings: object, logDir: string, timeoutMs: number,
 *   extensionPath?: string, requiredFiles?: string[],
 *   beforeOpen?: (page: import('playwright-core').Page, context: import('playwright-core').BrowserContext) => Promise<void> | void,
 * }} options
 */
export async function openWorkbench(options) {
  const session = new Session(options);
  try {
    await session.start();
  } catch (error) {
    await session.close();
    throw error;
  }
  return session;
}

class Session {
  constructor(options) {
    this.options = options;
    this.foreign = [];
    this.pageErrors = [];
    this.cleanups = [];
    this.syncKills = [];
    this.closing = undefined;
    const onExit = () => {
      for (const kill of this.syncKills) {
        try {
          kill();
        } catch {
          // already gone
        }
      }
    };
    process.on('exit', onExit);
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
      process.once(signal, () => {
        say(`${signal}: stopping`);
        void this.close().finally(() => process.exit(code));
      });
    }
    // A hung step must not leave code-server running: stop everything at the deadline.
    this.deadline = setTimeout(() => {
      say(`FAILED: the run took longer than ${Math.round(options.timeoutMs / 1000)} s (BLUEPRINT_UI_TIMEOUT_MS); stopping`);
      void this.close().finally(() => process.exit(1));
    }, options.timeoutMs);
    this.deadline.unref();
  }

  async start() {
    const { fixture, folderName, workspaceSettings, logDir } = this.options;
    const extensionPath = this.options.extensionPath ?? repoRoot;
    for (const file of this.options.requiredFiles ?? ['dist/extension.js', 'dist/server.js', 'dist/webview/timeline.js']) {
      if (!fs.existsSync(path.join(extensionPath, file))) throw new CodeServerError(`missing ${path.relative(repoRoot, path.join(extensionPath, file))}: run \`node esbuild.mjs\` first`);
    }
    const { chromiumPath, playwright } = await loadBrowserDriver();
    fs.rmSync(logDir, { recursive: true, force: true });
    fs.mkdirSync(logDir, { recursive: true });

    // The tests edit and save the plan: they work on a copy, never on the fixture.
    const runDir = makeRunDir('bp-ui-');
    this.cleanups.push(() => fs.rmSync(runDir, { recursive: true, force: true }));
    this.workspace = path.join(runDir, folderName);
    fs.cpSync(fixture, this.workspace, { recursive: true });
    this.writeWorkspaceSettings(workspaceSettings);
    const userDataDir = path.join(runDir, 'user-data');
    this.userDataDir = userDataDir;
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(USER_SETTINGS, null, 2)}\n`);

    this.server = await startCodeServer({
      runDir,
      userDataDir,
      log: say,
      onSpawn: (spawned) => this.syncKills.push(spawned.stopSync),
    });
    const server = this.server;
    this.cleanups.push(async () => {
      await server.stop();
      fs.copyFileSync(server.logFile, path.join(logDir, 'code-server.log'));
      const serverLogs = path.join(userDataDir, 'logs');
      if (fs.existsSync(serverLogs)) fs.cpSync(serverLogs, path.join(logDir, 'server-logs'), { recursive: true });
    });

    this.browser = await playwright.chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: CHROMIUM_ARGS,
    });
    const browser = this.browser;
    this.cleanups.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });

    const isLocal = (url) => {
      const parsed = new URL(url);
      if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) return true; // data:, blob:, about:, vscode-*: no network
      return parsed.hostname === '127.0.0.1';
    };
    const noteForeign = (url, how) => {
      if (this.foreign.includes(url)) return;
      this.foreign.push(url);
      say(`FOREIGN REQUEST (${how}) blocked: ${url}`);
    };
    await context.route((url) => !isLocal(url.href), async (route) => {
      noteForeign(route.request().url(), 'route');
      await route.abort('blockedbyclient');
    });
    // Webview resources (https://*.vscode-resource.vscode-cdn.net/…) never reach
    // the network: the webview's service worker answers them with what the
    // workbench fetched from 127.0.0.1. Anything else that is not local does
    // reach the route above (blocked there) or fails.
    context.on('requestfinished', async (request) => {
      if (isLocal(request.url())) return;
      const response = await request.response().catch(() => null);
      if (!response?.fromServiceWorker()) noteForeign(request.url(), 'request');
    });
    context.on('requestfailed', (request) => {
      if (!isLocal(request.url())) noteForeign(request.url(), 'failed request');
    });

    const page = await context.newPage();
    this.page = page;
    page.on('websocket', (socket) => {
      if (!isLocal(socket.url())) noteForeign(socket.url(), 'websocket');
    });
    const log = fs.createWriteStream(path.join(logDir, 'workbench.log'));
    this.cleanups.push(() => new Promise((resolve) => log.end(resolve)));
    page.on('console', (message) => {
      const where = message.type() === 'error' ? ` (${message.location().url})` : '';
      log.write(`${elapsed()} [console:${message.type()}] ${message.text()}${where}\n`);
    });
    page.on('pageerror', (error) => {
      this.pageErrors.push(String(error));
      log.write(`${elapsed()} [pageerror] ${error.stack ?? error.message}\n`);
    });

    await this.options.beforeOpen?.(page, context);
    const url = workbenchUrl(server, this.workspace, [['extensionDevelopmentPath', remoteUri(server, extensionPath)]]);
    say(`opening the workbench: ${url}`);
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    say('workbench ready');
  }

  writeWorkspaceSettings(settings) {
    fs.mkdirSync(path.join(this.workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(this.workspace, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  }

  /** Screenshot of the window, after failures too (best effort). */
  async screenshot(file) {
    if (this.page && !this.page.isClosed()) await this.page.screenshot({ path: file }).catch(() => {});
  }

  close() {
    clearTimeout(this.deadline);
    this.closing ??= (async () => {
      while (this.cleanups.length) {
        const step = this.cleanups.pop();
        try {
          await step();
        } catch (error) {
          say(`cleanup failed: ${error?.message ?? error}`);
        }
      }
    })();
    return this.closing;
  }

  // ------------------------------------------------------------- user moves

  /** The timeline page: the webview's inner frame. */
  get timeline() {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  /** The Frame object of the timeline page (for evaluate and waitForFunction). */
  async timelineFrame() {
    const handle = await this.page.frameLocator('iframe.webview.ready').locator('#active-frame').elementHandle();
    const frame = await handle.contentFrame();
    if (!frame) throw new Error('the timeline webview has no inner frame');
    return frame;
  }

  /** F1, the command's title, Enter: as a user runs a command. */
  async runCommand(title) {
    await this.page.keyboard.press('F1');
    await this.pickFromQuickInput(title, title);
  }

  /** Ctrl+P, a file name, Enter. */
  async quickOpen(fileName) {
    await this.page.keyboard.press('Control+P');
    await this.pickFromQuickInput(fileName, `${fileName}, file results`);
  }

  /** Ctrl+G, `line:column` (1-based), Enter; waits until the status bar shows the cursor there. */
  async goToLine(line, column) {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await this.page.keyboard.type(`${line}:${column}`);
    await eventuallyEqual('go to line: the input', () => input.inputValue(), `:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await eventuallyEqual('the cursor after go to line', () => this.cursor(), `Ln ${line}, Col ${column}`);
  }

  async pickFromQuickInput(text, rowLabel) {
    const widget = this.page.locator('.quick-input-widget');
    await widget.locator('.quick-input-box input').waitFor({ state: 'visible' });
    await this.page.keyboard.type(text);
    // Enter picks the focused row: wait until it is the one wanted.
    await widget.locator(`.quick-input-list .monaco-list-row.focused[aria-label="${rowLabel}"]`).waitFor({ state: 'visible' });
    await this.page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });
  }

  /** The status bar's cursor/selection item, e.g. `Ln 12, Col 5 (3 selected)`. */
  cursor() {
    return this.page.locator('[id="status.editor.selection"]').innerText();
  }

  tab(label) {
    return this.page.locator(`.tabs-container .tab[aria-label^="${label}"]`);
  }

  /** Moves the mouse where it shows no hover, and waits until no hover or tooltip is left. */
  async restMouse() {
    const box = await this.page.locator('.part.titlebar').boundingBox();
    await this.page.mouse.move(box.x + box.width - 300, box.y + box.height / 2);
    await eventuallyEqual('no hover left on screen', () => this.page.locator('.monaco-hover:visible, .workbench-hover-container:visible, .context-view:visible').count(), 0);
  }
}
