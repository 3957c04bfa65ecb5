import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodePng, exportFileName, pngSize } from '../../client/src/timeline/timelineExport';
import { contentSecurityPolicy, createNonce, timelineHtml } from '../../client/src/timeline/timelineHtml';
import { isFromWebview, MAX_PNG_BASE64_LENGTH } from '../../client/src/webview/protocol';

/** A real PNG, base64: 3 × 2 grey RGBA pixels (IHDR, one zlib IDAT, IEND, correct CRCs). */
const PNG_3X2 = 'iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAYAAACddGYaAAAAEUlEQVR4nGNoaGj4D8MMyBwAvlUO+8S/xV4AAAAASUVORK5CYII=';

describe('timeline HTML shell', () => {
  test('strict CSP: nothing but nonced scripts and the webview\'s own styles and images (blob: for its PNG export)', () => {
    assert.equal(
      contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc'),
      "default-src 'none'; script-src 'nonce-abc'; style-src https://file+.vscode-resource.vscode-cdn.net; img-src https://file+.vscode-resource.vscode-cdn.net data: blob:; font-src https://file+.vscode-resource.vscode-cdn.net; form-action 'none'; base-uri 'none'",
    );
  });

  test('a fresh random nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
  });

  test('the script carries the nonce; titles are escaped; no inline script or style', () => {
    const html = timelineHtml({ cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/t.js', styleUri: 'vscode-resource:/t.css', title: 'Timeline: <img src=x onerror=alert(1)>"', nonce: 'N0nce' });
    assert.match(html, /<script nonce="N0nce" src="vscode-resource:\/t.js"><\/script>/);
    assert.ok(!html.includes('<img'));
    assert.ok(html.includes('Timeline: &lt;img src=x onerror=alert(1)&gt;&quot;'));
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.ok(!/<style|style=/.test(html));
  });
});

describe('messages from the page are validated', () => {
  test('well-formed messages pass', () => {
    assert.ok(isFromWebview({ type: 'ready' }));
    assert.ok(isFromWebview({ type: 'reveal', id: 'checkout-ui' }));
    assert.ok(isFromWebview({ type: 'reschedule', id: 'a.b_c-1', version: 3, start: '2026-01-05' }));
    assert.ok(isFromWebview({ type: 'exportSvg', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }));
    assert.ok(isFromWebview({ type: 'exportPng', png: PNG_3X2 }));
  });

  test('forged or malformed messages are dropped', () => {
    for (const message of [
      null,
      'reveal',
      { type: 'open', path: '/etc/passwd' },
      { type: 'reveal', id: '../../etc/passwd' },
      { type: 'reveal', id: 'x'.repeat(201) },
      { type: 'reveal' },
      { type: 'ready', extra: 1 },
      { type: 'reschedule', id: 'a', version: 1 },
      { type: 'reschedule', id: 'a', version: '1', start: '2026-01-05' },
      { type: 'reschedule', id: 'a', version: 1, start: '2026-01-05T00:00' },
      { type: 'exportSvg', svg: '<script>alert(1)</script>' },
      { type: 'exportPng', png: Buffer.from('<svg></svg>').toString('base64') },
      { type: 'exportPng', png: `data:image/png;base64,${PNG_3X2}` },
      { type: 'exportPng', png: `${PNG_3X2.slice(0, -4)}!!!!` },
      { type: 'exportPng', png: PNG_3X2.slice(0, -1) },
      { type: 'exportPng', png: PNG_3X2 + 'A'.repeat(MAX_PNG_BASE64_LENGTH) },
      { type: 'exportPng', png: 42 },
      { type: '__proto__' },
    ]) {
      assert.equal(isFromWebview(message), false, JSON.stringify(message));
    }
  });
});

describe('saving an export', () => {
  test('the file offered is named after the plan', () => {
    assert.equal(exportFileName('/work/plans/checkout.plan.yaml', 'svg'), 'checkout.timeline.svg');
    assert.equal(exportFileName('/work/plans/checkout.plan.yml', 'png'), 'checkout.timeline.png');
    assert.equal(exportFileName('C:\\plans\\Q3.PLAN.YAML', 'png'), 'Q3.timeline.png');
    assert.equal(exportFileName('', 'svg'), 'plan.timeline.svg');
  });

  test('the PNG written is the bytes the page sent, checked: signature and IHDR size', () => {
    const bytes = decodePng(PNG_3X2)!;
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual(pngSize(bytes), { width: 3, height: 2 });
    assert.deepEqual([...bytes], [...Buffer.from(PNG_3X2, 'base64')]);
    // Not a PNG: a GIF, an SVG, a PNG cut short, a PNG whose first chunk is not IHDR.
    assert.equal(decodePng('R0lGODlhAQABAAAAACw='), undefined);
    assert.equal(decodePng(Buffer.from('<svg/>').toString('base64')), undefined);
    assert.equal(decodePng(PNG_3X2.slice(0, 20)), undefined);
    const renamed = Buffer.from(PNG_3X2, 'base64');
    renamed.write('IDAT', 12, 'latin1');
    assert.equal(pngSize(new Uint8Array(renamed)), undefined);
  });
});
